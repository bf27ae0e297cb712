import { money } from '../../core/money';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import type { Address, CarrierService, LabelQuote, Order } from '../../entities';
import { Carrier } from '../../entities/enums';
import { toGlobalId } from '../../core/global-id';
import { CarrierServiceType } from '../types/catalog.type';
import { Money } from '../types/money.type';
import { AddressType, OrderType, ParcelType } from '../types/order.type';
import {
  CreateLabelQuoteInput,
  CreateLabelQuotePayload,
  LabelQuoteType,
  LabelRateOptionType,
  LabelRateType,
} from '../types/quote.type';
import type { RateRef } from '../../services/label-quote.service';
import { expectedValueOf } from '../types/protection.type';

@Resolver(() => LabelQuoteType)
export class LabelQuoteResolver {
  @Mutation(() => CreateLabelQuotePayload, {
    description:
      'Quotes a label for your order: one rate per service with every signature option itemized, prices locked for 15 minutes.',
  })
  createLabelQuote(
    @Arg('input', () => CreateLabelQuoteInput, { description: 'Order and optional parcel.' })
    input: CreateLabelQuoteInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.labelQuotes.create(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; pass it to purchaseLabel.' })
  id(@Root() quote: LabelQuote): string {
    return toGlobalId('LabelQuote', quote.id);
  }

  @FieldResolver(() => OrderType, { nullable: true, description: 'The order quoted.' })
  order(@Root() quote: LabelQuote, @Ctx() ctx: GraphQLContext): Promise<Order | null> {
    return ctx.services.orders.findVisible(ctx, quote.orderId);
  }

  @FieldResolver(() => AddressType, {
    nullable: true,
    description: "Where the rates are from: the chosen ship-from location's address.",
  })
  shipFrom(@Root() quote: LabelQuote, @Ctx() ctx: GraphQLContext): Promise<Address | null> | null {
    return quote.shipFromAddressId ? ctx.loaders.addressById.load(quote.shipFromAddressId) : null;
  }

  @FieldResolver(() => ParcelType, { description: 'The parcel the rates are for.' })
  parcel(@Root() quote: LabelQuote): ParcelType {
    return quote.parcel;
  }

  @FieldResolver(() => [LabelRateType], {
    description: 'One rate per service that can reach the destination, in catalog order.',
  })
  rates(@Root() quote: LabelQuote): RateRef[] {
    return quote.rates.map((rate) => ({ currency: quote.currency, rate }));
  }
}

@Resolver(() => LabelRateType)
export class LabelRateResolver {
  @FieldResolver(() => String, {
    description: "The rate's id within the quote; pass it to purchaseLabel as rateId.",
  })
  id(@Root() ref: RateRef): string {
    return ref.rate.rateId;
  }

  @FieldResolver(() => CarrierServiceType, { description: 'The carrier service.' })
  async service(@Root() ref: RateRef, @Ctx() ctx: GraphQLContext): Promise<CarrierService> {
    return (await ctx.loaders.serviceById.load(ref.rate.serviceId)) as CarrierService;
  }

  @FieldResolver(() => Carrier, { description: 'The carrier.' })
  carrier(@Root() ref: RateRef): Carrier {
    return ref.rate.carrier as Carrier;
  }

  @FieldResolver(() => Money, { description: 'Postage without any signature fee.' })
  basePostage(@Root() ref: RateRef): Money {
    return money(ref.rate.basePostageMinor, ref.currency);
  }

  @FieldResolver(() => Int, { description: 'Days the carrier expects the parcel to take.' })
  estimatedDeliveryDays(@Root() ref: RateRef): number {
    return ref.rate.estimatedDays;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether the service may carry the order's goods (Media Mail only for qualifying media, no USPS for alcohol or vapes, age-restricted goods only with an adult signature). An ineligible rate cannot be bought (CONTENTS_NOT_ELIGIBLE) and none of its options is recommended.",
  })
  eligible(@Root() ref: RateRef): boolean {
    return ref.rate.eligible ?? true;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why the service may not carry the goods, citing the rule; null when eligible.',
  })
  ineligibleReason(@Root() ref: RateRef): string | null {
    return ref.rate.ineligibleReason ?? null;
  }

  @FieldResolver(() => [LabelRateOptionType], {
    description: 'NONE, SIGNATURE_REQUIRED and ADULT_SIGNATURE_REQUIRED, supported or not.',
  })
  options(@Root() ref: RateRef): LabelRateOptionType[] {
    return ref.rate.options.map((o) => ({
      option: o.option,
      fee: money(o.feeMinor, ref.currency),
      total: money(o.totalMinor, ref.currency),
      supported: o.supported,
      unavailableReason: o.unavailableReason,
      carrierCode: o.carrierCode,
      isRecommended: o.isRecommended,
      requiresTermsAcceptance: o.requiresTermsAcceptance,
      protection: o.protection ?? null,
      expectedValue: o.expectedValue ? expectedValueOf(o.expectedValue, ref.currency) : null,
    }));
  }
}
