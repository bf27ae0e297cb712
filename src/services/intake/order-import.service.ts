import { requireViewer } from '../../auth/guards';
import { isAdmin, isPlatform, isSeller } from '../../auth/viewer';
import type { Clock } from '../../core/clock';
import { forbidden } from '../../core/errors';
import type { RequestContext } from '../../core/request-context';
import { UserErrorCode, UserInputError, fail, userError } from '../../core/user-error';
import type { UserError } from '../../core/user-error';
import { isUniqueViolation } from '../../db/errors';
import type { Order } from '../../entities';
import { globalIdOf } from '../../core/global-id';
import { OrderChange } from '../../pubsub/event-bus';
import type { ServiceDeps } from '../deps';
import { MAX_IMPORT_ORDERS, sourceProblem, validateOrder } from './order-input';
import { ImportOutcome, writeImportedOrder } from './order-writes';

/** What importOrders and the marketplace webhook take: `{ source, orders: [...] }`. */
export interface ImportOrdersInput {
  source: unknown;
  orders: unknown;
}

export interface ImportOrderResult {
  index: number;
  outcome: ImportOutcome;
  order: Order | null;
  userErrors: UserError[];
}

/**
 * Who may import for which seller: platform staff and PLATFORM integrations for any seller
 * (null), a seller token for itself only.
 */
export type ImportScope = { sellerId: number | null };

/**
 * Orders in from a marketplace, by GraphQL (`importOrders`) or the signed webhook. Each order is
 * validated on its own and written in a transaction of its own with its risk assessment, so a
 * bad order comes back as user errors at its index and never blocks or half-writes another.
 */
export class OrderImportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  /** Staff and platform integrations for any seller, a seller for itself; others FORBIDDEN. */
  scopeOf(ctx: RequestContext): ImportScope {
    const viewer = requireViewer(ctx);
    if (isAdmin(viewer) || isPlatform(viewer)) return { sellerId: null };
    if (isSeller(viewer)) return { sellerId: viewer.sellerId };
    throw forbidden('Only platform staff, a platform integration or a seller can import orders');
  }

  importOrders(ctx: RequestContext, input: ImportOrdersInput): Promise<ImportOrderResult[]> {
    return this.importAs(this.scopeOf(ctx), input);
  }

  /**
   * Refusals of the whole call come first and write nothing: a bad source, not 1 to 100 orders
   * (user errors), or a seller token naming another seller (FORBIDDEN). Then the orders, in
   * order: a repeat later in the same batch finds the earlier one committed.
   */
  async importAs(scope: ImportScope, input: ImportOrdersInput): Promise<ImportOrderResult[]> {
    const problem = sourceProblem(input.source);
    if (problem) fail(problem);
    const source = input.source as string;
    const orders = input.orders;
    if (!Array.isArray(orders) || orders.length < 1 || orders.length > MAX_IMPORT_ORDERS) {
      const found = Array.isArray(orders) ? orders.length : 0;
      fail(
        UserErrorCode.TOO_MANY_ORDERS,
        `An import takes 1 to ${MAX_IMPORT_ORDERS} orders; found ${found}. Nothing was written.`,
        ['orders'],
      );
    }
    if (scope.sellerId !== null) this.refuseOtherSellers(scope.sellerId, orders);

    const results: ImportOrderResult[] = [];
    for (const [index, raw] of orders.entries()) {
      const checked = validateOrder(raw, index);
      if (!checked.order) {
        results.push({
          index,
          outcome: ImportOutcome.REJECTED,
          order: null,
          userErrors: checked.errors,
        });
        continue;
      }
      results.push(await this.writeOne(source, index, checked.order));
    }
    return results;
  }

  private refuseOtherSellers(sellerId: number, orders: unknown[]): void {
    const other = orders.findIndex((raw) => {
      const given = (raw as { sellerId?: unknown } | null)?.sellerId;
      return typeof given !== 'string' || globalIdOf(given, 'Seller') !== sellerId;
    });
    if (other >= 0) {
      throw forbidden(
        `A seller imports its own orders only (orders.${other}.sellerId); nothing was written`,
      );
    }
  }

  /**
   * One order, one transaction. Two imports of one new order racing: the loser's INSERT fails on
   * the (source, externalId) unique index (PostgreSQL) and its transaction rolls back; tried
   * once more, it finds the winner's row and answers UNCHANGED (or UPDATED).
   */
  private async writeOne(
    source: string,
    index: number,
    order: Parameters<typeof writeImportedOrder>[3],
  ): Promise<ImportOrderResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        const written = await this.deps.db.transaction(async (tx) => {
          const result = await writeImportedOrder(tx.manager, source, index, order, this.clock());
          if (result.assessment) {
            const payload = {
              orderId: result.order.id,
              sellerId: result.order.sellerId,
              change:
                result.outcome === ImportOutcome.CREATED
                  ? OrderChange.CREATED
                  : OrderChange.UPDATED,
              riskLevel: result.assessment.level,
            };
            tx.afterCommit(() =>
              this.deps.events.publish('seller:orders', payload.sellerId, payload),
            );
          }
          return result;
        });
        return { index, outcome: written.outcome, order: written.order, userErrors: [] };
      } catch (error) {
        if (error instanceof UserInputError) {
          return { index, outcome: ImportOutcome.REJECTED, order: null, userErrors: error.errors };
        }
        if (isUniqueViolation(error) && attempt === 0) continue;
        if (isUniqueViolation(error)) {
          return {
            index,
            outcome: ImportOutcome.REJECTED,
            order: null,
            userErrors: [
              userError(
                UserErrorCode.WRITE_CONFLICT,
                'The order was written concurrently; send it again',
                ['orders', String(index)],
              ),
            ],
          };
        }
        throw error;
      }
    }
  }
}
