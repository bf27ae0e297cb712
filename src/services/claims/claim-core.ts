import { IsNull, Not } from 'typeorm';
import type { ClaimSettings } from '../../config/config';
import { UserErrorCode, fail } from '../../core/user-error';
import type { Tx } from '../../db/database';
import { Address, Claim, Label, Order, SellerRiskSettings, Shipment } from '../../entities';
import { ClaimActor, ClaimReason, ShipmentStatus, SignatureOption } from '../../entities/enums';
import type { EventBus } from '../../pubsub/event-bus';
import { ClaimAction, INITIAL_STATUS, decideClaimMove } from './claim-machine';
import { claimableFrom } from './claim-window';
import { recordClaimMove } from './claim-writes';
import type { ClaimActorRef } from './claim-writes';
import { evidenceOf, loadEvidenceRows } from './evidence';

/** What the claim rules act with: where moves are published, and the claim settings. */
export interface ClaimEnv {
  events: EventBus;
  settings: ClaimSettings;
}

const HOUR_MS = 3_600_000;

/** Each reason must fit the shipment it is about. */
function checkReason(reason: ClaimReason, shipment: Shipment): void {
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
 * Files a claim in the caller's transaction: the buyer's own order, delivered or overdue, inside
 * the window, with no other open claim; the evidence is assembled at once and, when the seller
 * asked for it and nothing excludes it, answered for the seller.
 */
export async function fileClaimIn(
  tx: Tx,
  env: ClaimEnv,
  args: {
    buyerId: number;
    by: ClaimActorRef;
    orderId: number;
    reason: ClaimReason;
    description: string | null;
    now: Date;
  },
): Promise<Claim> {
  const m = tx.manager;
  const { orderId, now } = args;
  const order = await m.findOne(Order, { where: { id: orderId } });
  if (!order || order.buyerId !== args.buyerId) {
    fail(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ['input', 'orderId']);
  }
  if (await m.exists(Claim, { where: { orderId, closedAt: IsNull() } })) {
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
  const window = claimableFrom(shipment, label, env.settings, now);
  if (!window.claimable) fail(UserErrorCode.ORDER_NOT_CLAIMABLE, window.why, ['input', 'orderId']);
  if (!shipment) throw new Error('A claimable order has a shipment');
  if (now.getTime() > window.closesAt.getTime()) {
    fail(
      UserErrorCode.CLAIM_WINDOW_CLOSED,
      `Claims on this order could be filed until ${window.closesAt.toISOString()}`,
      ['input', 'orderId'],
    );
  }
  checkReason(args.reason, shipment);
  const shipTo = await m.findOneOrFail(Address, { where: { id: order.shipToAddressId } });
  const rows = await loadEvidenceRows(m, order, shipment);
  const claim = m.create(Claim, {
    orderId,
    sellerId: order.sellerId,
    buyerId: order.buyerId,
    shipmentId: shipment.id,
    labelId: shipment.labelId,
    shipToFingerprint: shipTo.fingerprint,
    reason: args.reason,
    description: args.description,
    status: INITIAL_STATUS,
    outcome: null,
    refundMinor: null,
    currency: order.currency,
    evidence: evidenceOf(rows, now),
    answeredAutomatically: false,
    filedAt: now,
    sellerDeadlineAt: new Date(now.getTime() + env.settings.sellerResponseHours * HOUR_MS),
    closedAt: null,
    updatedAt: now,
  });
  await recordClaimMove(tx, env.events, {
    claim,
    order,
    from: null,
    by: args.by,
    note: args.description,
    now,
  });
  await defendAutomatically(tx, env, claim, order, now);
  return claim;
}

/**
 * Answers for the seller at once when the seller asked for it and the evidence holds on its
 * own (no exclusion): the same SUBMIT_PROOF a seller would make, recorded as SYSTEM.
 */
async function defendAutomatically(
  tx: Tx,
  env: ClaimEnv,
  claim: Claim,
  order: Order,
  now: Date,
): Promise<void> {
  const proof = claim.evidence.proof;
  if (claim.evidence.defenceExclusions.length > 0 || !proof) return;
  const settings = await tx.manager.findOne(SellerRiskSettings, {
    where: { sellerId: claim.sellerId },
  });
  if (!settings?.autoDefendClaims) return;
  claim.answeredAutomatically = true;
  const note =
    `Answered automatically with the carrier's delivery proof: signed by ` +
    `${proof.signerName ?? 'unknown'}${proof.signedAt ? ` at ${proof.signedAt}` : ''}; every check passed.`;
  await moveClaim(tx, env, {
    claim,
    order,
    action: ClaimAction.SUBMIT_PROOF,
    by: { actor: ClaimActor.SYSTEM, tokenId: null },
    note,
    refund: null,
    now,
  });
}

/** Applies one action through the claim machine and records it; an illegal move is a user error. */
export async function moveClaim(
  tx: Tx,
  env: ClaimEnv,
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
  await recordClaimMove(tx, env.events, { ...args, from });
}
