import type { EntityManager } from 'typeorm';
import { IsNull, Not } from 'typeorm';
import { requireViewer } from '../../auth/guards';
import { isAdmin, isBuyer, isSeller } from '../../auth/viewer';
import type { Clock } from '../../core/clock';
import { forbidden } from '../../core/errors';
import { parseMinor } from '../../core/money';
import type { RequestContext } from '../../core/request-context';
import { UserErrorCode, decodeId, fail } from '../../core/user-error';
import { isUniqueViolation } from '../../db/errors';
import type { Tx } from '../../db/database';
import { Address, Claim, Label, Order, SellerRiskSettings, Shipment } from '../../entities';
import { ClaimActor, ClaimReason, ShipmentStatus, SignatureOption } from '../../entities/enums';
import type { ServiceDeps } from '../deps';
import { ClaimAction, INITIAL_STATUS, decideClaimMove } from './claim-machine';
import { recordClaimMove } from './claim-writes';
import type { ClaimActorRef } from './claim-writes';
import { evidenceOf, loadEvidenceRows } from './evidence';
import { claimableFrom } from './claim-window';

export const MAX_CLAIM_NOTE = 1000;

export interface FileClaimInput {
  orderId: string;
  reason: ClaimReason;
  description?: string | null;
}

/** The seller's answers. */
export const SELLER_ACTIONS = [ClaimAction.SUBMIT_PROOF, ClaimAction.REFUND, ClaimAction.RESHIP];

