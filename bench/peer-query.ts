/**
 * W1 for PostGraphile (bench/peer.ts): the same page and fields, with the same picks (the
 * current risk assessment, the live label, the latest shipment) through smart-tag relations.
 */
export const PEER_QUERY = `query PeerDashboard($first: Int!) {
  viewerOrders(first: $first) {
    pageInfo { hasNextPage }
    edges {
      node {
        nodeId
        id
        number
        status
        placedAt
        totalAmount
        currency
        buyerByBuyerId { nodeId id name }
        addressByShipToAddressId { city region postalCode }
        lineItemsByOrderId(orderBy: ID_ASC) {
          nodes { nodeId id sku title quantity ageRestricted unitPriceAmount currency }
        }
        riskAssessmentsByOrderId(condition: { isCurrent: true }, orderBy: ID_DESC, first: 1) {
          nodes { score level recommendedSignature reasons }
        }
        labelsByOrderId(condition: { status: "PURCHASED" }, orderBy: ID_DESC, first: 1) {
          nodes {
            nodeId
            id
            trackingNumber
            carrier
            signatureOption
            signatureCarrierCode
            status
            totalAmount
            currency
          }
        }
        shipmentsByOrderId(orderBy: ID_DESC, first: 1) {
          nodes {
            nodeId
            id
            carrier
            trackingNumber
            status
            signatureRequirement
            signatureRequirementText
            estimatedDeliveryAt
          }
        }
      }
    }
  }
}`;
