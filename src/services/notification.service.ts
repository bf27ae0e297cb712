import { isBuyer } from '../auth/viewer';
import type { RequestContext } from '../context';
import { Notification } from '../entities';
import { forbidden } from '../graphql/errors';
import type { Page } from '../graphql/types/connection.type';
import type { ServiceDeps } from './deps';
import { requireViewer } from './order.service';
import { decodeCursor, encodeCursor, pageSize } from './pagination';

export interface NotificationListArgs {
  first?: number | null;
  after?: string | null;
}

/** A buyer's notifications (the outbox rows written for them), newest first. */
export class NotificationService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, args: NotificationListArgs): Promise<Page<Notification>> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) throw forbidden('Notifications are listed for buyer tokens');
    const size = pageSize(args.first);
    const query = this.deps.db.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.buyerId = :buyerId', { buyerId: viewer.buyerId })
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC');
    const countQuery = query.clone();
    if (args.after) {
      const cursor = decodeCursor(args.after);
      query.andWhere('(n.createdAt < :at OR (n.createdAt = :at AND n.id < :id))', cursor);
    }
    const rows = await query.take(size + 1).getMany();
    const edges = rows
      .slice(0, size)
      .map((node) => ({ node, cursor: encodeCursor(node.createdAt, node.id) }));
    return {
      edges,
      totalCountOf: () => countQuery.getCount(),
      pageInfo: {
        hasNextPage: rows.length > size,
        hasPreviousPage: !!args.after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  /** For `node(id)`: a buyer's own notification, else null. */
  async findVisible(ctx: RequestContext, id: number): Promise<Notification | null> {
    const viewer = requireViewer(ctx);
    if (!isBuyer(viewer)) return null;
    return this.deps.db.manager.findOne(Notification, { where: { id, buyerId: viewer.buyerId } });
  }
}