export interface RespondToClaimInput {
  claimId: string;
  action: ClaimAction;
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

const HOUR_MS = 3_600_000;

function cleanNote(raw: string | null | undefined, field: string[]): string | null {
  const note = raw?.trim() || null;
  if (note && note.length > MAX_CLAIM_NOTE) {
    fail(UserErrorCode.INVALID_INPUT, `must be at most ${MAX_CLAIM_NOTE} characters`, field);
  }
  return note;
}

/** A refund in minor units: the given decimal amount (1 minor unit to the order total), or all of it. */
function refundOf(raw: string | null | undefined, order: Order, field: string[]): number {
  if (raw === null || raw === undefined) return order.totalMinor;
  const minor = parseMinor(raw);
  if (minor === null || minor < 1 || minor > order.totalMinor) {
    fail(
      UserErrorCode.INVALID_INPUT,
      `refundAmount must be a decimal amount above 0 and at most the order total`,
      field,
    );
  }
  return minor;
}

/**
 * Not-received claims: buyers file, sellers answer before a deadline (or Countersign answers for
 * them from passed proof), staff decide. Every move goes through the claim machine and is
 * recorded with who and when (claim-writes.ts).
 */
export class ClaimService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  async file(ctx: RequestContext, input: FileClaimInput): Promise<ClaimResult> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) throw forbidden("Only the order's buyer can file a claim");
    const orderId = decodeId(input.orderId, 'Order', ['input', 'orderId']);
    if (!Object.values(ClaimReason).includes(input.reason)) {
      fail(UserErrorCode.INVALID_INPUT, 'Unknown claim reason', ['input', 'reason']);
    }
    const description = cleanNote(input.description, ['input', 'description']);
    const by: ClaimActorRef = { actor: ClaimActor.BUYER, tokenId: viewer.tokenId };
    try {
      return await this.deps.db.transaction(async (tx) => {
        const m = tx.manager;
        const now = this.clock();
        const order = await m.findOne(Order, { where: { id: orderId } });
        if (!order || order.buyerId !== viewer.buyerId) {
          fail(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ['input', 'orderId']);
        }
        const open = await m.exists(Claim, { where: { orderId, closedAt: IsNull() } });
        if (open) {
          fail(UserErrorCode.CLAIM_ALREADY_OPEN, 'The order already has an open claim', [
            'input',
            'orderId',
          ]);
        }
        const shipment = await m.findOne(Shipment, {
          where: { orderId, status: Not(ShipmentStatus.CANCELLED) },
          order: { id: 'DESC' },
        });
        const label = shipment ? await m.findOne(Label, { where: { id: shipment.labelId } }) : null;
        const window = claimableFrom(shipment, label, this.deps.config.claims, now);
        if (!window.claimable) {
          fail(UserErrorCode.ORDER_NOT_CLAIMABLE, window.why, ['input', 'orderId']);
        }
        if (!shipment) throw new Error('A claimable order has a shipment');
        if (now.getTime() > window.closesAt.getTime()) {
          fail(
            UserErrorCode.CLAIM_WINDOW_CLOSED,
            `Claims on this order could be filed until ${window.closesAt.toISOString()}`,
            ['input', 'orderId'],
          );
        }
        this.checkReason(input.reason, shipment);
        const shipTo = await m.findOneOrFail(Address, { where: { id: order.shipToAddressId } });
        const rows = await loadEvidenceRows(m, order, shipment);
        const claim = m.create(Claim, {
          orderId,
          sellerId: order.sellerId,
          buyerId: order.buyerId,
          shipmentId: shipment.id,
          labelId: shipment.labelId,
          shipToFingerprint: shipTo.fingerprint,
          reason: input.reason,
          description,
          status: INITIAL_STATUS,
          outcome: null,
          refundMinor: null,
          currency: order.currency,
          evidence: evidenceOf(rows, now),
          answeredAutomatically: false,
          filedAt: now,
          sellerDeadlineAt: new Date(
            now.getTime() + this.deps.config.claims.sellerResponseHours * HOUR_MS,
          ),
          closedAt: null,
          updatedAt: now,
        });
        await recordClaimMove(tx, this.deps.events, {
          claim,
          order,
          from: null,
          by,
          note: description,
          now,
        });
        await this.defendAutomatically(tx, claim, order, now);
        return { claim };
      });
    } catch (error) {
      // Two filings raced past the check: the open-claim index kept one.
      if (isUniqueViolation(error)) {
        fail(UserErrorCode.CLAIM_ALREADY_OPEN, 'The order already has an open claim', [
          'input',
          'orderId',
        ]);
      }
      throw error;
    }
  }

  async respond(ctx: RequestContext, input: RespondToClaimInput): Promise<ClaimResult> {
    const viewer = requireViewer(ctx);
    if (!isSeller(viewer)) throw forbidden('Only the seller of the order can answer a claim');
    const claimId = decodeId(input.claimId, 'Claim', ['input', 'claimId']);
    if (!SELLER_ACTIONS.includes(input.action)) {
      fail(UserErrorCode.INVALID_INPUT, 'action must be SUBMIT_PROOF, REFUND or RESHIP', [
        'input',
        'action',
      ]);
    }
    const note = cleanNote(input.note, ['input', 'note']);
    const by: ClaimActorRef = { actor: ClaimActor.SELLER, tokenId: viewer.tokenId };
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
      if (input.action === ClaimAction.SUBMIT_PROOF && !claim.evidence.proof) {
        fail(UserErrorCode.NO_DELIVERY_PROOF, 'There is no delivery proof to submit', [
          'input',
          'action',
        ]);
      }
      const order = await tx.manager.findOneByOrFail(Order, { id: claim.orderId });
      const refund =
        input.action === ClaimAction.REFUND
          ? refundOf(input.refundAmount, order, ['input', 'refundAmount'])
          : null;
      await this.move(tx, { claim, order, action: input.action, by, note, refund, now });
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
    if (!note)
      fail(UserErrorCode.INVALID_INPUT, 'Give the reason for the decision', ['input', 'note']);
    const by: ClaimActorRef = { actor: ClaimActor.ADMIN, tokenId: viewer.tokenId };
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
      await this.move(tx, { claim, order, action, by, note, refund, now });
      return { claim };
    });
  }

  /** Each reason must fit the shipment it is about. */
  private checkReason(reason: ClaimReason, shipment: Shipment): void {
    const delivered = shipment.status === ShipmentStatus.DELIVERED;
    if (reason === ClaimReason.DELIVERED_NOT_RECEIVED && !delivered) {
      fail(
        UserErrorCode.INVALID_INPUT,
        'The carrier has not reported a delivery: file NOT_RECEIVED',
        ['input', 'reason'],
      );
    }
    if (
      reason === ClaimReason.ADULT_ID_NOT_CHECKED &&
      (!delivered || shipment.signatureRequirement !== SignatureOption.ADULT_SIGNATURE_REQUIRED)
    ) {
      fail(
        UserErrorCode.INVALID_INPUT,
        'ADULT_ID_NOT_CHECKED is for a delivered order shipped with Adult Signature Required',
        ['input', 'reason'],
      );
    }
  }

  /**
   * Answers for the seller at once when the seller asked for it and the evidence holds on its
   * own (no exclusion): the same SUBMIT_PROOF a seller would make, recorded as SYSTEM.
   */
  private async defendAutomatically(tx: Tx, claim: Claim, order: Order, now: Date): Promise<void> {
    if (claim.evidence.defenceExclusions.length > 0 || !claim.evidence.proof) return;
    const settings = await tx.manager.findOne(SellerRiskSettings, {
      where: { sellerId: claim.sellerId },
    });
    if (!settings?.autoDefendClaims) return;
    claim.answeredAutomatically = true;
    const proof = claim.evidence.proof;
    const note =
      `Answered automatically with the carrier's delivery proof: signed by ` +
      `${proof.signerName ?? 'unknown'}${proof.signedAt ? ` at ${proof.signedAt}` : ''}; every check passed.`;
    await this.move(tx, {
      claim,
      order,
      action: ClaimAction.SUBMIT_PROOF,
      by: { actor: ClaimActor.SYSTEM, tokenId: null },
      note,
      refund: null,
      now,
    });
  }

  /** Applies one action through the machine and records it; an illegal move is a user error. */
  private async move(
    tx: Tx,
    args: {
      claim: Claim;
      order: Order;
      action: ClaimAction;
      by: ClaimActorRef;
      note: string | null;
      refund: number | null;
      now: Date;
    },
  ): Promise<void> {
    const { claim, action, by, now } = args;
    const from = claim.status;
    const decision = decideClaimMove(from, action, by.actor);
    if (!decision.allowed) {
      fail(
        UserErrorCode.CLAIM_TRANSITION_NOT_ALLOWED,
        decision.why === 'CLOSED'
          ? `The claim is closed (${from})`
          : `${action} is not possible while the claim is ${from}`,
        ['input', 'claimId'],
      );
    }
    claim.status = decision.to;
    if (decision.outcome) {
      claim.outcome = decision.outcome;
      claim.closedAt = now;
    }
    if (args.refund !== null) claim.refundMinor = args.refund;
    await recordClaimMove(tx, this.deps.events, { ...args, from });
  }

  /** On PostgreSQL, concurrent moves of one claim queue on its row; SQLite has one writer. */
  private lockClaim(m: EntityManager, id: number): Promise<Claim | null> {
    return m.findOne(Claim, {
      where: { id },
      ...(this.deps.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }
}
