import type { SelectQueryBuilder } from 'typeorm';
import { requireViewer } from '../auth/guards';
import { isAdmin, seesEveryOrder } from '../auth/viewer';
import type { Viewer } from '../auth/viewer';
import type { RequestContext } from '../core/request-context';
import { Address, Buyer, Label, LineItem, Order, RiskAssessment, Shipment } from '../entities';
import { entitiesFromJson, entityFromJsonColumn, jsonRowsSql } from '../db/json-rows';
import { cachedRawMany } from '../db/cached-sql';
import { entityFromRaw } from '../db/raw-rows';
import { LabelStatus, SignatureOption } from '../entities/enums';
import type { OrderStatus, RiskLevel } from '../entities/enums';
import { forbidden } from '../core/errors';
import type { Page } from '../core/page';
import type { ServiceDeps } from './deps';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';

/** Raw-row keys of the children a page brings along (OrderService.withChildren). */
const ITEMS = 'page_items';
const LABEL = 'page_label';
const SHIPMENTS = 'page_shipments';

export interface OrderFilter {
  status?: OrderStatus | null;
  /** Level of the order's current risk assessment. */
  riskLevel?: RiskLevel | null;
  /** Whether the current assessment recommends a signature option. */
  signatureRecommended?: boolean | null;
  /** The marketplace order number, exactly. */
  number?: string | null;
  /** The source the order was imported from. */
  source?: string | null;
  /** The order's id in its source (with `source`, at most one order). */
  externalId?: string | null;
  /** Placed at or after this time. */
  placedAfter?: Date | null;
  /** Placed before this time. */
  placedBefore?: Date | null;
}

export interface OrderListArgs extends PageArgs {
  filter?: OrderFilter | null;
}

/**
 * Relations the caller will read from every order of a page. The page's statement brings them
 * along (one correlated JSON subquery each) and hands them to the request's loaders, so the
 * page costs one statement whatever it shows. What the viewer may see is still decided where
 * each relation is read.
 */
export interface OrderPageIncludes {
  items?: boolean;
  /** The live (purchased) label; read only by sellers and staff. */
  label?: boolean;
  /** Every shipment of the order, oldest first (the last is the current one). */
  shipments?: boolean;
}

