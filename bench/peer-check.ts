import { parseGlobalId } from '../src/core/global-id';

/**
 * Whether PostGraphile's answer to PEER_QUERY holds the same orders and values as the product's
 * W1 answer: the shapes differ (field names, nodes lists, ids), so both are reduced to the same
 * plain values first. Returns what differs, or null.
 */

type Json = Record<string, unknown>;
const id = (globalId: unknown) => parseGlobalId(String(globalId))?.id ?? null;
const money = (amount: unknown, currencyCode: unknown) => ({ amount, currencyCode });

function fromProduct(answer: Json) {
  const orders = (answer.data as Json).orders as Json;
  return {
    hasNextPage: (orders.pageInfo as Json).hasNextPage,
    orders: (orders.edges as Json[]).map(({ node }) => {
      const o = node as Json;
      const risk = o.riskAssessment as Json | null;
      const label = o.label as Json | null;
      const shipment = o.shipment as Json | null;
      return {
        id: id(o.id),
        number: o.number,
        status: o.status,
        placedAt: o.placedAt,
        total: (o.totals as Json).total,
        buyer: { id: id((o.buyer as Json).id), name: (o.buyer as Json).name },
        shipTo: o.shipTo,
        items: (o.items as Json[]).map((i) => ({ ...i, id: id(i.id) })),
        risk: risk && { ...risk },
        label: label && { ...label, id: id(label.id) },
        shipment: shipment && { ...shipment, id: id(shipment.id) },
      };
    }),
  };
}

function fromPeer(answer: Json) {
  const orders = (answer.data as Json).viewerOrders as Json;
  const first = (list: unknown) => ((list as Json).nodes as Json[])[0] ?? null;
  return {
    hasNextPage: (orders.pageInfo as Json).hasNextPage,
    orders: (orders.edges as Json[]).map(({ node }) => {
      const o = node as Json;
      const buyer = o.buyerByBuyerId as Json;
      const risk = first(o.riskAssessmentsByOrderId);
      const label = first(o.labelsByOrderId);
      const shipment = first(o.shipmentsByOrderId);
      return {
        id: o.id,
        number: o.number,
        status: o.status,
        placedAt: o.placedAt,
        total: money(o.totalAmount, o.currency),
        buyer: { id: buyer.id, name: buyer.name },
        shipTo: o.addressByShipToAddressId,
        items: ((o.lineItemsByOrderId as Json).nodes as Json[]).map((i) => ({
          id: i.id,
          sku: i.sku,
          title: i.title,
          quantity: i.quantity,
          ageRestricted: i.ageRestricted,
          unitPrice: money(i.unitPriceAmount, i.currency),
        })),
        risk: risk && {
          score: risk.score,
          level: risk.level,
          recommendedSignature: risk.recommendedSignature,
          reasons: JSON.parse(String(risk.reasons)) as unknown,
        },
        label: label && {
          id: label.id,
          trackingNumber: label.trackingNumber,
          carrier: label.carrier,
          signatureOption: label.signatureOption,
          signatureCarrierCode: label.signatureCarrierCode,
          status: label.status,
          total: money(label.totalAmount, label.currency),
        },
        shipment: shipment && {
          id: shipment.id,
          carrier: shipment.carrier,
          trackingNumber: shipment.trackingNumber,
          status: shipment.status,
          signatureRequirement: shipment.signatureRequirement,
          signatureRequirementText: shipment.signatureRequirementText,
          estimatedDeliveryAt: shipment.estimatedDeliveryAt,
        },
      };
    }),
  };
}

export function peerDiffers(product: unknown, peerText: string): string | null {
  try {
    const mine = JSON.stringify(fromProduct(product as Json));
    const theirs = JSON.stringify(fromPeer(JSON.parse(peerText) as Json));
    if (mine === theirs) return null;
    let at = 0;
    while (mine[at] === theirs[at]) at++;
    return `differs at ${at}: ${theirs.slice(Math.max(0, at - 80), at + 120)} vs ${mine.slice(Math.max(0, at - 80), at + 120)}`;
  } catch (error) {
    return `answered ${peerText.slice(0, 300)} (${String(error)})`;
  }
}
