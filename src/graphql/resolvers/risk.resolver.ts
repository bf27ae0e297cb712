import { money } from '../../core/money';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import type { Order, RiskAssessment } from '../../entities';
import { OrderType } from '../types/order.type';
import {
  RiskAssessmentType,
  RiskSettingsType,
  UpdateOrderRiskInputsInput,
  UpdateOrderRiskInputsPayload,
  UpdateRiskSettingsInput,
  UpdateRiskSettingsPayload,
} from '../types/risk.type';
import type { RiskSettingsView } from '../../services/risk/risk.service';

const settingsType = (s: RiskSettingsView): RiskSettingsType => ({
  highValueThreshold: money(s.highValueMinor, s.currency),
  elevatedValueThreshold: money(s.elevatedValueMinor, s.currency),
  recommendScore: s.recommendScore,
  newAccountDays: s.newAccountDays,
  autoDefendClaims: s.autoDefendClaims,
  isDefault: s.isDefault,
  updatedAt: s.updatedAt,
});

@Resolver(() => RiskAssessmentType)
export class RiskResolver {
  @Query(() => RiskSettingsType, { description: 'Your risk thresholds (sellers only).' })
  async riskSettings(@Ctx() ctx: GraphQLContext): Promise<RiskSettingsType> {
    return settingsType(await ctx.services.risk.settings(ctx));
  }

  @Mutation(() => UpdateRiskSettingsPayload, {
    description:
      'Changes your risk thresholds and reassesses your orders awaiting shipment in the same transaction.',
  })
  async updateRiskSettings(
    @Arg('input', () => UpdateRiskSettingsInput, { description: 'Thresholds to change.' })
    input: UpdateRiskSettingsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateRiskSettingsPayload> {
    const result = await payload(
      async () => {
        const done = await ctx.services.risk.updateSettings(ctx, input);
        return { ...done, riskSettings: settingsType(done.settings) };
      },
      { reassessedOrders: 0, levelChangedOrders: 0 },
    );
    return { riskSettings: null, reassessedOrders: 0, levelChangedOrders: 0, ...result };
  }

  @Mutation(() => UpdateOrderRiskInputsPayload, {
    description:
      'Platform staff: records a hold or an address change on an order and reassesses it in the same transaction.',
  })
  updateOrderRiskInputs(
    @Arg('input', () => UpdateOrderRiskInputsInput, { description: 'The order and its flags.' })
    input: UpdateOrderRiskInputsInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.risk.updateOrderInputs(ctx, input));
  }

  @FieldResolver(() => Date, { description: 'When the assessment was made.' })
  assessedAt(@Root() assessment: RiskAssessment): Date {
    return assessment.createdAt;
  }
}

@Resolver(() => OrderType)
export class OrderRiskResolver {
  @FieldResolver(() => RiskAssessmentType, {
    nullable: true,
    description:
      "Why a signature is or is not recommended: the current risk assessment. For the order's seller and platform staff; null for buyers.",
  })
  riskAssessment(
    @Root() order: Order,
    @Ctx() ctx: GraphQLContext,
  ): RiskAssessment | null | Promise<RiskAssessment | null> {
    return ctx.services.risk.currentFor(ctx, order);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "The platform put the order on hold at some point (a risk input). For the order's seller and platform staff; null for buyers.",
  })
  onHold(@Root() order: Order, @Ctx() ctx: GraphQLContext): boolean | null {
    return ctx.services.risk.inputsFor(ctx, order)?.onHold ?? null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "The ship-to address was changed after payment (a risk input). For the order's seller and platform staff; null for buyers.",
  })
  addressChangedAfterCheckout(@Root() order: Order, @Ctx() ctx: GraphQLContext): boolean | null {
    return ctx.services.risk.inputsFor(ctx, order)?.addressChangedAfterCheckout ?? null;
  }
}
