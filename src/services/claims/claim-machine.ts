import { ClaimActor, ClaimOutcome, ClaimStatus } from '../../entities/enums';

const S = ClaimStatus;

/** What someone does to a claim; each names the status it leads to. */
export enum ClaimAction {
  /** The seller (or SYSTEM for it) answers with the delivery proof; staff then decide. */
  SUBMIT_PROOF = 'SUBMIT_PROOF',
  /** The seller refunds the buyer: closes the claim. */
  REFUND = 'REFUND',
  /** The seller sends the goods again: closes the claim. */
  RESHIP = 'RESHIP',
  /** Staff decide for the seller: closes the claim, nothing is paid. */
  RESOLVE_FOR_SELLER = 'RESOLVE_FOR_SELLER',
  /** Staff decide for the buyer: closes the claim with a refund of the order total. */
  RESOLVE_FOR_BUYER = 'RESOLVE_FOR_BUYER',
}

/** The seller's answers to a claim, as the API offers them. */
export enum ClaimResponse {
  SUBMIT_PROOF = 'SUBMIT_PROOF',
  REFUND = 'REFUND',
  RESHIP = 'RESHIP',
}

export const RESPONSE_ACTIONS: Readonly<Record<ClaimResponse, ClaimAction>> = {
  [ClaimResponse.SUBMIT_PROOF]: ClaimAction.SUBMIT_PROOF,
  [ClaimResponse.REFUND]: ClaimAction.REFUND,
  [ClaimResponse.RESHIP]: ClaimAction.RESHIP,
};

interface Move {
  to: ClaimStatus;
  /** Who may take it. */
  by: readonly ClaimActor[];
  /** Set when the move closes the claim. */
  outcome: ClaimOutcome | null;
}

const SELLER_SIDE = [ClaimActor.SELLER, ClaimActor.SYSTEM] as const;
const STAFF = [ClaimActor.ADMIN] as const;

/** Where each action leads, who may take it, and what it settles. */
const MOVES: Record<ClaimAction, Move> = {
  [ClaimAction.SUBMIT_PROOF]: { to: S.SELLER_RESPONDED, by: SELLER_SIDE, outcome: null },
  [ClaimAction.REFUND]: { to: S.REFUNDED, by: [ClaimActor.SELLER], outcome: ClaimOutcome.REFUNDED },
  [ClaimAction.RESHIP]: {
    to: S.RESHIPPED,
    by: [ClaimActor.SELLER],
    outcome: ClaimOutcome.RESHIPPED,
  },
  [ClaimAction.RESOLVE_FOR_SELLER]: {
    to: S.RESOLVED_FOR_SELLER,
    by: STAFF,
    outcome: ClaimOutcome.RESOLVED_FOR_SELLER,
  },
  [ClaimAction.RESOLVE_FOR_BUYER]: {
    to: S.RESOLVED_FOR_BUYER,
    by: STAFF,
    outcome: ClaimOutcome.REFUNDED,
  },
};

/**
 * The actions allowed from each status. The seller answers once, while the claim awaits it; staff
 * may decide at any open status (a seller who never answers, or one who refunds later, is for
 * staff). Closed statuses allow nothing.
 */
const ALLOWED: Record<ClaimStatus, readonly ClaimAction[]> = {
  [S.AWAITING_SELLER]: [
    ClaimAction.SUBMIT_PROOF,
    ClaimAction.REFUND,
    ClaimAction.RESHIP,
    ClaimAction.RESOLVE_FOR_SELLER,
    ClaimAction.RESOLVE_FOR_BUYER,
  ],
  [S.SELLER_RESPONDED]: [
    ClaimAction.REFUND,
    ClaimAction.RESOLVE_FOR_SELLER,
    ClaimAction.RESOLVE_FOR_BUYER,
  ],
  [S.REFUNDED]: [],
  [S.RESHIPPED]: [],
  [S.RESOLVED_FOR_SELLER]: [],
  [S.RESOLVED_FOR_BUYER]: [],
};

/** The status a claim starts in: awaiting the seller's answer. */
export const INITIAL_STATUS = S.AWAITING_SELLER;

/** Statuses that close a claim: no action is allowed from them. */
export const CLOSED_STATUSES: ReadonlySet<ClaimStatus> = new Set(
  (Object.keys(ALLOWED) as ClaimStatus[]).filter((s) => ALLOWED[s].length === 0),
);

export const isOpen = (status: ClaimStatus): boolean => !CLOSED_STATUSES.has(status);

export type ClaimDecision =
  | { allowed: true; to: ClaimStatus; outcome: ClaimOutcome | null }
  | { allowed: false; why: 'CLOSED' | 'NOT_ALLOWED_FROM_STATUS' | 'NOT_ALLOWED_FOR_ACTOR' };

/** Whether `actor` may take `action` on a claim in `from`, and where it leads. */
export function decideClaimMove(
  from: ClaimStatus,
  action: ClaimAction,
  actor: ClaimActor,
): ClaimDecision {
  if (CLOSED_STATUSES.has(from)) return { allowed: false, why: 'CLOSED' };
  const move = MOVES[action];
  if (!move.by.includes(actor)) return { allowed: false, why: 'NOT_ALLOWED_FOR_ACTOR' };
  if (!ALLOWED[from].includes(action)) return { allowed: false, why: 'NOT_ALLOWED_FROM_STATUS' };
  return { allowed: true, to: move.to, outcome: move.outcome };
}
