import type { Order } from '../entities';
import { OrderStatus, SignatureOption } from '../entities/enums';
import { UserError } from '../graphql/types/user-error.type';
import { UserErrorCode } from '../graphql/user-error-code';

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
    return UserError.of(
      UserErrorCode.ORDER_NOT_SHIPPABLE,
      `Order ${order.number} is cancelled; nothing ships.`,
    );
  }
  return UserError.of(
    UserErrorCode.ORDER_ALREADY_LABELED,
    `Order ${order.number} already has a label (status ${order.status}); void it first to buy another.`,
  );
}
