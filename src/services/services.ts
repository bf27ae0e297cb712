import { CatalogService } from './catalog.service';
import { DeliveryProofService } from './delivery-proof.service';
import type { ServiceDeps } from './deps';
import { NotificationService } from './notification.service';
import { OrderService } from './order.service';
import { ShipmentFeedService } from './tracking/shipment-feed.service';
import { TrackingService } from './tracking/tracking.service';

/** One instance of each domain service per process. */
export function createServices(deps: ServiceDeps) {
  const deliveryProofs = new DeliveryProofService(deps);
  return {
    deliveryProofs,
    tracking: new TrackingService(deps, deliveryProofs),
    shipmentFeed: new ShipmentFeedService(deps),
    notifications: new NotificationService(deps),
    orders: new OrderService(deps),
    catalog: new CatalogService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
