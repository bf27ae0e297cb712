import { operationText } from '../../operations/documents';

/** An example operation the IDE opens as a tab. */
export interface IdeExample {
  /** The operation; name it, since GraphiQL titles the tab after the operation name. */
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
}

/**
 * Example operations prefilled as IDE tabs, in order, by name. The operations are written once in
 * operations/*.graphql (most in operations/ide.graphql; the comment lines above one open its tab),
 * where codegen checks them against schema/schema.graphql and test/graphiql.test.ts runs them;
 * append new examples as operations land.
 */
export const ideExamples: IdeExample[] = [
  { query: operationText('Viewer') },
  { query: operationText('Orders'), variables: '{ "first": 10 }' },
  { query: operationText('CarrierServices') },
  { query: operationText('LiveTracking'), variables: '{ "orderId": "paste an order id" }' },
  { query: operationText('SellerShipmentFeed') },
  {
    query: operationText('TrackParcel'),
    variables: '{ "trackingNumber": "paste a tracking number" }',
  },
  {
    query: operationText('VerifyDeliveryProof'),
    variables: '{ "proofId": "paste a delivery proof id" }',
  },
  { query: operationText('HighRiskOrders') },
  {
    query: operationText('QuoteLabel'),
    variables: '{ "orderId": "paste an order id from HighRiskOrders" }',
  },
  { query: operationText('SignatureTerms') },
  { query: operationText('AcceptSignatureTerms'), variables: '{ "version": "2026-11" }' },
  {
    query: operationText('PurchaseLabel'),
    variables:
      '{ "quoteId": "paste the quote id", "rateId": "rate_usps_ground_advantage", "key": "ide-purchase-1" }',
  },
  { query: operationText('VoidLabel'), variables: '{ "labelId": "paste the label id" }' },
  {
    query: operationText('SignatureSummary'),
    variables: '{ "from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z" }',
  },
  { query: operationText('UpdateRiskSettings') },
];
