import type { EntityManager } from 'typeorm';
import { seesEveryOrder } from '../../auth/viewer';
import type { RequestContext } from '../../core/request-context';
import { Order, RiskAssessment, SellerRiskSettings } from '../../entities';
import { OrderStatus } from '../../entities/enums';
import { parseMinor } from '../../core/money';
import { UserErrorCode, decodeId, fail, userError } from '../../core/user-error';
import type { UserError } from '../../core/user-error';
import type { ServiceDeps } from '../deps';
import type { Clock } from '../../core/clock';
import { requireAdmin, requireSeller, requireViewer } from '../../auth/guards';
import { assessOrders } from './assessor';
import { THRESHOLD_CURRENCY, thresholdProblems, thresholdsOf } from './settings';
import type { RiskThresholds } from './settings';

export interface RiskSettingsView extends RiskThresholds {
  currency: string;
  /** Answer not-received claims automatically from passed proof (see services/claims). */
  autoDefendClaims: boolean;
  /** No row: the defaults apply. */
  isDefault: boolean;
  updatedAt: Date | null;
}

export interface UpdateRiskSettingsInput {
  /** Decimal amounts, e.g. "750.00". */
  highValueThreshold?: string | null;
  elevatedValueThreshold?: string | null;
  recommendScore?: number | null;
  newAccountDays?: number | null;
  autoDefendClaims?: boolean | null;
}

export interface UpdateRiskSettingsResult {
  settings: RiskSettingsView;
  reassessedOrders: number;
  levelChangedOrders: number;
}

export interface UpdateOrderRiskInputsInput {
  orderId: string;
  onHold?: boolean | null;
  addressChangedAfterCheckout?: boolean | null;
}

export interface UpdateOrderRiskInputsResult {
  order: Order;
  riskAssessment: RiskAssessment;
}

const FIELD_NAMES: Record<keyof RiskThresholds, string> = {
  highValueMinor: 'highValueThreshold',
  elevatedValueMinor: 'elevatedValueThreshold',
  recommendScore: 'recommendScore',
  newAccountDays: 'newAccountDays',
};

/** Assesses every order; seeding calls it once so each seeded order has a current assessment. */
export function assessAllOrders(manager: EntityManager, now: Date = new Date()) {
  return assessOrders(manager, {}, now);
}

/** Risk inputs the platform records on an order. */
export interface OrderRiskInputs {
  onHold: boolean;
  addressChangedAfterCheckout: boolean;
}

/**
 * Who sees an order's risk assessment and its inputs: the order's seller and platform staff.
 * Buyers never do (an input would tell them what the assessment hides).
 */
function seesRisk(ctx: RequestContext, order: Order): boolean {
  const viewer = requireViewer(ctx);
  return seesEveryOrder(viewer) || (viewer.sellerId !== null && viewer.sellerId === order.sellerId);
}

