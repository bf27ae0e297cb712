import { operationText } from '../src/operations/documents';

/**
 * The benchmark's GraphQL operations, defined in operations/bench.graphql. test/bench-sql-budget
 * .test.ts imports W1 from here, so the statement budget is asserted on exactly the query the
 * benchmark measures.
 */

/** W1, the seller dashboard: one page of orders with everything the list shows. */
export const W1_SELLER_DASHBOARD = operationText('SellerDashboard');

/** W2: a label quote for a fresh order, with every rate and signature option itemized. */
export const W2_CREATE_LABEL_QUOTE = operationText('BenchCreateLabelQuote');

export const W3_SIGNATURE_TERMS = operationText('SignatureTermsVersion');

export const W3_ACCEPT_TERMS = operationText('BenchAcceptSignatureTerms');

/** W3: buys the label of a quoted rate, with a signature option and a fresh idempotency key. */
export const W3_PURCHASE_LABEL = operationText('BenchPurchaseLabel');

/** W4: what a tracking page subscribes to; every subscriber of the benchmark follows one shipment. */
export const W4_SHIPMENT_UPDATED = operationText('BenchShipmentUpdated');
