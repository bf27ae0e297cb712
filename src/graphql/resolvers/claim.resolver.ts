import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { requireViewer } from '../../auth/guards';
import { isAdmin } from '../../auth/viewer';
import { toGlobalId } from '../../core/global-id';
import { money } from '../../core/money';
import type { Money as MoneyValue } from '../../core/money';
import type { Page } from '../../core/page';
import type { Claim, ClaimTransition, Order, Shipment } from '../../entities';
import type { ClaimEvidence } from '../../entities/claim.entity';
import { ClaimStatus } from '../../entities/enums';
import type { ClaimChanged } from '../../pubsub/event-bus';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import {
  ClaimConnection,
  ClaimEvidenceType,
  ClaimTransitionType,
  ClaimType,
  FileClaimInput,
  FileClaimPayload,
  ResolveClaimInput,
  ResolveClaimPayload,
  RespondToClaimInput,
  RespondToClaimPayload,
} from '../types/claim.type';
import { ConnectionArgs } from '../types/connection.type';
import { Money } from '../types/money.type';
import { OrderType } from '../types/order.type';
import { ShipmentType } from '../types/shipment.type';
import type { DefenceExclusion } from '../../services/claims/evidence';

@ArgsType()
export class ClaimsArgs extends ConnectionArgs {
  @Field(() => ClaimStatus, { nullable: true, description: 'Only claims in this status.' })
  status?: ClaimStatus | null;
}

@ArgsType()
export class ClaimUpdatedArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Follow one claim; without it, every claim of yours.',
  })
  claimId?: string | null;
}

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

/** The stored snapshot (ISO strings) as the GraphQL type (dates, global ids). */
function evidenceType(e: ClaimEvidence): ClaimEvidenceType {
  return {
    assembledAt: new Date(e.assembledAt),
    carrier: e.shipment?.carrier ?? null,
    trackingNumber: e.shipment?.trackingNumber ?? null,
    shipmentStatus: e.shipment?.status ?? null,
    statusAt: date(e.shipment?.statusAt ?? null),
    signatureOption: e.label?.signatureOption ?? null,
    signatureCarrierCode: e.label?.signatureCarrierCode ?? null,
    labelPurchasedAt: date(e.label?.purchasedAt ?? null),
    signatureDecision: e.signatureDecision && {
      ...e.signatureDecision,
      decidedAt: new Date(e.signatureDecision.decidedAt),
    },
    proof: e.proof && {
      ...e.proof,
      proofId: toGlobalId('DeliveryProof', e.proof.proofId),
      signedAt: date(e.proof.signedAt),
    },
    tracking: e.tracking.map((t) => ({ ...t, occurredAt: new Date(t.occurredAt) })),
    defenceExclusions: e.defenceExclusions as DefenceExclusion[],
  };
}

@Resolver(() => ClaimType)
export class ClaimResolver {
  @Query(() => ClaimConnection, {
    description:
      "Not-received claims, newest first: a buyer's own, those on a seller's orders, all for staff; none for a platform integration.",
  })
  claims(@Args() args: ClaimsArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Claim>> {
    return ctx.services.claimReads.list(ctx, args);
  }

  @Mutation(() => FileClaimPayload, {
    description:
      'Buyers: files a not-received claim on your delivered or overdue order, inside the filing window. The evidence is attached at once and, if the seller asked for it and the proof passed every check, answered for the seller.',
  })
  fileClaim(
    @Arg('input', () => FileClaimInput, { description: 'Order and reason.' })
    input: FileClaimInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.claims.file(ctx, input));
  }

  @Mutation(() => RespondToClaimPayload, {
    description:
      'Sellers: answers a claim on your order before its deadline: submit the delivery proof, refund, or reship.',
  })
  respondToClaim(
    @Arg('input', () => RespondToClaimInput, { description: 'Claim and answer.' })
    input: RespondToClaimInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.claims.respond(ctx, input));
  }

  @Mutation(() => ResolveClaimPayload, {
    description: 'Platform staff: decides a claim for the seller or for the buyer, with a note.',
  })
  resolveClaim(
    @Arg('input', () => ResolveClaimInput, { description: 'Claim, decision and note.' })
    input: ResolveClaimInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.claims.resolve(ctx, input));
  }

  @Subscription(() => ClaimType, {
    description:
      'Every committed move of your claims (buyer: your own; seller: those on your orders), or of one claim. Other roles get FORBIDDEN.',
    subscribe: ({ args, context }: { args: ClaimUpdatedArgs; context: GraphQLContext }) =>
      context.services.claimReads.subscribe(context, args),
  })
  claimUpdated(
    @Root() change: ClaimChanged,
    @Args() _args: ClaimUpdatedArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Claim> {
    return ctx.services.claimReads.changed(ctx, change);
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() claim: Claim): string {
    return toGlobalId('Claim', claim.id);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: 'What the buyer was refunded; null unless refunded.',
  })
  refund(@Root() claim: Claim): MoneyValue | null {
    return claim.refundMinor === null ? null : money(claim.refundMinor, claim.currency);
  }

  @FieldResolver(() => ClaimEvidenceType, {
    nullable: true,
    description:
      "What the claim is decided on (proof, tracking, label, the seller's signature decision). For the seller and staff; null for the buyer.",
  })
  evidence(@Root() claim: Claim, @Ctx() ctx: GraphQLContext): ClaimEvidenceType | null {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && viewer.sellerId !== claim.sellerId) return null;
    return evidenceType(claim.evidence);
  }

  @FieldResolver(() => [ClaimTransitionType], { description: 'Every move, oldest first.' })
  transitions(@Root() claim: Claim, @Ctx() ctx: GraphQLContext): Promise<ClaimTransition[]> {
    return ctx.services.claimReads.transitions(ctx, claim);
  }

  @FieldResolver(() => OrderType, { description: 'The order claimed on.' })
  async order(@Root() claim: Claim, @Ctx() ctx: GraphQLContext): Promise<Order> {
    return (await ctx.loaders.orderById.load(claim.orderId)) as Order;
  }

  @FieldResolver(() => ShipmentType, {
    nullable: true,
    description: 'The shipment claimed on.',
  })
  async shipment(@Root() claim: Claim, @Ctx() ctx: GraphQLContext): Promise<Shipment | null> {
    return claim.shipmentId === null ? null : ctx.loaders.shipmentById.load(claim.shipmentId);
  }
}

@Resolver(() => OrderType)
export class OrderClaimResolver {
  @FieldResolver(() => [ClaimType], {
    description: "The order's not-received claims, newest first (buyer, seller and staff).",
  })
  claims(@Root() order: Order, @Ctx() ctx: GraphQLContext): Promise<Claim[]> {
    return ctx.services.claimReads.forOrder(ctx, order);
  }

  @FieldResolver(() => ClaimType, { nullable: true, description: "The order's open claim." })
  openClaim(@Root() order: Order, @Ctx() ctx: GraphQLContext): Promise<Claim | null> {
    return ctx.services.claimReads.openForOrder(ctx, order);
  }
}
