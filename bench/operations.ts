/**
 * The benchmark's GraphQL operations. test/bench-sql-budget.test.ts imports W1 from here, so the
 * statement budget is asserted on exactly the query the benchmark measures.
 */

/** W1, the seller dashboard: one page of orders with everything the list shows. */
export const W1_SELLER_DASHBOARD = /* GraphQL */ `
  query SellerDashboard($first: Int!) {
    orders(first: $first) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          number
          status
          placedAt
          totals {
            total {
              amount
              currencyCode
            }
          }
          buyer {
            id
            name
          }
          shipTo {
            city
            region
            postalCode
          }
          items {
            id
            sku
            title
            quantity
            ageRestricted
            unitPrice {
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
          label {
            id
            trackingNumber
            carrier
            signatureOption
            signatureCarrierCode
            status
            total {
              amount
              currencyCode
            }
          }
          shipment {
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
`;

/** W2: a label quote for a fresh order, with every rate and signature option itemized. */
export const W2_CREATE_LABEL_QUOTE = /* GraphQL */ `
  mutation CreateLabelQuote($input: CreateLabelQuoteInput!) {
    createLabelQuote(input: $input) {
      quote {
        id
        expiresAt
        recommendedSignature
        rates {
          id
          carrier
          estimatedDeliveryDays
          service {
            code
            name
          }
          basePostage {
            amount
            currencyCode
          }
          options {
            option
            supported
            unavailableReason
            carrierCode
            isRecommended
            requiresTermsAcceptance
            fee {
              amount
              currencyCode
            }
            total {
              amount
              currencyCode
            }
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
`;

export const W3_SIGNATURE_TERMS = /* GraphQL */ `
  query SignatureTermsVersion {
    signatureTerms {
      version
    }
  }
`;

export const W3_ACCEPT_TERMS = /* GraphQL */ `
  mutation AcceptSignatureTerms($input: AcceptSignatureTermsInput!) {
    acceptSignatureTerms(input: $input) {
      userErrors {
        code
        message
      }
    }
  }
`;

/** W3: buys the label of a quoted rate, with a signature option and a fresh idempotency key. */
export const W3_PURCHASE_LABEL = /* GraphQL */ `
  mutation PurchaseLabel($input: PurchaseLabelInput!) {
    purchaseLabel(input: $input) {
      label {
        id
        trackingNumber
        carrier
        signatureOption
        signatureCarrierCode
        total {
          amount
          currencyCode
        }
      }
      order {
        id
        status
      }
      shipment {
        id
        status
        signatureRequirementText
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** W4: what a tracking page subscribes to; every subscriber of the benchmark follows one shipment. */
export const W4_SHIPMENT_UPDATED = /* GraphQL */ `
  subscription ShipmentUpdated($shipmentId: ID!) {
    shipmentUpdated(shipmentId: $shipmentId) {
      changes
      previousStatus
      signatureMissing
      shipment {
        id
        status
        statusReason
        signatureRequirement
        signatureRequirementText
        estimatedDeliveryAt
        updatedAt
      }
      event {
        id
        status
        description
        location
        occurredAt
        signatureRequirementText
      }
    }
  }
`;
