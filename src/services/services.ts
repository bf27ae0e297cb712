import type { CarrierGateway } from '../carriers/gateway';
import { SandboxGateway } from '../carriers/sandbox.gateway';
import { CARRIER_CALL_TIMEOUT_MS } from '../carriers/timeout';
import { systemClock } from '../core/clock';
import type { Clock } from '../core/clock';
import { ApiTokenService } from './api-token.service';
import { CatalogService } from './catalog.service';
import { ClaimReadService } from './claims/claim-read.service';
import { ClaimService } from './claims/claim.service';
import { DeliveryProofService } from './delivery-proof.service';
import type { ServiceDeps } from './deps';
import { NotificationService } from './notification.service';
import { LabelBatchService } from './label-batch.service';
import { LabelPurchaseService } from './label-purchase.service';
import { LabelQuoteService } from './label-quote.service';
import { LabelDocumentService } from './label-documents.service';
import { LabelService } from './label.service';
import { LabelListService } from './label-list.service';
import { OrderService } from './order.service';
import { PartyService } from './party.service';
import { ProtectionService } from './protection/protection.service';
import { RiskService } from './risk/risk.service';
import { SellerSummaryService } from './seller-summary.service';
import { SignatureTermsService } from './signature-terms.service';
import { ShipmentFeedService } from './tracking/shipment-feed.service';
import { TrackingService } from './tracking/tracking.service';
import { WebhookService } from './webhook.service';
import { OrderImportService } from './intake/order-import.service';
import { OrderChangeService } from './intake/order-changes.service';

/**
 * What the services act through besides storage: the time, the carrier behind quotes, purchases
 * and voids, and how long a carrier call may take. Production uses the defaults; tests pass fakes
 * through this same door.
 */
export interface Collaborators {
  clock: Clock;
  carriers: CarrierGateway;
  carrierTimeoutMs: number;
}

export const defaultCollaborators = (): Collaborators => ({
  clock: systemClock,
  // The deterministic sandbox until a UPS or USPS adapter implements CarrierGateway.
  carriers: new SandboxGateway(),
  carrierTimeoutMs: CARRIER_CALL_TIMEOUT_MS,
});

/** One instance of each domain service per process. */
export function createServices(deps: ServiceDeps, overrides: Partial<Collaborators> = {}) {
  const { clock, carriers, carrierTimeoutMs } = { ...defaultCollaborators(), ...overrides };
  const carrier = { gateway: carriers, timeoutMs: carrierTimeoutMs };
  const deliveryProofs = new DeliveryProofService(deps);
  const signatureTerms = new SignatureTermsService(deps, clock);
  const orders = new OrderService(deps);
  const labelPurchase = new LabelPurchaseService(deps, carrier, signatureTerms, clock);
  const labels = new LabelService(deps, carrier, clock);
  const protection = new ProtectionService(deps);
  return {
    risk: new RiskService(deps, clock),
    signatureTerms,
    labelQuotes: new LabelQuoteService(deps, carriers, signatureTerms, protection, clock),
    protection,
    labelPurchase,
    labels,
    labelDocuments: new LabelDocumentService(deps, carrier, clock),
    labelBatches: new LabelBatchService(deps, clock),
    /** What the carrier reconciler resolves a pending purchase or void with. */
    carrierOperations: {
      purchase: labelPurchase.resolve.bind(labelPurchase),
      void: labels.resolveVoid.bind(labels),
    },
    carrierTimeoutMs,
    labelList: new LabelListService(deps),
    sellerSummary: new SellerSummaryService(deps),
    deliveryProofs,
    tracking: new TrackingService(deps, deliveryProofs),
    shipmentFeed: new ShipmentFeedService(deps, orders),
    notifications: new NotificationService(deps),
    orders,
    parties: new PartyService(deps, clock),
    catalog: new CatalogService(deps),
    webhooks: new WebhookService(deps, clock),
    claims: new ClaimService(deps, clock),
    claimReads: new ClaimReadService(deps),
    orderImport: new OrderImportService(deps, clock),
    orderChanges: new OrderChangeService(deps, clock),
    apiTokens: new ApiTokenService(deps.db, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
