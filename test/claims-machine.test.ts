import { ClaimActor, ClaimOutcome, ClaimStatus } from '../src/entities/enums';
import {
  CLOSED_STATUSES,
  ClaimAction,
  decideClaimMove,
  isOpen,
} from '../src/services/claims/claim-machine';

const S = ClaimStatus;
const A = ClaimAction;

describe('claim machine', () => {
  it.each([
    [S.AWAITING_SELLER, A.SUBMIT_PROOF, ClaimActor.SELLER, S.SELLER_RESPONDED, null],
    [S.AWAITING_SELLER, A.SUBMIT_PROOF, ClaimActor.SYSTEM, S.SELLER_RESPONDED, null],
    [S.AWAITING_SELLER, A.REFUND, ClaimActor.SELLER, S.REFUNDED, ClaimOutcome.REFUNDED],
    [S.AWAITING_SELLER, A.RESHIP, ClaimActor.SELLER, S.RESHIPPED, ClaimOutcome.RESHIPPED],
    [
      S.SELLER_RESPONDED,
      A.RESOLVE_FOR_SELLER,
      ClaimActor.ADMIN,
      S.RESOLVED_FOR_SELLER,
      ClaimOutcome.RESOLVED_FOR_SELLER,
    ],
    [
      S.AWAITING_SELLER,
      A.RESOLVE_FOR_BUYER,
      ClaimActor.ADMIN,
      S.RESOLVED_FOR_BUYER,
      ClaimOutcome.REFUNDED,
    ],
    [S.SELLER_RESPONDED, A.REFUND, ClaimActor.SELLER, S.REFUNDED, ClaimOutcome.REFUNDED],
  ])('%s --%s by %s--> %s', (from, action, actor, to, outcome) => {
    expect(decideClaimMove(from, action, actor)).toEqual({ allowed: true, to, outcome });
  });

  it.each([
    [S.SELLER_RESPONDED, A.SUBMIT_PROOF, ClaimActor.SELLER, 'NOT_ALLOWED_FROM_STATUS'],
    [S.SELLER_RESPONDED, A.RESHIP, ClaimActor.SELLER, 'NOT_ALLOWED_FROM_STATUS'],
    [S.AWAITING_SELLER, A.RESOLVE_FOR_SELLER, ClaimActor.SELLER, 'NOT_ALLOWED_FOR_ACTOR'],
    [S.AWAITING_SELLER, A.REFUND, ClaimActor.SYSTEM, 'NOT_ALLOWED_FOR_ACTOR'],
    [S.AWAITING_SELLER, A.SUBMIT_PROOF, ClaimActor.BUYER, 'NOT_ALLOWED_FOR_ACTOR'],
    [S.AWAITING_SELLER, A.SUBMIT_PROOF, ClaimActor.ADMIN, 'NOT_ALLOWED_FOR_ACTOR'],
    [S.RESOLVED_FOR_SELLER, A.RESOLVE_FOR_BUYER, ClaimActor.ADMIN, 'CLOSED'],
    [S.REFUNDED, A.RESHIP, ClaimActor.SELLER, 'CLOSED'],
  ])('refuses %s --%s by %s (%s)', (from, action, actor, why) => {
    expect(decideClaimMove(from, action, actor)).toEqual({ allowed: false, why });
  });

  it('closes a claim exactly at REFUNDED, RESHIPPED and the two decisions', () => {
    expect([...CLOSED_STATUSES].sort()).toEqual(
      [S.REFUNDED, S.RESHIPPED, S.RESOLVED_FOR_BUYER, S.RESOLVED_FOR_SELLER].sort(),
    );
    expect(isOpen(S.AWAITING_SELLER)).toBe(true);
    expect(isOpen(S.SELLER_RESPONDED)).toBe(true);
  });
});