/** Risk assessments of orders and the per-seller thresholds behind them. */
export class RiskService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  /** The order's current assessment: for its seller and platform staff; buyers see none. */
  currentFor(
    ctx: RequestContext,
    order: Order,
  ): RiskAssessment | null | Promise<RiskAssessment | null> {
    if (!seesRisk(ctx, order)) return null;
    return ctx.loaders.currentRiskByOrderId.loadNow(order.id);
  }

  /**
   * The platform's risk inputs stored on the order (a hold, an address change after checkout),
   * for those who see its assessment; null for anyone else, buyers included. What else the rules
   * read (the buyer's claims and account age, other buyers at the address) shows only inside the
   * assessment's reasons.
   */
  inputsFor(ctx: RequestContext, order: Order): OrderRiskInputs | null {
    if (!seesRisk(ctx, order)) return null;
    return { onHold: order.onHold, addressChangedAfterCheckout: order.addressChangedAfterCheckout };
  }

  async settings(ctx: RequestContext): Promise<RiskSettingsView> {
    const { sellerId } = requireSeller(ctx);
    return this.settingsOf(this.deps.db.manager, sellerId);
  }

  /**
   * Changes some of the seller's thresholds and, in the same transaction, reassesses the
   * seller's orders that still await a label, so lists and quotes follow at once.
   */
  async updateSettings(
    ctx: RequestContext,
    input: UpdateRiskSettingsInput,
  ): Promise<UpdateRiskSettingsResult> {
    const { sellerId } = requireSeller(ctx);
    const changes: Partial<RiskThresholds> = {};
    const errors: UserError[] = [];
    for (const [key, name] of [
      ['highValueMinor', 'highValueThreshold'],
      ['elevatedValueMinor', 'elevatedValueThreshold'],
    ] as const) {
      const raw = input[name];
      if (raw === null || raw === undefined) continue;
      const minor = parseMinor(raw);
      if (minor === null) {
        errors.push(
          userError(
            UserErrorCode.INVALID_INPUT,
            `${name} must be a decimal amount such as "750.00"`,
            ['input', name],
          ),
        );
      } else changes[key] = minor;
    }
    if (typeof input.recommendScore === 'number') changes.recommendScore = input.recommendScore;
    if (typeof input.newAccountDays === 'number') changes.newAccountDays = input.newAccountDays;
    if (errors.length > 0) fail(errors);

    return this.deps.db.transaction(async (tx) => {
      const current = await this.settingsOf(tx.manager, sellerId);
      const next: RiskThresholds = {
        highValueMinor: changes.highValueMinor ?? current.highValueMinor,
        elevatedValueMinor: changes.elevatedValueMinor ?? current.elevatedValueMinor,
        recommendScore: changes.recommendScore ?? current.recommendScore,
        newAccountDays: changes.newAccountDays ?? current.newAccountDays,
      };
      const problems = thresholdProblems(next);
      if (problems.length > 0) {
        fail(
          problems.map((p) =>
            userError(UserErrorCode.INVALID_INPUT, `${FIELD_NAMES[p.field]} ${p.message}`, [
              'input',
              FIELD_NAMES[p.field],
            ]),
          ),
        );
      }
      const now = this.clock();
      const autoDefendClaims =
        typeof input.autoDefendClaims === 'boolean'
          ? input.autoDefendClaims
          : current.autoDefendClaims;
      await tx.manager.upsert(
        SellerRiskSettings,
        { sellerId, ...next, autoDefendClaims, updatedAt: now },
        ['sellerId'],
      );
      const assessed = await assessOrders(
        tx.manager,
        { sellerId, status: OrderStatus.AWAITING_SHIPMENT },
        now,
      );
      return {
        settings: {
          ...next,
          autoDefendClaims,
          currency: THRESHOLD_CURRENCY,
          isDefault: false,
          updatedAt: now,
        },
        reassessedOrders: assessed.length,
        levelChangedOrders: assessed.filter((a) => a.previousLevel !== a.assessment.level).length,
      };
    });
  }

  /**
   * Platform staff record a change the risk rules look at (a hold, an address edit after
   * checkout); the order is reassessed in the same transaction.
   */
  async updateOrderInputs(
    ctx: RequestContext,
    input: UpdateOrderRiskInputsInput,
  ): Promise<UpdateOrderRiskInputsResult> {
    requireAdmin(ctx);
    const orderId = decodeId(input.orderId, 'Order', ['input', 'orderId']);
    const flags: Partial<Pick<Order, 'onHold' | 'addressChangedAfterCheckout'>> = {};
    if (typeof input.onHold === 'boolean') flags.onHold = input.onHold;
    if (typeof input.addressChangedAfterCheckout === 'boolean') {
      flags.addressChangedAfterCheckout = input.addressChangedAfterCheckout;
    }
    if (Object.keys(flags).length === 0) {
      fail(UserErrorCode.INVALID_INPUT, 'Give onHold or addressChangedAfterCheckout (or both)', [
        'input',
      ]);
    }
    return this.deps.db.transaction(async (tx) => {
      const now = this.clock();
      const result = await tx.manager.update(Order, { id: orderId }, { ...flags, updatedAt: now });
      if (!result.affected) {
        fail(UserErrorCode.ORDER_NOT_FOUND, 'No such order', ['input', 'orderId']);
      }
      const [assessed] = await assessOrders(tx.manager, { id: orderId }, now);
      const order = await tx.manager.findOneByOrFail(Order, { id: orderId });
      return { order, riskAssessment: assessed.assessment };
    });
  }

  private async settingsOf(manager: EntityManager, sellerId: number): Promise<RiskSettingsView> {
    const row = await manager.findOne(SellerRiskSettings, { where: { sellerId } });
    return {
      ...thresholdsOf(row),
      autoDefendClaims: row?.autoDefendClaims ?? false,
      currency: THRESHOLD_CURRENCY,
      isDefault: !row,
      updatedAt: row?.updatedAt ?? null,
    };
  }
}
