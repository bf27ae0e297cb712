import { parse } from 'graphql';
import { devToken } from '../seeds/dev-tokens';
import { Role as TokenRole } from '../src/entities/enums';
import { Buyer, Order, Seller } from '../src/entities';
import { parseGlobalId, toGlobalId } from '../src/core/global-id';
import { carrierEvent, postCarrierEvent, pngSignature } from './support/carrier';
import { buyLabel } from './support/labels';
import { postGraphQL } from './support/security-clients';
import type { Answer } from './support/security-clients';
import { createShipment, otherBuyerToken } from './support/shipments';
import type { ShipmentFixture } from './support/shipments';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';
import { liveSubscriptions } from './support/ws-client';

/**
 * Who may do what: every query, mutation, subscription and node type, against seven callers, over
 * one seller's order taken through the real flow (quote, terms, purchase, signed delivery).
 * Another tenant's object reads as absent (null, or a *_NOT_FOUND user error), and no answer to
 * another tenant carries any of the owner's ids, tracking number, signer or signature image.
 */

const ROLES = [
  'anonymous',
  'ownerSeller',
  'otherSeller',
  'ownerBuyer',
  'otherBuyer',
  'admin',
  'platform',
] as const;
type Role = (typeof ROLES)[number];

/**
 * What a caller gets: `data` (the field, non-null, no user errors), `null`, `present`/`absent`
 * (the owner's object in a list), a top-level error code, or a user error code (the caller got
 * past authorization and met a business rule, or was told the object does not exist).
 */
type Outcome =
  'data' | 'null' | 'present' | 'absent' | 'UNAUTHENTICATED' | 'FORBIDDEN' | { userError: string };

interface World {
  orderGid: string;
  orderNumber: string;
  lineItemGid: string;
  sellerGid: string;
  buyerGid: string;
  serviceGid: string;
  quoteGid: string;
  rateId: string;
  labelGid: string;
  shipmentGid: string;
  trackingNumber: string;
  eventGid: string;
  proofGid: string;
  notificationGid: string;
  endpointGid: string;
  deliveryGid: string;
  termsVersion: string;
  /** A label batch of the owner's (QUEUED: the test server runs no batch worker). */
  batchGid: string;
  signerName: string;
  image: string;
  /** The owner buyer's open claim on the order (filed after the delivery). */
  claimGid: string;
  /** A SELLER token of the owner's, issued by staff (the revoke row revokes it). */
  apiTokenGid: string;
  /** The owner seller's default ship-from location. */
  locationGid: string;
}

interface Row {
  name: string;
  query: string;
  variables?: (w: World) => Record<string, unknown>;
  /** Dotted path of the value judged. */
  field: string;
  /** For present/absent: the owner's id to look for. */
  ownerId?: (w: World) => string;
  expect: Record<Role, Outcome>;
}

/**
 * Columns in ROLES order: anonymous, owner seller, other seller, owner buyer, other buyer, admin,
 * platform (a marketplace integration's PLATFORM token).
 */
const by = (...outcomes: Outcome[]): Record<Role, Outcome> => {
  // A row written before a role existed must not pass silently for it.
  if (outcomes.length !== ROLES.length) throw new Error(`by() takes ${ROLES.length} outcomes`);
  return Object.fromEntries(ROLES.map((role, i) => [role, outcomes[i]])) as Record<Role, Outcome>;
};
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const nf = (code: string): Outcome => ({ userError: code });

const NODE = 'query($id: ID!) { node(id: $id) { id } }';
/** A well-formed global id of any type name, node or not. */
const rawGlobalId = (type: string, id: number) =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const nodeRow = (type: string, id: (w: World) => string, expect: Record<Role, Outcome>): Row => ({
  name: `node(${type})`,
  query: NODE,
  variables: (w) => ({ id: id(w) }),
  field: 'node',
  expect,
});