/** Reads orders, always scoped to what the viewer may see. */
export class OrderService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The order if the viewer may see it; another tenant's order reads as absent. */
  async findVisible(ctx: RequestContext, id: number): Promise<Order | null> {
    const viewer = requireViewer(ctx);
    const order = await this.deps.db.manager.findOne(Order, { where: { id } });
    if (!order) return null;
    if (
      seesEveryOrder(viewer) ||
      order.sellerId === viewer.sellerId ||
      order.buyerId === viewer.buyerId
    ) {
      return order;
    }
    return null;
  }

  /** For `node(id)`: a line item of an order the viewer may see. */
  async findVisibleLineItem(ctx: RequestContext, id: number): Promise<LineItem | null> {
    const item = await this.deps.db.manager.findOne(LineItem, { where: { id } });
    return item && (await this.findVisible(ctx, item.orderId)) ? item : null;
  }

  async list(
    ctx: RequestContext,
    args: OrderListArgs,
    includes: OrderPageIncludes = {},
  ): Promise<Page<Order>> {
    const viewer = requireViewer(ctx);
    const query = this.scoped(viewer);
    const withRisk = seesEveryOrder(viewer) || viewer.sellerId !== null;
    const { riskLevel, signatureRecommended } = args.filter ?? {};
    if (!withRisk && (riskLevel || typeof signatureRecommended === 'boolean')) {
      // The assessment is the seller's: filtering by it would tell a buyer what riskAssessment hides.
      throw forbidden('The riskLevel and signatureRecommended filters are for sellers and staff');
    }
    this.applyFilter(query, args.filter);
    const connection = this.deps.db.manager.connection;
    return keysetPage(query, 'o', 'placedAt', args, async (pageQuery) => {
      // Raw rows, hydrated per alias: every join is to-one, so one row is one order.
      const withLabel = includes.label === true && (isAdmin(viewer) || viewer.sellerId !== null);
      this.withParents(pageQuery, withRisk);
      this.withChildren(pageQuery, { ...includes, label: withLabel });
      const raws = await cachedRawMany(this.deps.db.manager, pageQuery);
      const { loaders } = ctx;
      return raws.map((raw) => {
        const order = entityFromRaw(connection, Order, 'o', raw) as Order;
        const buyer = entityFromRaw(connection, Buyer, 'b', raw);
        const shipTo = entityFromRaw(connection, Address, 'sa', raw);
        const billing = entityFromRaw(connection, Address, 'ba', raw);
        // Handed to the request's loaders, so the field resolvers read no more SQL.
        if (buyer) ctx.loaders.buyerById.prime(order.buyerId, buyer);
        if (shipTo) ctx.loaders.addressById.prime(order.shipToAddressId, shipTo);
        if (billing) ctx.loaders.addressById.prime(order.billingAddressId, billing);
        // No joined row means no current assessment: the loader need not ask again.
        if (withRisk) {
          const risk = entityFromRaw(connection, RiskAssessment, 'cr', raw);
          ctx.loaders.currentRiskByOrderId.prime(order.id, risk);
        }
        if (includes.items) {
          loaders.lineItemsByOrderId.prime(
            order.id,
            entitiesFromJson(connection, LineItem, raw[ITEMS]),
          );
        }
        if (withLabel) {
          loaders.currentLabelByOrderId.prime(
            order.id,
            entityFromJsonColumn(connection, Label, raw[LABEL]),
          );
        }
        if (includes.shipments) {
          loaders.shipmentsByOrderId.prime(
            order.id,
            entitiesFromJson(connection, Shipment, raw[SHIPMENTS]),
          );
        }
        return order;
      });
    });
  }

  /**
   * Joins what every order row in a list shows — buyer, both addresses and (for whoever may see
   * it) the current risk assessment — so a page costs one statement instead of one per loader,
   * whatever the rows hold. All are to-one, so LIMIT still counts orders.
   */
  protected withParents(query: SelectQueryBuilder<Order>, withRisk: boolean) {
    query
      .leftJoinAndSelect('o.buyer', 'b')
      .leftJoinAndSelect('o.shipToAddress', 'sa')
      .leftJoinAndSelect('o.billingAddress', 'ba');
    if (withRisk) {
      query.leftJoinAndMapOne(
        'o.currentRisk',
        RiskAssessment,
        'cr',
        'cr.orderId = o.id AND cr.isCurrent = :crCurrent',
        { crCurrent: true },
      );
    }
    return query;
  }

  /**
   * The children a page brings along, as the loaders would read them: line items and shipments
   * oldest first, the newest purchased label.
   */
  protected withChildren(query: SelectQueryBuilder<Order>, includes: OrderPageIncludes) {
    const connection = this.deps.db.manager.connection;
    const outer = '"o"."id"';
    if (includes.items) {
      query.addSelect(
        jsonRowsSql(connection, { entity: LineItem, column: 'orderId', outer }),
        ITEMS,
      );
    }
    if (includes.label) {
      const label = jsonRowsSql(connection, {
        entity: Label,
        column: 'orderId',
        outer,
        where: 'x."status" = :liveLabel',
        orderBy: 'x.id DESC',
        one: true,
      });
      query.addSelect(label, LABEL).setParameter('liveLabel', LabelStatus.PURCHASED);
    }
    if (includes.shipments) {
      query.addSelect(
        jsonRowsSql(connection, { entity: Shipment, column: 'orderId', outer }),
        SHIPMENTS,
      );
    }
    return query;
  }

  /** Orders the viewer may see: a seller's own, a buyer's own, everything for staff and platform. */
  protected scoped(viewer: Viewer): SelectQueryBuilder<Order> {
    const query = this.deps.db.manager.createQueryBuilder(Order, 'o');
    if (seesEveryOrder(viewer)) return query;
    if (viewer.sellerId !== null) return query.where('o.sellerId = :sellerId', viewer);
    if (viewer.buyerId !== null) return query.where('o.buyerId = :buyerId', viewer);
    return query.where('1 = 0');
  }

  protected applyFilter(query: SelectQueryBuilder<Order>, filter: OrderFilter | null | undefined) {
    if (filter?.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter?.number) query.andWhere('o.number = :number', { number: filter.number });
    if (filter?.source) query.andWhere('o.source = :source', { source: filter.source });
    if (filter?.externalId) {
      query.andWhere('o.externalId = :externalId', { externalId: filter.externalId });
    }
    // placedAt is an ISO-8601 UTC string: string order is time order (entities/columns.ts).
    if (filter?.placedAfter) {
      query.andWhere('o.placedAt >= :placedAfter', {
        placedAfter: filter.placedAfter.toISOString(),
      });
    }
    if (filter?.placedBefore) {
      query.andWhere('o.placedAt < :placedBefore', {
        placedBefore: filter.placedBefore.toISOString(),
      });
    }
    const { riskLevel, signatureRecommended } = filter ?? {};
    if (riskLevel || typeof signatureRecommended === 'boolean') {
      // EXISTS on the current assessment keeps the page one statement.
      const conditions = ['"ra"."orderId" = "o"."id"', '"ra"."isCurrent" = :raCurrent'];
      if (riskLevel) conditions.push('"ra"."level" = :raLevel');
      if (typeof signatureRecommended === 'boolean') {
        conditions.push(`"ra"."recommendedSignature" ${signatureRecommended ? '<>' : '='} :raNone`);
      }
      query.andWhere(
        `EXISTS (SELECT 1 FROM "risk_assessments" "ra" WHERE ${conditions.join(' AND ')})`,
        { raCurrent: true, raLevel: riskLevel, raNone: SignatureOption.NONE },
      );
    }
  }
}
