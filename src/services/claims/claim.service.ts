import type { EntityManager } from 'typeorm';
import { requireViewer } from '../../auth/guards';
import { isAdmin, isBuyer, isSeller } from '../../auth/viewer';
import type { Clock } from '../../core/clock';
import { forbidden } from '../../core/errors';
import { parseMinor } from '../../core/money';
import type { RequestContext } from '../../core/request-context';
import { UserErrorCode, decodeId, fail } from '../../core/user-error';
import { isUniqueViolation } from '../../db/errors';
import { Claim, Order } from '../../entities';
import { ClaimActor, ClaimReason } from '../../entities/enums';
import type { ServiceDeps } from '../deps';
import { fileClaimIn, moveClaim } from './claim-core';
import type { ClaimEnv } from './claim-core';
import { ClaimAction, ClaimResponse, RESPONSE_ACTIONS } from './claim-machine';
import type { ClaimActorRef } from './claim-writes';

export const MAX_CLAIM_NOTE = 1000;

export interface FileClaimInput {
  orderId: string;
  reason: ClaimReason;
  description?: string | null;
}

export interface RespondToClaimInput {
  claimId: string;
  action: ClaimResponse;
  note?: string | null;
  /** For REFUND: a decimal amount up to the order total; default the order total. */
  refundAmount?: string | null;
}

export enum ClaimDecisionFor {
  SELLER = 'SELLER',
  BUYER = 'BUYER',
}

export interface ResolveClaimInput {
  claimId: string;
  decision: ClaimDecisionFor;
  note: string;
  /** For BUYER: a decimal amount up to the order total; default the order total. */
  refundAmount?: string | null;
}

export interface ClaimResult {
  claim: Claim;
}

function cleanNote(raw: string | null | undefined, field: string[]): string | null {
  const note = raw?.trim() || null;
  if (note && note.length > MAX_CLAIM_NOTE) {
    fail(UserErrorCode.INVALID_INPUT, `must be at most ${MAX_CLAIM_NOTE} characters`, field);
  }
  return note;
}

/** A refund in minor units: the given decimal amount (above 0, at most the order total), or all. */
function refundOf(raw: string | null | undefined, order: Order, field: string[]): number {
  if (raw === null || raw === undefined) return order.totalMinor;
  const minor = parseMinor(raw);
  if (minor === null || minor < 1 || minor > order.totalMinor) {
    fail(
      UserErrorCode.INVALID_INPUT,
      'refundAmount must be a decimal amount above 0 and at most the order total',
      field,
    );
  }
  return minor;
}

const alreadyOpen = () =>
  fail(UserErrorCode.CLAIM_ALREADY_OPEN, 'The order already has an open claim', [
    'input',
    'orderId',
  ]);

/**
 * Not-received claims over the API: buyers file, sellers answer before a deadline (or Countersign
 * answers for them from passed proof), staff decide. Roles and input are checked here; the rules
 * and the recording of every move are in claim-core.ts.
 */
export class ClaimService {
  private readonly env: ClaimEnv;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {
    this.env = { events: deps.events, settings: deps.config.claims };
  }

