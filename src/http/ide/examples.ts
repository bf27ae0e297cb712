import { operationText } from '../../operations/documents';
import type { SeededIds } from './seeded-ids';

/** An example operation the IDE opens as a tab. */
export interface IdeExample {
  /** The operation; name it, since GraphiQL titles the tab after the operation name. */
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
}

const json = (value: Record<string, unknown>) => JSON.stringify(value, null, 2);

/**
 * Example operations prefilled as IDE tabs, in the order of a seller's day: find the risky
 * orders, quote one, accept the terms, buy, track, verify; then the rest. The operations are
 * written once in operations/*.graphql (most in operations/ide.graphql; the comment lines above
 * one open its tab), where codegen checks them against schema/schema.graphql and
 * test/graphiql.test.ts runs them. Variables carry the IDE seller's real ids (`ids`, read from
 * the database when the page is served, ./seeded-ids.ts); an id the seller does not have yet
 * says which tab makes it (reload the IDE after running that tab).
 */
export function ideExamples(ids: SeededIds = {}): IdeExample[] {
  const orderId = ids.orderId ?? 'run HighRiskOrders: an order id';
  return [
    // find
    { query: operationText('HighRiskOrders') },
    // quote
    { query: operationText('QuoteLabel'), variables: json({ orderId }) },
    // terms
    { query: operationText('SignatureTerms') },
    {
      query: operationText('AcceptSignatureTerms'),
      variables: json({ version: ids.termsVersion ?? 'run SignatureTerms: its version' }),
    },
    // buy
    {
      query: operationText('PurchaseLabel'),
      variables: json({
        quoteId: ids.quoteId ?? 'run QuoteLabel, then reload',
        rateId: ids.rateId ?? 'run QuoteLabel: a rate id',
        key: 'ide-purchase-1',
      }),
    },
    // track
    {
      query: operationText('TrackParcel'),
      variables: json({ trackingNumber: ids.trackingNumber ?? 'buy a label, then reload' }),
    },
    { query: operationText('SellerShipmentFeed') },
    { query: operationText('LiveTracking'), variables: json({ orderId }) },
    // verify
    {
      query: operationText('VerifyDeliveryProof'),
      variables: json({ proofId: ids.proofId ?? 'after a signed delivery, reload' }),
    },
    // the rest of the day
    {
      query: operationText('VoidLabel'),
      variables: json({ labelId: ids.labelId ?? 'buy a label, then reload' }),
    },
    { query: operationText('Viewer') },
    { query: operationText('Orders'), variables: json({ first: 10 }) },
    { query: operationText('CarrierServices') },
    {
      query: operationText('SignatureSummary'),
      variables: json({ from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }),
    },
    { query: operationText('UpdateRiskSettings') },
  ];
}
