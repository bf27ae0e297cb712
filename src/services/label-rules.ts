import type { Order } from '../entities';
import { OrderStatus, SignatureOption } from '../entities/enums';
import { UserErrorCode, userError } from '../core/user-error';
import type { UserError } from '../core/user-error';

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
