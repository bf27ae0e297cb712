/** An example operation the IDE opens as a tab. */
export interface IdeExample {
  /** The operation; name it, since GraphiQL titles the tab after the operation name. */
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
}

/**
 * Example operations prefilled as IDE tabs, in order. Only fields that exist in
 * schema/schema.graphql belong here (test/graphiql.test.ts validates every example against the
 * schema); append new examples as operations land.
 */
export const ideExamples: IdeExample[] = [
  {
    query: `# Who the token in the Headers tab below acts as.
query Viewer {
  viewer {
    role
    seller {
      id
      name
    }
    buyer {
      id
      name
    }
  }
}
`,
  },
  {
    query: `# Your newest orders.
query Orders($first: Int = 10) {
  orders(first: $first) {
    edges {
      cursor
      node {
        id
        number
        status
        totals {
          total {
            amount
            currencyCode
          }
        }
        items {
          sku
          title
        }
        shipTo {
          city
          region
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
    variables: '{ "first": 10 }',
  },
  {
    query: `# The carrier catalog: which services carry which signature option, and the fee.
query CarrierServices {
  carrierServices {
    id
    carrier
    code
    name
    signatureOptions {
      option
      supported
      carrierCode
      fee {
        amount
        currencyCode
      }
      unavailableReason
    }
  }
}
`,
  },
  {
    query: `# Live tracking (README "Tracking walkthrough"): set the Authorization header to the
# order's buyer (or seller) token and orderId to the order, run, then \`npm run simulate -- --all\`.
subscription LiveTracking($orderId: ID) {
  shipmentUpdated(orderId: $orderId) {
    changes
    previousStatus
    shipment {
      trackingNumber
      status
      statusReason
      signatureRequirementText
      estimatedDeliveryAt
    }
    event {
      status
      reason
      description
      location
      occurredAt
    }
  }
}
`,
    variables: '{ "orderId": "paste an order id" }',
  },
  {
    query: `# Every change of your shipments, as a seller: signatureMissing flags a delivery
# without the signature that was paid for.
subscription SellerShipmentFeed {
  sellerShipmentFeed {
    changes
    signatureMissing
    proofFlagged
    shipment {
      trackingNumber
      status
      statusReason
    }
    event {
      description
      occurredAt
    }
  }
}
`,
  },
  {
    query: `# A parcel by tracking number: status, events and, once delivered, the delivery proof
# (the signature image is shown to the seller only).
query TrackParcel($trackingNumber: String!) {
  shipment(trackingNumber: $trackingNumber) {
    trackingNumber
    carrier
    status
    signatureRequirementText
    events {
      status
      reason
      description
      location
      occurredAt
    }
    deliveryProof {
      id
      signed
      signerName
      signedAt
      location
      adultIdVerified
      flagged
      checks {
        code
        passed
        message
      }
      signatureImage
      verdict
    }
  }
}
`,
    variables: '{ "trackingNumber": "paste a tracking number" }',
  },
  {
    query: `# The seller's verdict on a delivery proof (take its id from TrackParcel).
mutation VerifyDeliveryProof($proofId: ID!) {
  verifyDeliveryProof(input: { proofId: $proofId, verdict: CONFIRMED, note: "Signer matches" }) {
    proof {
      verdict
      verdictNote
      verifiedAt
    }
    userErrors {
      code
      field
      message
    }
  }
}
`,
    variables: '{ "proofId": "paste a delivery proof id" }',
  },
];