const ROWS: Row[] = [
  // Queries. expect: by(anonymous, owner seller, other seller, owner buyer, other buyer, admin,
  // platform)
  {
    name: 'viewer',
    query: '{ viewer { role } }',
    field: 'viewer',
    expect: by(U, 'data', 'data', 'data', 'data', 'data', 'data'),
  },
  {
    name: 'carrierServices',
    query: '{ carrierServices { id code } }',
    field: 'carrierServices',
    expect: by(U, 'data', 'data', 'data', 'data', 'data', 'data'),
  },
  {
    name: 'order',
    query: 'query($id: ID!) { order(id: $id) { id number } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order',
    expect: by(U, 'data', 'null', 'data', 'null', 'data', 'data'),
  },
  {
    name: 'orders',
    query: '{ orders(first: 100) { edges { node { id } } } }',
    field: 'orders',
    ownerId: (w) => w.orderGid,
    expect: by(U, 'present', 'absent', 'present', 'absent', 'present', 'present'),
  },
  {
    name: 'labels',
    query: '{ labels(first: 100, includeVoided: true) { edges { node { id charges { kind } } } } }',
    field: 'labels',
    ownerId: (w) => w.labelGid,
    expect: by(U, 'present', 'absent', F, F, 'present', F),
  },
  {
    name: 'order.label (seller side only)',
    query: 'query($id: ID!) { order(id: $id) { label { id } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order.label',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },
  {
    name: 'order.label.document (only its seller prints a label)',
    query: 'query($id: ID!) { order(id: $id) { label { document(format: PDF) { url } } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order.label.document',
    expect: by(U, 'data', 'null', 'null', 'null', F, 'null'),
  },
  // The platform's risk inputs and the assessment made of them: never for buyers.
  ...(['onHold', 'addressChangedAfterCheckout', 'riskAssessment { score }'] as const).map(
    (selection): Row => {
      const name = selection.split(' ')[0];
      return {
        name: `order.${name} (risk: seller side only)`,
        query: `query($id: ID!) { order(id: $id) { ${selection} } }`,
        variables: (w) => ({ id: w.orderGid }),
        field: `order.${name}`,
        expect: by(U, 'data', 'null', 'null', 'null', 'data', 'data'),
      };
    },
  ),
  {
    name: 'shipment(trackingNumber)',
    query: 'query($t: String!) { shipment(trackingNumber: $t) { id status } }',
    variables: (w) => ({ t: w.trackingNumber }),
    field: 'shipment',
    expect: by(U, 'data', 'null', 'data', 'null', 'data', 'null'),
  },
  {
    name: 'notifications',
    query: '{ notifications(first: 100) { edges { node { id } } } }',
    field: 'notifications',
    ownerId: (w) => w.notificationGid,
    expect: by(U, F, F, 'present', 'absent', F, F),
  },
  {
    name: 'riskSettings (each seller its own)',
    query: '{ riskSettings { recommendScore } }',
    field: 'riskSettings',
    expect: by(U, 'data', 'data', F, F, F, F),
  },
  {
    name: 'sellerSignatureSummary (each seller its own)',
    query:
      'query($from: DateTime!, $to: DateTime!) { sellerSignatureSummary(from: $from, to: $to) { labelsPurchased } }',
    variables: () => ({ from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }),
    field: 'sellerSignatureSummary',
    expect: by(U, 'data', 'data', F, F, F, F),
  },
  {
    name: 'platformSignatureSummary (platform staff only)',
    query:
      'query($from: DateTime!, $to: DateTime!) { platformSignatureSummary(from: $from, to: $to) { claims { declinedRecommendations } } }',
    variables: () => ({ from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }),
    field: 'platformSignatureSummary',
    expect: by(U, F, F, F, F, 'data', F),
  },
  // A seller's webhooks are its own; staff see only the platform's.
  {
    name: 'webhookEndpoints',
    query: '{ webhookEndpoints { id url } }',
    field: 'webhookEndpoints',
    ownerId: (w) => w.endpointGid,
    expect: by(U, 'present', 'absent', F, F, 'absent', F),
  },
  {
    name: 'webhookDeliveries',
    query: 'query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id } } } }',
    variables: (w) => ({ id: w.endpointGid }),
    field: 'webhookDeliveries',
    ownerId: (w) => w.deliveryGid,
    expect: by(U, 'present', 'absent', F, F, 'absent', F),
  },
  {
    name: 'signatureTerms',
    query: '{ signatureTerms { version acceptedAt } }',
    field: 'signatureTerms',
    expect: by(U, 'data', 'data', F, F, F, F),
  },

  // node(id), one row per type with a global id
  nodeRow('Order', (w) => w.orderGid, by(U, 'data', 'null', 'data', 'null', 'data', 'data')),
  nodeRow('LabelQuote', (w) => w.quoteGid, by(U, 'data', 'null', 'null', 'null', 'data', 'null')),
  nodeRow('Label', (w) => w.labelGid, by(U, 'data', 'null', 'null', 'null', 'data', 'null')),
  nodeRow('Shipment', (w) => w.shipmentGid, by(U, 'data', 'null', 'data', 'null', 'data', 'null')),
  nodeRow(
    'DeliveryProof',
    (w) => w.proofGid,
    by(U, 'data', 'null', 'data', 'null', 'data', 'null'),
  ),
  nodeRow(
    'Notification',
    (w) => w.notificationGid,
    by(U, 'null', 'null', 'data', 'null', 'null', 'null'),
  ),
  nodeRow(
    'WebhookEndpoint',
    (w) => w.endpointGid,
    by(U, 'data', 'null', 'null', 'null', 'null', 'null'),
  ),
  nodeRow(
    'WebhookDelivery',
    (w) => w.deliveryGid,
    by(U, 'data', 'null', 'null', 'null', 'null', 'null'),
  ),
  nodeRow(
    'CarrierService',
    (w) => w.serviceGid,
    by(U, 'data', 'data', 'data', 'data', 'data', 'data'),
  ),
  // Read through a parent: the parent's check decides.
  nodeRow('LineItem', (w) => w.lineItemGid, by(U, 'data', 'null', 'data', 'null', 'data', 'data')),
  nodeRow(
    'TrackingEvent',
    (w) => w.eventGid,
    by(U, 'data', 'null', 'data', 'null', 'data', 'null'),
  ),
  // Each to itself and staff; a buyer also to the sellers it ordered from (here: only the owner).
  nodeRow('Seller', (w) => w.sellerGid, by(U, 'data', 'null', 'null', 'null', 'data', 'null')),
  nodeRow('Buyer', (w) => w.buyerGid, by(U, 'data', 'null', 'data', 'null', 'data', 'null')),
  // An id of a type that is not a node, or a name every object has, is nothing.
  nodeRow(
    'toString',
    () => rawGlobalId('toString', 1),
    by(U, 'null', 'null', 'null', 'null', 'null', 'null'),
  ),
  nodeRow(
    'PostalAddress',
    () => rawGlobalId('PostalAddress', 1),
    by(U, 'null', 'null', 'null', 'null', 'null', 'null'),
  ),
  // nodes(ids:): each id answered as node(id) answers it.
  {
    name: 'nodes(ids:) (Order, Label, DeliveryProof)',
    query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: (w) => ({ ids: [w.orderGid, w.labelGid, w.proofGid] }),
    field: 'nodes',
    ownerId: (w) => w.labelGid,
    expect: by(U, 'present', 'absent', 'absent', 'absent', 'present', 'absent'),
  },
  {
    name: 'nodes(ids:).0 (an Order)',
    query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: (w) => ({ ids: [w.orderGid] }),
    field: 'nodes.0',
    expect: by(U, 'data', 'null', 'data', 'null', 'data', 'data'),
  },
  {
    name: 'labelBatch',
    query: 'query($id: ID!) { labelBatch(id: $id) { id status } }',
    variables: (w) => ({ id: w.batchGid }),
    field: 'labelBatch',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },
  nodeRow('LabelBatch', (w) => w.batchGid, by(U, 'data', 'null', 'null', 'null', 'data', 'null')),
  // Seller protection is read on the quote and the label: whoever may read those.
  {
    name: 'Label.protection (seller and staff only)',
    query:
      'query($id: ID!) { node(id: $id) { ... on Label { protection { protected exclusions { code } } } } }',
    variables: (w) => ({ id: w.labelGid }),
    field: 'node.protection',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },
  {
    name: 'LabelQuote rate options: protection and expectedValue (seller and staff only)',
    query:
      'query($id: ID!) { node(id: $id) { ... on LabelQuote { rates { options { protection { protected } expectedValue { valueAtRisk { amount } } } } } } }',
    variables: (w) => ({ id: w.quoteGid }),
    field: 'node.rates',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },
  {
    name: 'DeliveryProof.signatureImage (seller and staff only)',
    query:
      'query($id: ID!) { node(id: $id) { ... on DeliveryProof { signatureImage signerName } } }',
    variables: (w) => ({ id: w.proofGid }),
    field: 'node.signatureImage',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },

  // API tokens: staff list them; nobody reads a secret back.
  {
    name: 'apiTokens (staff only)',
    query: '{ apiTokens(first: 5) { edges { node { id role name } } } }',
    field: 'apiTokens',
    expect: by(U, F, F, F, F, 'data', F),
  },
  nodeRow('ApiToken', (w) => w.apiTokenGid, by(U, 'null', 'null', 'null', 'null', 'data', 'null')),
  // Where a seller ships from: itself, staff, and the platform that brings sellers in.
  nodeRow(
    'ShipFromLocation',
    (w) => w.locationGid,
    by(U, 'data', 'null', 'null', 'null', 'data', 'data'),
  ),
  {
    name: 'order.seller.shipFromLocations (not for buyers)',
    query: 'query($id: ID!) { order(id: $id) { seller { shipFromLocations { id } } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order.seller.shipFromLocations',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'data'),
  },

  // Claims: between the buyer, the order's seller and staff; an integration sees none.
  {
    name: 'claims',
    query: '{ claims(first: 100) { edges { node { id } } } }',
    field: 'claims',
    ownerId: (w) => w.claimGid,
    expect: by(U, 'present', 'absent', 'present', 'absent', 'present', 'absent'),
  },
  {
    ...nodeRow('Claim', (w) => w.claimGid, by(U, 'data', 'null', 'data', 'null', 'data', 'null')),
  },
  {
    name: 'Claim.evidence (seller and staff only)',
    query: 'query($id: ID!) { node(id: $id) { ... on Claim { evidence { trackingNumber } } } }',
    variables: (w) => ({ id: w.claimGid }),
    field: 'node.evidence',
    expect: by(U, 'data', 'null', 'null', 'null', 'data', 'null'),
  },
  // The platform reads the order it brought in, but none of its claims.
  {
    name: 'order.claims',
    query: 'query($id: ID!) { order(id: $id) { claims { id } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order.claims',
    ownerId: (w) => w.claimGid,
    expect: by(U, 'present', 'null', 'present', 'null', 'present', 'absent'),
  },
  {
    name: 'order.openClaim',
    query: 'query($id: ID!) { order(id: $id) { openClaim { id } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'order.openClaim',
    expect: by(U, 'data', 'null', 'data', 'null', 'data', 'null'),
  },
  {
    name: 'carrierInquiries (staff only)',
    query: '{ carrierInquiries(first: 10) { edges { node { status } } } }',
    field: 'carrierInquiries',
    expect: by(U, F, F, F, F, 'data', F),
  },

  // Mutations on the owner's objects
  {
    name: 'createLabelQuote',
    query:
      'mutation($id: ID!) { createLabelQuote(input: { orderId: $id }) { quote { id } userErrors { code } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'createLabelQuote.quote',
    // The owner meets the business rule (it has a label); the other seller, no order at all.
    expect: by(U, nf('ORDER_ALREADY_LABELED'), nf('ORDER_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'purchaseLabel (a retry of the owner’s purchase)',
    query: `mutation($q: ID!, $r: String!) {
      purchaseLabel(input: { quoteId: $q, rateId: $r, signatureOption: SIGNATURE_REQUIRED, idempotencyKey: "matrix-1" }) {
        label { id trackingNumber } userErrors { code }
      }
    }`,
    variables: (w) => ({ q: w.quoteGid, r: w.rateId }),
    field: 'purchaseLabel.label',
    expect: by(U, 'data', nf('QUOTE_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'createLabelBatch',
    query: `mutation($id: ID!) {
      createLabelBatch(input: { items: [{ orderId: $id, rule: CHEAPEST_SUPPORTING_RECOMMENDED, idempotencyKey: "matrix-batch-row" }] }) {
        batch { id } userErrors { code }
      }
    }`,
    variables: (w) => ({ id: w.orderGid }),
    field: 'createLabelBatch.batch',
    // The owner's batch is queued (its worker would meet the label); the other seller: no order.
    expect: by(U, 'data', nf('ORDER_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'voidLabel',
    query:
      'mutation($id: ID!) { voidLabel(input: { labelId: $id }) { label { id } userErrors { code } } }',
    variables: (w) => ({ id: w.labelGid }),
    field: 'voidLabel.label',
    // Delivered, so scanned: not voidable for the owner; not found for the other seller.
    expect: by(U, nf('LABEL_NOT_VOIDABLE'), nf('LABEL_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'verifyDeliveryProof',
    query:
      'mutation($id: ID!) { verifyDeliveryProof(input: { proofId: $id, verdict: CONFIRMED }) { proof { id verdict } userErrors { code } } }',
    variables: (w) => ({ id: w.proofGid }),
    field: 'verifyDeliveryProof.proof',
    expect: by(U, 'data', nf('PROOF_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'updateRiskSettings (each seller its own)',
    query:
      'mutation { updateRiskSettings(input: { recommendScore: 40 }) { riskSettings { recommendScore } userErrors { code } } }',
    field: 'updateRiskSettings.riskSettings',
    expect: by(U, 'data', 'data', F, F, F, F),
  },
  {
    name: 'updateOrderRiskInputs (platform staff only)',
    query:
      'mutation($id: ID!) { updateOrderRiskInputs(input: { orderId: $id, onHold: false }) { order { id } userErrors { code } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'updateOrderRiskInputs.order',
    expect: by(U, F, F, F, F, 'data', F),
  },
  {
    name: 'acceptSignatureTerms (each seller its own)',
    query:
      'mutation($v: String!) { acceptSignatureTerms(input: { version: $v }) { signatureTerms { version } userErrors { code } } }',
    variables: (w) => ({ v: w.termsVersion }),
    field: 'acceptSignatureTerms.signatureTerms',
    expect: by(U, 'data', 'data', F, F, F, F),
  },
  {
    name: 'createWebhookEndpoint (sellers their own, staff the platform’s)',
    query:
      'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/matrix", events: ["label.voided"] }) { endpoint { id } userErrors { code } } }',
    field: 'createWebhookEndpoint.endpoint',
    expect: by(U, 'data', 'data', F, F, 'data', F),
  },
  {
    name: 'redeliverWebhook',
    query:
      'mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id } userErrors { code } } }',
    variables: (w) => ({ id: w.deliveryGid }),
    field: 'redeliverWebhook.delivery',
    expect: by(
      U,
      'data',
      nf('WEBHOOK_DELIVERY_NOT_FOUND'),
      F,
      F,
      nf('WEBHOOK_DELIVERY_NOT_FOUND'),
      F,
    ),
  },
  // Intake: staff, and the platform for sellers and buyers (never staff tokens).
  {
    name: 'createApiToken (a SELLER token)',
    query:
      'mutation($s: ID!) { createApiToken(input: { role: SELLER, name: "matrix", sellerId: $s }) { token { id } userErrors { code } } }',
    variables: (w) => ({ s: w.sellerGid }),
    field: 'createApiToken.token',
    expect: by(U, F, F, F, F, 'data', 'data'),
  },
  {
    name: 'createApiToken (an ADMIN token)',
    query:
      'mutation { createApiToken(input: { role: ADMIN, name: "matrix" }) { token { id } userErrors { code } } }',
    field: 'createApiToken.token',
    expect: by(U, F, F, F, F, 'data', F),
  },
  {
    name: 'revokeApiToken (a SELLER token)',
    query:
      'mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { id } userErrors { code } } }',
    variables: (w) => ({ id: w.apiTokenGid }),
    field: 'revokeApiToken.token',
    expect: by(U, F, F, F, F, 'data', 'data'),
  },
  {
    name: 'upsertSeller',
    query: `mutation { upsertSeller(input: {
      externalId: "matrix-seller", name: "Matrix Goods",
      shipFromLocations: [{ key: "main", name: "Main", phone: "+15035550100", isDefault: true,
        address: { name: "Matrix Goods", line1: "1 Main St", city: "Portland", region: "OR", postalCode: "97209", country: "US" } }]
    }) { seller { id } userErrors { code } } }`,
    field: 'upsertSeller.seller',
    expect: by(U, F, F, F, F, 'data', 'data'),
  },
  {
    name: 'upsertBuyer',
    query: `mutation { upsertBuyer(input: {
      externalId: "matrix-buyer", name: "Matrix Buyer", email: "matrix@example.com", accountCreatedAt: "2025-01-01T00:00:00Z"
    }) { buyer { id } userErrors { code } } }`,
    field: 'upsertBuyer.buyer',
    expect: by(U, F, F, F, F, 'data', 'data'),
  },
  // Claims: the buyer files, the order's seller answers, staff decide (in that order).
  {
    name: 'fileClaim (the order’s buyer only)',
    query:
      'mutation($id: ID!) { fileClaim(input: { orderId: $id, reason: NOT_RECEIVED }) { claim { id } userErrors { code } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'fileClaim.claim',
    // The owner already has an open claim on it; another buyer has no such order.
    expect: by(U, F, F, nf('CLAIM_ALREADY_OPEN'), nf('ORDER_NOT_FOUND'), F, F),
  },
  {
    name: 'respondToClaim (the order’s seller only)',
    query:
      'mutation($id: ID!) { respondToClaim(input: { claimId: $id, action: SUBMIT_PROOF }) { claim { id } userErrors { code } } }',
    variables: (w) => ({ id: w.claimGid }),
    field: 'respondToClaim.claim',
    expect: by(U, 'data', nf('CLAIM_NOT_FOUND'), F, F, F, F),
  },
  {
    name: 'resolveClaim (platform staff only)',
    query:
      'mutation($id: ID!) { resolveClaim(input: { claimId: $id, decision: SELLER, note: "Signed for." }) { claim { id } userErrors { code } } }',
    variables: (w) => ({ id: w.claimGid }),
    field: 'resolveClaim.claim',
    expect: by(U, F, F, F, F, 'data', F),
  },
  // Orders in from the marketplace: staff and platform for any seller, a seller for itself.
  {
    name: 'importOrders (an order of the owner seller)',
    query: `mutation($s: ID!, $b: ID!) { importOrders(input: { source: "matrix", orders: [{
      externalId: "matrix-1", number: "MX-1", sellerId: $s, buyerId: $b, currency: "USD",
      lineItems: [{ sku: "M-1", title: "Matrix mug", quantity: 1, unitPriceMinor: 1500, category: "home", ageRestricted: false }],
      subtotalMinor: 1500, shippingMinor: 500, taxMinor: 0, totalMinor: 2000, shippingSpeed: STANDARD,
      shipTo: { name: "M", line1: "1 Main St", city: "Portland", region: "OR", postalCode: "97209", country: "US" },
      billingAddress: { name: "M", line1: "1 Main St", city: "Portland", region: "OR", postalCode: "97209", country: "US" },
      placedAt: "2026-11-01T00:00:00Z", parcel: { weightOz: 8, lengthIn: 6, widthIn: 6, heightIn: 4 } }] }) {
      results { outcome userErrors { code } } userErrors { code } } }`,
    variables: (w) => ({ s: w.sellerGid, b: w.buyerGid }),
    field: 'importOrders.results',
    // The other seller names the owner's seller: refused as a whole.
    expect: by(U, 'data', F, F, F, 'data', 'data'),
  },
  ...(['holdOrder', 'releaseOrder'] as const).map((name): Row => ({
    name: `${name} (staff and platform)`,
    query: `mutation($id: ID!) { ${name}(input: { orderId: $id }) { order { id } userErrors { code } } }`,
    variables: (w) => ({ id: w.orderGid }),
    field: `${name}.order`,
    expect: by(U, F, F, F, F, 'data', 'data'),
  })),
  {
    name: 'cancelOrder (the owner order has a label)',
    query:
      'mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { order { id } userErrors { code } } }',
    variables: (w) => ({ id: w.orderGid }),
    field: 'cancelOrder.order',
    expect: by(U, F, F, F, F, nf('ORDER_NOT_CANCELLABLE'), nf('ORDER_NOT_CANCELLABLE')),
  },
  {
    name: 'changeOrderShipTo (the owner order has a label)',
    query: `mutation($id: ID!) { changeOrderShipTo(input: { orderId: $id, shipTo: {
      name: "M", line1: "2 Main St", city: "Portland", region: "OR", postalCode: "97209", country: "US" } }) {
      order { id } userErrors { code } } }`,
    variables: (w) => ({ id: w.orderGid }),
    field: 'changeOrderShipTo.order',
    expect: by(U, F, F, F, F, nf('ORDER_ALREADY_LABELED'), nf('ORDER_ALREADY_LABELED')),
  },
  // Last: the owner deletes the endpoint the rows above read.
  {
    name: 'deleteWebhookEndpoint',
    query:
      'mutation($id: ID!) { deleteWebhookEndpoint(input: { endpointId: $id }) { deletedId userErrors { code } } }',
    variables: (w) => ({ id: w.endpointGid }),
    field: 'deleteWebhookEndpoint.deletedId',
    expect: by(
      U,
      'data',
      nf('WEBHOOK_ENDPOINT_NOT_FOUND'),
      F,
      F,
      nf('WEBHOOK_ENDPOINT_NOT_FOUND'),
      F,
    ),
  },
];

const SHIPMENT_UPDATED =
  'subscription($s: ID, $o: ID) { shipmentUpdated(shipmentId: $s, orderId: $o) { shipment { id trackingNumber } } }';
const SELLER_FEED = 'subscription { sellerShipmentFeed { shipment { id trackingNumber } } }';
const CLAIM_UPDATED = 'subscription($id: ID) { claimUpdated(claimId: $id) { id status } }';
const SELLER_ORDERS = 'subscription { sellerOrderUpdated { change order { id } } }';
const BATCH_PROGRESS =
  'subscription($id: ID!) { labelBatchProgress(batchId: $id) { batch { id status done } } }';

let server: TestServer;
let world: World;
let tokens: Record<Role, string | null>;

beforeAll(async () => {
  // The owner's webhook endpoint is on loopback (nothing listens; the worker is off).
  server = await startTestServer({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  ({ world, tokens } = await buildWorld());
});
afterAll(() => server?.stop());

async function must(query: string, variables: Record<string, unknown>, token: string | null) {
  const answer = await postGraphQL(server, query, variables, token);
  if (answer.errors) throw new Error(`${query}: ${JSON.stringify(answer.errors)}`);
  return answer.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One order of the first seller taken through quote, terms, purchase and a signed delivery. */
async function buildWorld(): Promise<{ world: World; tokens: Record<Role, string | null> }> {
  const seller = server.tokens.seller[0];
  const orders = await must(
    '{ orders(first: 100, filter: { status: AWAITING_SHIPMENT }) { edges { node { id number items { id } seller { id } buyer { id } } } } }',
    {},
    seller,
  );
  // A buyer the other seller never sold to, so that seller's Buyer cell reads null.
  const sellerIds = (await server.db.manager.find(Seller, { order: { id: 'ASC' } })).map(
    (x) => x.id,
  );
  const theirBuyers = new Set(
    (await server.db.manager.find(Order, { where: { sellerId: sellerIds[1] } })).map(
      (o) => o.buyerId,
    ),
  );
  type OrderNode = {
    id: string;
    number: string;
    items: { id: string }[];
    seller: { id: string };
    buyer: { id: string };
  };
  const order = (orders.orders.edges as { node: OrderNode }[])
    .map((e) => e.node)
    .find((o) => !theirBuyers.has(parseGlobalId(o.buyer.id)!.id));
  if (!order) throw new Error('the seeds give seller 0 no order from a buyer seller 1 lacks');
  const buyerIds = (await server.db.manager.find(Buyer, { order: { id: 'ASC' } })).map((b) => b.id);
  const ownerBuyer = server.tokens.buyer[buyerIds.indexOf(parseGlobalId(order.buyer.id)!.id)];

  const terms = await must('{ signatureTerms { version } }', {}, seller);
  const termsVersion = terms.signatureTerms.version as string;
  await must(
    'mutation($v: String!) { acceptSignatureTerms(input: { version: $v }) { userErrors { code } } }',
    { v: termsVersion },
    seller,
  );
  const hook = await must(
    'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hook", events: ["label.purchased"] }) { endpoint { id } } }',
    {},
    seller,
  );
  const endpointGid = hook.createWebhookEndpoint.endpoint.id as string;
  const { quote, rate, label, shipment } = await buyLabel(server, seller, {
    orderId: order.id,
    signatureOption: 'SIGNATURE_REQUIRED',
    idempotencyKey: 'matrix-1',
  });

  const batch = await must(
    `mutation($id: ID!) {
      createLabelBatch(input: { items: [{ orderId: $id, rule: CHEAPEST_SUPPORTING_RECOMMENDED, idempotencyKey: "matrix-batch" }] }) {
        batch { id } userErrors { code }
      }
    }`,
    { id: order.id },
    seller,
  );

  const signerName = 'Matrix Signer';
  const image = pngSignature(signerName);
  const delivered = await postCarrierEvent(
    server,
    label.carrier,
    carrierEvent(shipment.trackingNumber, {
      status: 'DELIVERED',
      signature: {
        signerName,
        imageDataUrl: image,
        signedAt: new Date().toISOString(),
        location: 'Front door',
      },
    }),
  );
  expect(delivered.status).toBe(200);
  const proof = await must(
    'query($t: String!) { shipment(trackingNumber: $t) { deliveryProof { id } } }',
    { t: shipment.trackingNumber },
    seller,
  );
  const deliveries = await must(
    'query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id } } } }',
    { id: endpointGid },
    seller,
  );
  const issued = await must(
    'mutation($s: ID!) { createApiToken(input: { role: SELLER, name: "matrix owner", sellerId: $s }) { token { id } } }',
    { s: order.seller.id },
    server.tokens.admin,
  );
  const locations = await must('{ viewer { seller { shipFromLocations { id } } } }', {}, seller);
  const notes = await must(
    '{ notifications(first: 10) { edges { node { id } } } }',
    {},
    ownerBuyer,
  );
  const filed = await must(
    'mutation($id: ID!) { fileClaim(input: { orderId: $id, reason: NOT_RECEIVED }) { claim { id } userErrors { code } } }',
    { id: order.id },
    ownerBuyer,
  );

  return {
    world: {
      orderGid: order.id,
      orderNumber: order.number,
      lineItemGid: order.items[0].id,
      sellerGid: order.seller.id,
      buyerGid: order.buyer.id,
      serviceGid: rate.service.id,
      quoteGid: quote.id,
      rateId: rate.id,
      labelGid: label.id,
      shipmentGid: shipment.id,
      trackingNumber: shipment.trackingNumber,
      eventGid: shipment.events[0].id,
      proofGid: proof.shipment.deliveryProof.id,
      notificationGid: notes.notifications.edges[0].node.id,
      endpointGid,
      deliveryGid: deliveries.webhookDeliveries.edges[0].node.id,
      termsVersion,
      batchGid: batch.createLabelBatch.batch.id as string,
      signerName,
      image,
      claimGid: filed.fileClaim.claim.id as string,
      apiTokenGid: issued.createApiToken.token.id as string,
      locationGid: locations.viewer.seller.shipFromLocations[0].id as string,
    },
    tokens: {
      anonymous: null,
      ownerSeller: seller,
      otherSeller: server.tokens.seller[1],
      ownerBuyer,
      otherBuyer: otherBuyerToken(server, ownerBuyer),
      admin: server.tokens.admin,
      platform: server.tokens.platform,
    },
  };
}

function valueAt(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key] ?? null, data);
}

function judge(answer: Answer, row: Row, expected: Outcome): void {
  const value = valueAt(answer.data, row.field);
  if (expected === U || expected === F) {
    expect(answer.errors?.[0]?.extensions?.code).toBe(expected);
    expect(value).toBeNull();
    return;
  }
  expect(answer.errors).toBeUndefined();
  const payload = valueAt(answer.data, row.field.split('.')[0]) as {
    userErrors?: Array<{ code: string }>;
  };
  if (typeof expected === 'object') {
    expect(payload.userErrors?.[0]?.code).toBe(expected.userError);
    expect(value).toBeNull();
  } else if (expected === 'null') {
    expect(value).toBeNull();
  } else if (expected === 'data') {
    expect(value).not.toBeNull();
    if (payload.userErrors) expect(payload.userErrors).toEqual([]);
  } else {
    expect(JSON.stringify(value).includes(row.ownerId!(world))).toBe(expected === 'present');
  }
}

/** What the owner's order may never show to another tenant or to no one. */
const secretsOf = (w: World) => [
  w.orderGid,
  w.orderNumber,
  w.quoteGid,
  w.labelGid,
  w.shipmentGid,
  w.trackingNumber,
  w.proofGid,
  w.notificationGid,
  w.batchGid,
  w.endpointGid,
  w.deliveryGid,
  w.signerName,
  w.image.slice(-60),
  w.claimGid,
];

const cells = ROWS.flatMap((row) => ROLES.map((role) => [row.name, role, row] as const));

describe('access matrix', () => {
  it.each(cells)('%s as %s', async (_name, role, row) => {
    const variables = row.variables?.(world) ?? {};
    const answer = await postGraphQL(server, row.query, variables, tokens[role]);
    judge(answer, row, row.expect[role]);

    const text = JSON.stringify(answer);
    if (['otherSeller', 'otherBuyer', 'anonymous', 'platform'].includes(role)) {
      // The caller's own input may come back (e.g. in a message); nothing else of the owner's.
      const sent = JSON.stringify(variables);
      // The platform brought the orders in and reads them back (id, number); nothing beyond.
      const known = role === 'platform' ? [world.orderGid, world.orderNumber] : [];
      const secrets = secretsOf(world).filter((s) => !sent.includes(s) && !known.includes(s));
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
      }
    }
    if (role === 'ownerBuyer') expect(text).not.toContain(world.image.slice(-60));
  });

  it('covers every query, mutation and subscription of the schema', async () => {
    const roots = await must(
      '{ q: __type(name: "Query") { fields { name } } m: __type(name: "Mutation") { fields { name } } s: __type(name: "Subscription") { fields { name } } }',
      {},
      tokens.admin,
    );
    const covered = [
      ...ROWS.map((r) => r.query),
      SHIPMENT_UPDATED,
      SELLER_FEED,
      SELLER_ORDERS,
      BATCH_PROGRESS,
      CLAIM_UPDATED,
    ].join(' ');
    const fields = [...roots.q.fields, ...roots.m.fields, ...roots.s.fields].map(
      (f: { name: string }) => f.name,
    );
    expect(fields.filter((name) => !new RegExp(`\\b${name}\\b`).test(covered))).toEqual([]);
  });
});

describe("risk inputs in a buyer's own order list", () => {
  it('are all null, however the order is reached', async () => {
    const risk = 'id onHold addressChangedAfterCheckout riskAssessment { score level }';
    const answer = await postGraphQL(
      server,
      `query($id: ID!) {
        orders(first: 100) { edges { node { ${risk} } } }
        node(id: $id) { ... on Order { ${risk} } }
      }`,
      { id: world.orderGid },
      tokens.ownerBuyer,
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data as {
      orders: { edges: { node: Record<string, unknown> }[] };
      node: Record<string, unknown>;
    };
    const nodes = [...data.orders.edges.map((e) => e.node), data.node];
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes) {
      expect(node).toEqual({
        id: expect.any(String),
        onHold: null,
        addressChangedAfterCheckout: null,
        riskAssessment: null,
      });
    }
  });
});

describe('node(Buyer) across sellers', () => {
  it('shows a buyer to another seller it also ordered from', async () => {
    const m = server.db.manager;
    const sellerIds = (await m.find(Seller, { order: { id: 'ASC' } })).map((x) => x.id);
    const orders = await m.find(Order);
    const buyersOf = (sellerId: number) =>
      new Set(orders.filter((o) => o.sellerId === sellerId).map((o) => o.buyerId));
    const theirs = buyersOf(sellerIds[1]);
    const shared = [...buyersOf(sellerIds[0])].find((id) => theirs.has(id));
    if (shared === undefined) throw new Error('the seeds give sellers 0 and 1 no common buyer');
    const id = toGlobalId('Buyer', shared);
    const answer = await postGraphQL(server, NODE, { id }, server.tokens.seller[1]);
    expect(answer.data).toEqual({ node: { id } });
  });
});

describe('subscription access', () => {
  let s: ShipmentFixture;
  let theirs: ShipmentFixture;
  // Closed after each test, which then waits until the server dropped their listeners: the
  // listener counts awaited below are this test's own.
  const subs = liveSubscriptions(() => server);
  afterEach(() => subs.closeAll());
  beforeAll(async () => {
    s = await createShipment(server, { seller: 0 });
    theirs = await createShipment(server, { seller: 1 });
  });

  const start = (token: string | null, query: string, variables: Record<string, unknown> = {}) =>
    subs.start(token, parse(query), variables);
  const post = (f: ShipmentFixture, status: string) =>
    postCarrierEvent(server, f.shipment.carrier, carrierEvent(f.trackingNumber, { status }));
  const listening = subs.listening;

  it.each([
    [
      'shipmentId',
      (f: ShipmentFixture) => ({ s: f.shipmentGid }),
      // Per-shipment topic; per-order subscriptions listen on the seller's topic, filtered.
      (f: ShipmentFixture) => ['shipment:changed', f.shipment.id] as const,
    ],
    [
      'orderId',
      (f: ShipmentFixture) => ({ o: f.orderGid }),
      (f: ShipmentFixture) => ['seller:shipments', f.order.sellerId] as const,
    ],
  ])(
    'shipmentUpdated by %s: owner seller, owner buyer and admin hear; others get NOT_FOUND',
    async (_by, vars, topic) => {
      const allowed = [s.sellerToken, s.buyerToken, server.tokens.admin].map((t) =>
        start(t, SHIPMENT_UPDATED, vars(s)),
      );
      const refused = [
        server.tokens.seller[1],
        otherBuyerToken(server, s.buyerToken),
        server.tokens.platform,
      ].map((t) => start(t, SHIPMENT_UPDATED, vars(s)));
      for (const sub of refused) {
        const end = await sub.ended;
        expect(end.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(JSON.stringify(end)).not.toContain(s.trackingNumber);
      }
      const [name, id] = topic(s);
      await listening(name, id, 3);
      await post(s, 'IN_TRANSIT');
      for (const sub of allowed) {
        const next = await sub.next();
        expect(next.errors).toBeUndefined();
        expect(JSON.stringify(next.data)).toContain(s.trackingNumber);
      }
    },
  );

  it('shipmentUpdated refuses a connection without a token (4403)', async () => {
    const end = await start(null, SHIPMENT_UPDATED, { s: s.shipmentGid }).ended;
    expect(end.closeCode).toBe(4403);
  });

  it("sellerShipmentFeed carries a seller's own shipments only", async () => {
    const mine = start(s.sellerToken, SELLER_FEED);
    const other = start(theirs.sellerToken, SELLER_FEED);
    await listening('seller:shipments', s.order.sellerId, 1);
    await listening('seller:shipments', theirs.order.sellerId, 1);
    // The owner's event first, then the other seller's: the other seller's first push is its own.
    await post(s, 'OUT_FOR_DELIVERY');
    await post(theirs, 'OUT_FOR_DELIVERY');
    expect(JSON.stringify((await mine.next()).data)).toContain(s.trackingNumber);
    const first = JSON.stringify((await other.next()).data);
    expect(first).toContain(theirs.trackingNumber);
    expect(first).not.toContain(s.trackingNumber);
  });

  it.each([
    ['a buyer', () => s.buyerToken],
    ['platform staff', () => server.tokens.admin],
    ['a platform integration', () => server.tokens.platform],
  ])('sellerShipmentFeed refuses %s with FORBIDDEN', async (_who, token) => {
    const end = await start(token(), SELLER_FEED).ended;
    expect(end.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("claimUpdated reaches the claim's buyer and seller only", async () => {
    const f = await createShipment(server, { seller: 0 });
    await postCarrierEvent(
      server,
      f.shipment.carrier,
      carrierEvent(f.trackingNumber, { status: 'DELIVERED' }),
    );
    const filed = await must(
      'mutation($id: ID!) { fileClaim(input: { orderId: $id, reason: NOT_RECEIVED }) { claim { id } } }',
      { id: f.orderGid },
      f.buyerToken,
    );
    const id = filed.fileClaim.claim.id as string;
    const parties = [f.buyerToken, f.sellerToken].map((t) => start(t, CLAIM_UPDATED, { id }));
    for (const token of [server.tokens.seller[1], otherBuyerToken(server, f.buyerToken)]) {
      const end = await start(token, CLAIM_UPDATED, { id }).ended;
      expect(end.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(end)).not.toContain(id);
    }
    for (const token of [server.tokens.admin, devToken(TokenRole.PLATFORM)]) {
      const end = await start(token, CLAIM_UPDATED, { id }).ended;
      expect(end.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await start(null, CLAIM_UPDATED, { id }).ended).closeCode).toBe(4403);
    await listening('claims:buyer', f.order.buyerId, 1);
    await listening('claims:seller', f.order.sellerId, 1);
    await must(
      'mutation($id: ID!) { respondToClaim(input: { claimId: $id, action: RESHIP }) { claim { id } } }',
      { id },
      f.sellerToken,
    );
    for (const sub of parties) {
      expect((await sub.next()).data).toEqual({ claimUpdated: { id, status: 'RESHIPPED' } });
    }
  });

  it("sellerOrderUpdated carries a seller's own orders only; other roles are FORBIDDEN", async () => {
    const mine = start(s.sellerToken, SELLER_ORDERS);
    const other = start(theirs.sellerToken, SELLER_ORDERS);
    await listening('seller:orders', s.order.sellerId, 1);
    await listening('seller:orders', theirs.order.sellerId, 1);
    // The owner's change first, then the other seller's: the other seller's first push is its own.
    for (const f of [s, theirs]) {
      const held = await postGraphQL(
        server,
        'mutation($id: ID!) { holdOrder(input: { orderId: $id }) { userErrors { code } } }',
        { id: f.orderGid },
        server.tokens.platform,
      );
      expect(held.errors).toBeUndefined();
    }
    expect(JSON.stringify((await mine.next()).data)).toContain(s.orderGid);
    const first = JSON.stringify((await other.next()).data);
    expect(first).toContain(theirs.orderGid);
    expect(first).not.toContain(s.orderGid);
    for (const token of [s.buyerToken, server.tokens.admin, server.tokens.platform]) {
      const end = await start(token, SELLER_ORDERS).ended;
      expect(end.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await start(null, SELLER_ORDERS).ended).closeCode).toBe(4403);
  });

  it("labelBatchProgress follows the seller's own batch; others get NOT_FOUND or FORBIDDEN", async () => {
    const vars = { id: world.batchGid };
    const mine = start(tokens.ownerSeller, BATCH_PROGRESS, vars);
    expect((await mine.next()).data).toMatchObject({
      labelBatchProgress: { batch: { id: world.batchGid, status: 'QUEUED' } },
    });
    const other = await start(tokens.otherSeller, BATCH_PROGRESS, vars).ended;
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(other)).not.toContain(world.batchGid);
    for (const token of [tokens.ownerBuyer, tokens.admin, tokens.platform]) {
      const end = await start(token, BATCH_PROGRESS, vars).ended;
      expect(end.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
