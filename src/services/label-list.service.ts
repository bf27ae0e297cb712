import { requireViewer } from '../auth/guards';
import { isAdmin } from '../auth/viewer';
import { forbidden } from '../core/errors';
import type { Page } from '../core/page';
import type { RequestContext } from '../core/request-context';
import { Label } from '../entities';
import { LabelStatus } from '../entities/enums';
import type { ServiceDeps } from './deps';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';

export interface LabelListArgs extends PageArgs {
  /** Voided labels too (their charges show the refunds); default only live ones. */
  includeVoided?: boolean | null;
}

/**
 * A seller's labels, newest first, for their statement: one statement per page, and the charges
 * (and services) of the whole page through the request's loaders, so the count of SQL statements
 * does not grow with the page.
 */
export class LabelListService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, args: LabelListArgs): Promise<Page<Label>> {
    const viewer = requireViewer(ctx);
    const admin = isAdmin(viewer);
    if (!admin && viewer.sellerId === null) throw forbidden('Labels are for sellers and staff');
    const query = this.deps.db.manager.createQueryBuilder(Label, 'l');
    if (!admin) query.where('l.sellerId = :sellerId', { sellerId: viewer.sellerId });
    if (!args.includeVoided) {
      query.andWhere('l.status = :live', { live: LabelStatus.PURCHASED });
    }
    return keysetPage(query, 'l', 'createdAt', args, async (pageQuery) => {
      const rows = await pageQuery.getMany();
      for (const row of rows) ctx.loaders.labelById.prime(row.id, row);
      return rows;
    });
  }
}
