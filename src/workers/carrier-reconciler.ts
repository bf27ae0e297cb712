import type { Logger } from '../config/logger';
import type { Clock } from '../core/clock';
import type { Database } from '../db/database';
import type { CarrierOperation } from '../entities';
import { CarrierOperationKind } from '../entities/enums';
import { Poller } from './poller';
import {
  dueOperations,
  newLease,
  operationLeaseMs,
  takeOverOperation,
} from '../services/carrier-operations';

/** What resolves one operation the reconciler holds (the label services). */
export interface OperationResolvers {
  purchase(op: CarrierOperation, lease: string): Promise<void>;
  void(op: CarrierOperation, lease: string): Promise<void>;
}

export interface CarrierReconcilerOptions {
  /** How often to look for unresolved operations (the first look is at start). */
  intervalMs: number;
  /** The carrier timeout: a resolution holds its operation for a lease derived from it. */
  carrierTimeoutMs: number;
  batchSize?: number;
  clock?: Clock;
}

export interface ReconcileRun {
  /** Operations taken and worked on this round (resolved, or put off after a carrier failure). */
  taken: number;
}

/**
 * Resolves carrier operations nobody holds any more (the request that recorded them died, or left
 * them to it): a purchase gets its label attached to the idempotency key that paid for it, or the
 * label goes back to the carrier; a void is retried at the carrier and committed. Runs at start
 * and every intervalMs. Each operation is taken with a guarded lease, so two instances never work
 * on the same one.
 */
export class CarrierReconciler {
  private readonly batchSize: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly poller: Poller<ReconcileRun>;

  constructor(
    private readonly db: Database,
    private readonly resolvers: OperationResolvers,
    logger: Logger,
    private readonly options: CarrierReconcilerOptions,
  ) {
    this.batchSize = options.batchSize ?? 20;
    this.clock = options.clock ?? (() => new Date());
    this.log = logger.child({ component: 'carrier-reconciler' });
    this.poller = new Poller(() => this.round(), {
      intervalMs: this.options.intervalMs,
      full: (run) => run.taken === this.batchSize,
      onError: (error) => this.log.error('carrier reconciliation failed', { error: String(error) }),
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** One round; concurrent calls share the round in progress. */
  runOnce(): Promise<ReconcileRun> {
    return this.poller.runOnce();
  }

  private async round(): Promise<ReconcileRun> {
    const run: ReconcileRun = { taken: 0 };
    const due = await dueOperations(this.db, this.clock(), this.batchSize);
    for (const candidate of due) {
      if (this.poller.stopped) break;
      const now = this.clock();
      const lease = newLease();
      const until = new Date(now.getTime() + operationLeaseMs(this.options.carrierTimeoutMs));
      const op = await takeOverOperation(this.db, candidate.id, lease, now, until);
      if (!op) continue;
      run.taken += 1;
      try {
        if (op.kind === CarrierOperationKind.PURCHASE) await this.resolvers.purchase(op, lease);
        else await this.resolvers.void(op, lease);
      } catch (error) {
        // The lease runs out and the next round tries again.
        this.log.error('could not resolve a carrier operation', {
          operationId: op.id,
          error: String(error),
        });
      }
    }
    return run;
  }
}
