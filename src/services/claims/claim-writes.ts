import type { EntityManager } from 'typeorm';
import { toGlobalId } from '../../core/global-id';
import type { Tx } from '../../db/database';
import { Claim, ClaimTransition, Notification } from '../../entities';
import type { Order } from '../../entities';
import { ClaimActor } from '../../entities/enums';
import type { ClaimStatus } from '../../entities/enums';
import { draftClaimNotice } from '../../notifications/compose';
import { publishClaimChanged } from '../../pubsub/event-bus';
import type { EventBus } from '../../pubsub/event-bus';
import { enqueueWebhookEvent } from '../../webhooks/outgoing';

/** Who acts on a claim: the role it acts in and its token (null for SYSTEM). */
export interface ClaimActorRef {
  actor: ClaimActor;
  tokenId: number | null;
  /** The request (X-Request-Id) it came in, kept on the outbox and webhook rows it causes. */
  requestId?: string | null;
}

/** What `claim.updated` carries. */
export function claimWebhookData(claim: Claim, transition: ClaimTransition) {
  return {
    claimId: toGlobalId('Claim', claim.id),
    orderId: toGlobalId('Order', claim.orderId),
    reason: claim.reason,
    status: claim.status,
    previousStatus: transition.fromStatus,
    outcome: claim.outcome,
    actor: transition.actor,
    answeredAutomatically: claim.answeredAutomatically,
    refundMinor: claim.refundMinor,
    currency: claim.currency,
    sellerDeadlineAt: claim.sellerDeadlineAt.toISOString(),
    at: transition.at.toISOString(),
  };
}

/**
 * Saves the claim as moved to `claim.status` and records the move in the caller's transaction:
 * the transition (who, when, note), the buyer's notice when someone else moved it, the
 * `claim.updated` webhook; buyer and seller subscribers hear of it after commit.
 */
export async function recordClaimMove(
  tx: Tx,
  events: EventBus,
  args: {
    claim: Claim;
    order: Order;
    from: ClaimStatus | null;
    by: ClaimActorRef;
    note: string | null;
    now: Date;
  },
): Promise<ClaimTransition> {
  const m: EntityManager = tx.manager;
  const { claim, order, by, note, now } = args;
  claim.updatedAt = now;
  await m.save(Claim, claim);
  const transition = await m.save(
    m.create(ClaimTransition, {
      claimId: claim.id,
      fromStatus: args.from,
      toStatus: claim.status,
      actor: by.actor,
      actorTokenId: by.tokenId,
      note,
      at: now,
    }),
  );
  // The buyer knows what they did themselves; every other move is news to them.
  if (by.actor !== ClaimActor.BUYER) {
    await m.insert(
      Notification,
      draftClaimNotice({
        claim,
        order,
        transitionId: transition.id,
        note,
        now,
        requestId: by.requestId ?? null,
      }),
    );
  }
  await enqueueWebhookEvent(m, {
    sellerId: claim.sellerId,
    event: 'claim.updated',
    data: claimWebhookData(claim, transition),
    now,
    requestId: by.requestId ?? null,
  });
  const payload = {
    claimId: claim.id,
    orderId: claim.orderId,
    sellerId: claim.sellerId,
    buyerId: claim.buyerId,
    status: claim.status,
    transitionId: transition.id,
  };
  tx.afterCommit(() => publishClaimChanged(events, payload));
  return transition;
}
