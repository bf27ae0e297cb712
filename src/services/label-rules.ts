import type { Order } from '../entities';
import { OrderStatus, SignatureOption } from '../entities/enums';
import { UserErrorCode, fail, userError } from '../core/user-error';
import type { UserError } from '../core/user-error';
import { eligibility } from '../core/contents-eligibility';
import type { ContentsItem, Eligibility } from '../core/contents-eligibility';
import type { QuotedRate } from '../entities/label-quote.entity';

/**
 * Label rules shared by quotes, purchases, the terms' fee schedule and the seller summary; pure,
 * so no service has to import another for them.
 */

/** Options in the order sellers read them: none, signature, adult signature. */
export const SIGNATURE_OPTION_ORDER: readonly SignatureOption[] = [
  SignatureOption.NONE,
  SignatureOption.SIGNATURE_REQUIRED,
  SignatureOption.ADULT_SIGNATURE_REQUIRED,
];

/** Why an order cannot get a (new) label, or null when it can. */
export function unshippableReason(order: Order): UserError | null {
  if (order.status === OrderStatus.AWAITING_SHIPMENT) return null;
  if (order.status === OrderStatus.CANCELLED) {
    return userError(
      UserErrorCode.ORDER_NOT_SHIPPABLE,
      `Order ${order.number} is cancelled; nothing ships.`,
    );
  }
  return userError(
    UserErrorCode.ORDER_ALREADY_LABELED,
    `Order ${order.number} already has a label (status ${order.status}); void it first to buy another.`,
  );
}

/** Whether a quoted rate may carry the order's items (src/core/contents-eligibility.ts). */
export function rateEligibility(
  rate: Pick<QuotedRate, 'carrier' | 'serviceCode' | 'options'>,
  items: readonly ContentsItem[],
  serviceName: string = rate.serviceCode,
): Eligibility {
  const adult = rate.options.find((o) => o.option === SignatureOption.ADULT_SIGNATURE_REQUIRED);
  return eligibility(
    {
      carrier: rate.carrier,
      code: rate.serviceCode,
      name: serviceName,
      adultSignature: !!adult?.supported,
    },
    items,
  );
}

/** Fails with CONTENTS_NOT_ELIGIBLE when the rate's service may not carry the order's items. */
export function requireEligible(
  rate: Pick<QuotedRate, 'carrier' | 'serviceCode' | 'options'>,
  items: readonly ContentsItem[],
  serviceName?: string,
): void {
  const result = rateEligibility(rate, items, serviceName);
  if (!result.eligible) {
    fail(
      UserErrorCode.CONTENTS_NOT_ELIGIBLE,
      `${serviceName ?? rate.serviceCode} cannot carry this order: ${result.reason}`,
      ['input', 'rateId'],
    );
  }
}
