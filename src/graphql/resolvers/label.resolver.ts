import { money } from '../../core/money';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../core/page';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import type { Address, CarrierService, Charge, Label, Order } from '../../entities';
import { toGlobalId } from '../../core/global-id';
import { LabelDocumentFormat } from '../../entities/enums';
import type { LabelDocumentLink } from '../../services/label-documents.service';
import { CarrierServiceType } from '../types/catalog.type';
import {
  ChargeType,
  LabelDocumentLinkType,
  LabelConnection,
  LabelType,
  LabelsArgs,
  PurchaseLabelInput,
  PurchaseLabelPayload,
  VoidLabelInput,
  VoidLabelPayload,
} from '../types/label.type';
import { Money } from '../types/money.type';
import { pageArgs } from '../types/connection.type';
import { AddressType, OrderType } from '../types/order.type';
import { SellerProtectionType } from '../types/protection.type';
import type { Protection } from '../../services/protection/rules';

@Resolver(() => LabelType)
export class LabelResolver {
  @Query(() => LabelConnection, {
    description:
      'Your labels, newest first, each with its charges (and refunds): live ones, or with includeVoided the voided ones too. Sellers see their own; platform staff all.',
  })
  labels(@Args() args: LabelsArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Label>> {
    return ctx.services.labelList.list(ctx, pageArgs(args));
  }

  @Mutation(() => PurchaseLabelPayload, {
    description:
      "Buys the label of a quoted rate with a signature option, in one transaction: label, order status, shipment, charges, your decision on the recommendation, and the buyer's notice. Retries with the same idempotencyKey return the first result.",
  })
  purchaseLabel(
    @Arg('input', () => PurchaseLabelInput, { description: 'Quote, rate, option and key.' })
    input: PurchaseLabelInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.labelPurchase.purchase(ctx, input));
  }

  @Mutation(() => VoidLabelPayload, {
    description:
      'Voids a label before the carrier first scans it: every charge is refunded, the shipment cancelled and the order awaits shipment again.',
  })
  voidLabel(
    @Arg('input', () => VoidLabelInput, { description: 'The label.' }) input: VoidLabelInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.labels.void(ctx, input));
  }

  @FieldResolver(() => AddressType, {
    nullable: true,
    description:
      "The ship-from address printed on the label (its quote's location); null on labels bought before locations existed.",
  })
  shipFrom(@Root() label: Label, @Ctx() ctx: GraphQLContext): Promise<Address | null> | null {
    return label.shipFromAddressId ? ctx.loaders.addressById.load(label.shipFromAddressId) : null;
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() label: Label): string {
    return toGlobalId('Label', label.id);
  }

  @FieldResolver(() => CarrierServiceType, { description: 'The carrier service.' })
  async service(@Root() label: Label, @Ctx() ctx: GraphQLContext): Promise<CarrierService> {
    return (await ctx.loaders.serviceById.load(label.serviceId)) as CarrierService;
  }

  @FieldResolver(() => Money, { description: 'Postage, without the signature fee.' })
  postage(@Root() label: Label): Money {
    return money(label.postageMinor, label.currency);
  }

  @FieldResolver(() => Money, { description: "The signature option's fee (0 for NONE)." })
  signatureFee(@Root() label: Label): Money {
    return money(label.signatureFeeMinor, label.currency);
  }

  @FieldResolver(() => Money, { description: 'Postage plus fee: what the label cost.' })
  total(@Root() label: Label): Money {
    return money(label.totalMinor, label.currency);
  }

  @FieldResolver(() => LabelDocumentLinkType, {
    description:
      "A short-lived signed link to the label's printable document (tracking barcode and signature marking included). Only the label's seller gets one (other roles: FORBIDDEN); a voided label's: LABEL_VOIDED.",
  })
  document(
    @Root() label: Label,
    @Arg('format', () => LabelDocumentFormat, { description: 'PDF, PNG or ZPL.' })
    format: LabelDocumentFormat,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LabelDocumentLink> {
    return ctx.services.labelDocuments.link(ctx, label, format);
  }

  @FieldResolver(() => SellerProtectionType, {
    description:
      "Whether a buyer's not-received claim on this label would be protected now, and if not why: from the option bought, the order's value and goods, the ship-to (forwarder, changed since the label) and, once delivered, the signature the carrier captured.",
  })
  protection(@Root() label: Label, @Ctx() ctx: GraphQLContext): Promise<Protection> {
    return ctx.services.protection.forLabel(ctx, label);
  }

  @FieldResolver(() => [ChargeType], {
    description: 'Charges for the label, itemized, then any refunds (negative), oldest first.',
  })
  charges(@Root() label: Label, @Ctx() ctx: GraphQLContext): Promise<Charge[]> {
    return ctx.services.labels.charges(ctx, label);
  }
}

@Resolver(() => ChargeType)
export class ChargeResolver {
  @FieldResolver(() => Money, { description: 'The amount; negative for a refund.' })
  amount(@Root() charge: Charge): Money {
    return money(charge.amountMinor, charge.currency);
  }
}

@Resolver(() => OrderType)
export class OrderLabelResolver {
  @FieldResolver(() => LabelType, {
    nullable: true,
    description:
      "The order's live label (voided ones are left out). For the order's seller and platform staff; null for buyers.",
  })
  label(@Root() order: Order, @Ctx() ctx: GraphQLContext): Label | null | Promise<Label | null> {
    return ctx.services.labels.currentFor(ctx, order);
  }
}
