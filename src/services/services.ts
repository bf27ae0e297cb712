import { CatalogService } from './catalog.service';
import type { ServiceDeps } from './deps';
import { OrderService } from './order.service';

/** One instance of each domain service per process. */
export function createServices(deps: ServiceDeps) {
  return {
    orders: new OrderService(deps),
    catalog: new CatalogService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
