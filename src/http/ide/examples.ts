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
    query: `# Your newest orders awaiting shipment (drop the filter to see all).
query Orders($first: Int = 10) {
  orders(first: $first, filter: { status: AWAITING_SHIPMENT }) {
    edges {
      cursor
      node {
        id
        number
        status
        buyer {
          name
        }
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
  {
    query: `# Seller flow (README "Seller flow"), step 1: your high-risk orders and why.
query HighRiskOrders {
  orders(first: 20, filter: { riskLevel: HIGH, status: AWAITING_SHIPMENT }) {
    totalCount
    edges {
      node {
        id
        number
        totals {
          total {
            amount
            currencyCode
          }
        }
        riskAssessment {
          score
          level
          recommendedSignature
          reasons {
            code
            message
            weight
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Step 2: a quote (prices locked 15 minutes). Every rate itemizes each signature option:
# fee, total, whether the service supports it, and whether it is the recommended one.
mutation QuoteLabel($orderId: ID!) {
  createLabelQuote(input: { orderId: $orderId }) {
    quote {
      id
      expiresAt
      recommendedSignature
      rates {
        id
        service {
          code
          name
        }
        basePostage {
          amount
        }
        estimatedDeliveryDays
        options {
          option
          supported
          unavailableReason
          carrierCode
          fee {
            amount
          }
          total {
            amount
          }
          isRecommended
          requiresTermsAcceptance
        }
      }
    }
    userErrors {
      code
      field
      message
    }
  }
}
`,
    variables: '{ "orderId": "paste an order id from HighRiskOrders" }',
  },
  {
    query: `# Step 3: the signature terms and fee schedule; acceptedAt is null until you accept.
query SignatureTerms {
  signatureTerms {
    version
    text
    acceptedAt
    fees {
      service {
        code
      }
      option
      carrierCode
      fee {
        amount
      }
    }
  }
}
`,
  },
  {
    query: `# Step 4: accept the current terms (once per version).
mutation AcceptSignatureTerms($version: String!) {
  acceptSignatureTerms(input: { version: $version }) {
    signatureTerms {
      version
      acceptedAt
    }
    userErrors {
      code
      message
    }
  }
}
`,
    variables: '{ "version": "2026-11" }',
  },
  {
    query: `# Step 5: buy. Retrying with the same idempotencyKey returns the first result. Errors say
# what to do: the fee (terms not accepted), the services that can (option not supported), ...
mutation PurchaseLabel($quoteId: ID!, $rateId: String!, $key: String!) {
  purchaseLabel(
    input: {
      quoteId: $quoteId
      rateId: $rateId
      signatureOption: SIGNATURE_REQUIRED
      idempotencyKey: $key
    }
  ) {
    label {
      id
      trackingNumber
      signatureOption
      signatureCarrierCode
      charges {
        kind
        description
        amount {
          amount
        }
      }
      total {
        amount
      }
    }
    order {
      status
    }
    shipment {
      status
      signatureRequirementText
    }
    userErrors {
      code
      field
      message
      fee {
        amount
      }
      termsVersion
      alternatives {
        id
        service {
          code
        }
      }
    }
  }
}
`,
    variables:
      '{ "quoteId": "paste the quote id", "rateId": "rate_usps_ground_advantage", "key": "ide-purchase-1" }',
  },
  {
    query: `# Step 6: void before the carrier's first scan: every charge is refunded.
mutation VoidLabel($labelId: ID!) {
  voidLabel(input: { labelId: $labelId }) {
    label {
      status
      charges {
        kind
        amount {
          amount
        }
      }
    }
    order {
      status
    }
    shipment {
      status
    }
    userErrors {
      code
      message
    }
  }
}
`,
    variables: '{ "labelId": "paste the label id" }',
  },
  {
    query: `# Your signature dashboard for a period.
query SignatureSummary($from: DateTime!, $to: DateTime!) {
  sellerSignatureSummary(from: $from, to: $to) {
    labelsPurchased
    highRiskOrdersLabeled
    highRiskOrdersWithSignature
    signatureCoverage
    recommendationsDeclined
    feesSpent {
      amount
      currencyCode
    }
    byOption {
      option
      labels
      fees {
        amount
      }
    }
  }
}
`,
    variables: '{ "from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z" }',
  },
  {
    query: `# Your risk thresholds; changing them reassesses your orders awaiting shipment.
mutation UpdateRiskSettings {
  updateRiskSettings(input: { highValueThreshold: "750.00", recommendScore: 40 }) {
    riskSettings {
      highValueThreshold {
        amount
      }
      elevatedValueThreshold {
        amount
      }
      recommendScore
      newAccountDays
    }
    reassessedOrders
    levelChangedOrders
    userErrors {
      code
      field
      message
    }
  }
}
`,
  },
];
