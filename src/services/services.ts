import { SandboxGateway } from '../carriers/sandbox.gateway';
import { CatalogService } from './catalog.service';
import { DeliveryProofService } from './delivery-proof.service';
import type { ServiceDeps } from './deps';
import { NotificationService } from './notification.service';
import { LabelPurchaseService } from './label-purchase.service';
import { LabelQuoteService } from './label-quote.service';
import { LabelService } from './label.service';
import { OrderService } from './order.service';
import { PartyService } from './party.service';
import { RiskService } from './risk/risk.service';
import { SellerSummaryService } from './seller-summary.service';
import { SignatureTermsService } from './signature-terms.service';
import { ShipmentFeedService } from './tracking/shipment-feed.service';
import { TrackingService } from './tracking/tracking.service';

/** One instance of each domain service per process. */
export function createServices(deps: ServiceDeps) {
  const deliveryProofs = new DeliveryProofService(deps);
  // The carrier behind quotes, purchases and voids: the deterministic sandbox by default.
  const carriers = new SandboxGateway();
  const signatureTerms = new SignatureTermsService(deps);
  return {
    risk: new RiskService(deps),
    signatureTerms,
    labelQuotes: new LabelQuoteService(deps, carriers, signatureTerms),
    labelPurchase: new LabelPurchaseService(deps, carriers, signatureTerms),
    labels: new LabelService(deps, carriers),
    sellerSummary: new SellerSummaryService(deps),
    deliveryProofs,
    tracking: new TrackingService(deps, deliveryProofs),
    shipmentFeed: new ShipmentFeedService(deps),
    notifications: new NotificationService(deps),
    orders: new OrderService(deps),
    parties: new PartyService(deps),
    catalog: new CatalogService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
