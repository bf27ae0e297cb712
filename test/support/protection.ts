import { pickOrder } from './labels';
import type { GraphQLClient, OrderNode } from './labels';

/**
 * One of the seller's HIGH orders awaiting shipment whose deciding reason is its value (USD 750
 * or more), without age-restricted goods or a forwarder ship-to: the plain "no signature on a
 * high-value order" case. Orders in `taken` are skipped, and the pick is added.
 */
export async function pickHighValueOrder(
  server: GraphQLClient,
  token: string,
  taken: Set<string>,
): Promise<OrderNode> {
  for (let index = 0; ; index += 1) {
    const order = await pickOrder(server, token, {
      filter: { status: 'AWAITING_SHIPMENT', riskLevel: 'HIGH' },
      index,
    });
    const codes = order.riskAssessment!.reasons.map((r) => r.code);
    if (
      !taken.has(order.id) &&
      codes.includes('ORDER_VALUE_HIGH') &&
      !codes.includes('AGE_RESTRICTED_ITEM') &&
      !codes.includes('RESHIPPER_ADDRESS')
    ) {
      taken.add(order.id);
      return order;
    }
  }
}
