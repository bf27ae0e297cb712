import type { EntityManager } from 'typeorm';
import { requireIntake, requireSeller } from '../../auth/guards';
import type { Clock } from '../../core/clock';
import type { RequestContext } from '../../core/request-context';
import { UserErrorCode, decodeId, fail } from '../../core/user-error';
import { Address, Label, Order } from '../../entities';
import type { RiskAssessment } from '../../entities';
import { LabelStatus, OrderStatus } from '../../entities/enums';
import { OrderChange } from '../../pubsub/event-bus';
import type { OrderChanged } from '../../pubsub/event-bus';
import { notFound } from '../../core/errors';
import type { ServiceDeps } from '../deps';
import { validateShipTo } from './order-input';
import { changeOrder, insertAddress } from './order-writes';
import { sameAddress } from './order-input';

export interface OrderChangeResult {
  order: Order;
  riskAssessment: RiskAssessment;
}

export interface ChangeOrderShipToInput {
  orderId: string;
  shipTo: unknown;
}

const ORDER_FIELD = ['input', 'orderId'];

/**
 * What a platform changes on an order after checkout: a hold, its release, a cancellation (before
 * a label), a new ship-to. Each is one transaction that also reassesses the order, and is pushed
 * to the seller's `sellerOrderUpdated` subscribers once committed.
 */
export class OrderChangeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  hold(ctx: RequestContext, orderId: string): Promise<OrderChangeResult> {
    return this.change(ctx, orderId, OrderChange.HELD, async (m, order) => {
      if (order.status === OrderStatus.CANCELLED) notChangeable(order);
      return { onHold: true };
    });
  }

  release(ctx: RequestContext, orderId: string): Promise<OrderChangeResult> {
    return this.change(ctx, orderId, OrderChange.RELEASED, async (m, order) => {
      if (order.status === OrderStatus.CANCELLED) notChangeable(order);
      return { onHold: false };
    });
  }

  cancel(ctx: RequestContext, orderId: string): Promise<OrderChangeResult> {
    return this.change(ctx, orderId, OrderChange.CANCELLED, async (m, order) => {
      const labeled = await m.exists(Label, {
        where: { orderId: order.id, status: LabelStatus.PURCHASED },
      });
      if (labeled || order.status !== OrderStatus.AWAITING_SHIPMENT) {
        fail(
          UserErrorCode.ORDER_NOT_CANCELLABLE,
          labeled
            ? 'The order has a label; void it before cancelling'
            : `The order is ${order.status.toLowerCase().replace(/_/g, ' ')}`,
          ORDER_FIELD,
        );
      }
      return { status: OrderStatus.CANCELLED };
    });
  }

  /** A new ship-to (validated as an import's); marks addressChangedAfterCheckout, a risk input. */
  changeShipTo(ctx: RequestContext, input: ChangeOrderShipToInput): Promise<OrderChangeResult> {
    requireIntake(ctx);
    const address = validateShipTo(input.shipTo, ['input', 'shipTo']);
    return this.change(ctx, input.orderId, OrderChange.SHIP_TO_CHANGED, async (m, order) => {
      if (order.status !== OrderStatus.AWAITING_SHIPMENT) {
        fail(
          UserErrorCode.ORDER_ALREADY_LABELED,
          'The ship-to of an order with a label (or cancelled) cannot change',
          ORDER_FIELD,
        );
      }
      const current = await m.findOneByOrFail(Address, { id: order.shipToAddressId });
      if (sameAddress(current, address)) return {};
      return {
        shipToAddressId: await insertAddress(m, address),
        addressChangedAfterCheckout: true,
      };
    });
  }

  /** The calling seller's order changes from now on; other roles are FORBIDDEN. */
  subscribeSeller(ctx: RequestContext): AsyncIterable<OrderChanged> {
    const { sellerId } = requireSeller(ctx);
    return this.deps.events.subscribe('seller:orders', sellerId);
  }

  /** A published change as the subscriber sees it: the order read as committed, own only. */
  async toUpdate(
    ctx: RequestContext,
    change: OrderChanged,
  ): Promise<{ change: OrderChange; order: Order }> {
    const order = await ctx.loaders.orderById.load(change.orderId);
    if (!order || order.sellerId !== ctx.viewer?.sellerId) throw notFound('Order');
    return { change: change.change, order };
  }

  private async change(
    ctx: RequestContext,
    rawId: string,
    change: OrderChange,
    apply: (m: EntityManager, order: Order) => Promise<Partial<Order>>,
  ): Promise<OrderChangeResult> {
    requireIntake(ctx);
    const orderId = decodeId(rawId, 'Order', ORDER_FIELD);
    return this.deps.db.transaction(async (tx) => {
      const m = tx.manager;
      const order = await m.findOne(Order, { where: { id: orderId } });
      if (!order) fail(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ORDER_FIELD);
      const now = this.clock();
      const assessment = await changeOrder(m, orderId, await apply(m, order), now);
      const payload = { orderId, sellerId: order.sellerId, change, riskLevel: assessment.level };
      tx.afterCommit(() => this.deps.events.publish('seller:orders', order.sellerId, payload));
      return {
        order: await m.findOneByOrFail(Order, { id: orderId }),
        riskAssessment: assessment,
      };
    });
  }
}

function notChangeable(order: Order): never {
  return fail(
    UserErrorCode.ORDER_NOT_SHIPPABLE,
    `The order is ${order.status.toLowerCase()}`,
    ORDER_FIELD,
  );
}