  async file(ctx: RequestContext, input: FileClaimInput): Promise<ClaimResult> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) throw forbidden("Only the order's buyer can file a claim");
    const orderId = decodeId(input.orderId, 'Order', ['input', 'orderId']);
    if (!Object.values(ClaimReason).includes(input.reason)) {
      fail(UserErrorCode.INVALID_INPUT, 'Unknown claim reason', ['input', 'reason']);
    }
    const description = cleanNote(input.description, ['input', 'description']);
    const by: ClaimActorRef = {
      actor: ClaimActor.BUYER,
      tokenId: viewer.tokenId,
      requestId: ctx.requestId,
    };
    try {
      const claim = await this.deps.db.transaction((tx) =>
        fileClaimIn(tx, this.env, {
          buyerId: viewer.buyerId,
          by,
          orderId,
          reason: input.reason,
          description,
          now: this.clock(),
        }),
      );
      return { claim };
    } catch (error) {
      // Two filings raced past the check: the open-claim index kept one.
      if (isUniqueViolation(error)) alreadyOpen();
      throw error;
    }
  }

  async respond(ctx: RequestContext, input: RespondToClaimInput): Promise<ClaimResult> {
    const viewer = requireViewer(ctx);
    if (!isSeller(viewer)) throw forbidden('Only the seller of the order can answer a claim');
    const claimId = decodeId(input.claimId, 'Claim', ['input', 'claimId']);
    if (!Object.hasOwn(RESPONSE_ACTIONS, input.action)) {
      fail(UserErrorCode.INVALID_INPUT, 'action must be SUBMIT_PROOF, REFUND or RESHIP', [
        'input',
        'action',
      ]);
    }
    const action = RESPONSE_ACTIONS[input.action];
    const note = cleanNote(input.note, ['input', 'note']);
    const by: ClaimActorRef = {
      actor: ClaimActor.SELLER,
      tokenId: viewer.tokenId,
      requestId: ctx.requestId,
    };
    return this.deps.db.transaction(async (tx) => {
      const now = this.clock();
      const claim = await this.lockClaim(tx.manager, claimId);
      if (!claim || claim.sellerId !== viewer.sellerId) {
        fail(UserErrorCode.CLAIM_NOT_FOUND, 'No such claim', ['input', 'claimId']);
      }
      if (now.getTime() > claim.sellerDeadlineAt.getTime()) {
        fail(
          UserErrorCode.CLAIM_DEADLINE_PASSED,
          `The deadline to answer passed at ${claim.sellerDeadlineAt.toISOString()}`,
          ['input', 'claimId'],
        );
      }
      if (action === ClaimAction.SUBMIT_PROOF && !claim.evidence.proof) {
        fail(UserErrorCode.NO_DELIVERY_PROOF, 'There is no delivery proof to submit', [
          'input',
          'action',
        ]);
      }
      const order = await tx.manager.findOneByOrFail(Order, { id: claim.orderId });
      const refund =
        action === ClaimAction.REFUND
          ? refundOf(input.refundAmount, order, ['input', 'refundAmount'])
          : null;
      await moveClaim(tx, this.env, { claim, order, action, by, note, refund, now });
      return { claim };
    });
  }

  async resolve(ctx: RequestContext, input: ResolveClaimInput): Promise<ClaimResult> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer)) throw forbidden('Only platform staff can resolve a claim');
    const claimId = decodeId(input.claimId, 'Claim', ['input', 'claimId']);
    if (!Object.values(ClaimDecisionFor).includes(input.decision)) {
      fail(UserErrorCode.INVALID_INPUT, 'decision must be SELLER or BUYER', ['input', 'decision']);
    }
    const note = cleanNote(input.note, ['input', 'note']);
    if (!note) {
      fail(UserErrorCode.INVALID_INPUT, 'Give the reason for the decision', ['input', 'note']);
    }
    const by: ClaimActorRef = {
      actor: ClaimActor.ADMIN,
      tokenId: viewer.tokenId,
      requestId: ctx.requestId,
    };
    const forBuyer = input.decision === ClaimDecisionFor.BUYER;
    return this.deps.db.transaction(async (tx) => {
      const now = this.clock();
      const claim = await this.lockClaim(tx.manager, claimId);
      if (!claim) fail(UserErrorCode.CLAIM_NOT_FOUND, 'No such claim', ['input', 'claimId']);
      const order = await tx.manager.findOneByOrFail(Order, { id: claim.orderId });
      const refund = forBuyer
        ? refundOf(input.refundAmount, order, ['input', 'refundAmount'])
        : null;
      const action = forBuyer ? ClaimAction.RESOLVE_FOR_BUYER : ClaimAction.RESOLVE_FOR_SELLER;
      await moveClaim(tx, this.env, { claim, order, action, by, note, refund, now });
      return { claim };
    });
  }

  /** On PostgreSQL, concurrent moves of one claim queue on its row; SQLite has one writer. */
  private lockClaim(m: EntityManager, id: number): Promise<Claim | null> {
    return m.findOne(Claim, {
      where: { id },
      ...(this.deps.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }
}
