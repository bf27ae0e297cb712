import type { RequestContext } from '../core/request-context';
import { CarrierService } from '../entities';
import type { Carrier } from '../entities/enums';
import type { ServiceDeps } from './deps';
import { requireViewer } from '../auth/guards';

/** The carrier catalog: services and what signature options each supports, at what fee. */
export class CatalogService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, carrier?: Carrier | null): Promise<CarrierService[]> {
    requireViewer(ctx);
    return this.deps.db.manager.find(CarrierService, {
      where: carrier ? { carrier } : {},
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
  }

  async findById(ctx: RequestContext, id: number): Promise<CarrierService | null> {
    requireViewer(ctx);
    return ctx.loaders.serviceById.load(id);
  }
}
