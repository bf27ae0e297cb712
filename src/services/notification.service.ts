import { isBuyer } from '../auth/viewer';
import type { RequestContext } from '../core/request-context';
import { Notification } from '../entities';
import { forbidden } from '../core/errors';
import type { Page } from '../core/page';
import type { ServiceDeps } from './deps';
import { requireViewer } from '../auth/guards';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';

/** A buyer's notifications (the outbox rows written for them), newest first. */
export class NotificationService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, args: PageArgs): Promise<Page<Notification>> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) throw forbidden('Notifications are listed for buyer tokens');
    const query = this.deps.db.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.buyerId = :buyerId', { buyerId: viewer.buyerId });
    return keysetPage(query, 'n', 'createdAt', args);
  }

  /** For `node(id)`: a buyer's own notification, else null. */
  async findVisible(ctx: RequestContext, id: number): Promise<Notification | null> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) return null;
    return this.deps.db.manager.findOne(Notification, { where: { id, buyerId: viewer.buyerId } });
  }
}
