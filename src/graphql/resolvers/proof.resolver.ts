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
} from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import type { CarrierInquiry, DeliveryProof, ProofVerdictRecord, Shipment } from '../../entities';
import { CarrierInquiryStatus, ProofVerdict } from '../../entities/enums';
import type { Page } from '../../core/page';
import { ConnectionArgs } from '../types/connection.type';
import { toGlobalId } from '../../core/global-id';
import {
  CarrierInquiryConnection,
  CarrierInquiryType,
  DeliveryProofType,
  ProofVerdictEntryType,
  VerifyDeliveryProofInput,
  VerifyDeliveryProofPayload,
} from '../types/proof.type';
import { ShipmentType } from '../types/shipment.type';

@ArgsType()
export class CarrierInquiriesArgs extends ConnectionArgs {
  @Field(() => CarrierInquiryStatus, {
    nullable: true,
    description: 'Only inquiries in this status.',
  })
  status?: CarrierInquiryStatus | null;
}

@Resolver(() => DeliveryProofType)
export class ProofResolver {
  @Query(() => CarrierInquiryConnection, {
    description:
      'Platform staff: inquiries to carriers about disputed deliveries, newest first. Others get FORBIDDEN.',
  })
  carrierInquiries(
    @Args() args: CarrierInquiriesArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Page<CarrierInquiry>> {
    return ctx.services.deliveryProofs.inquiries(ctx, args);
  }

  @FieldResolver(() => [ProofVerdictEntryType], {
    description:
      'Every verdict the seller gave, oldest first; the last is `verdict`. Shown to the seller only (empty for others).',
  })
  verdicts(
    @Root() proof: DeliveryProof,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProofVerdictRecord[]> {
    return ctx.services.deliveryProofs.verdictsOf(ctx, proof);
  }

  @Mutation(() => VerifyDeliveryProofPayload, {
    description:
      "Records the seller's verdict on a delivery proof: who, when, and an optional note.",
  })
  verifyDeliveryProof(
    @Arg('input', () => VerifyDeliveryProofInput, { description: 'Proof, verdict and note.' })
    input: VerifyDeliveryProofInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.deliveryProofs.verify(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() proof: DeliveryProof): string {
    return toGlobalId('DeliveryProof', proof.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the carrier captured a signature.' })
  signed(@Root() proof: DeliveryProof): boolean {
    return proof.signerName !== null || proof.signatureImage !== null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The signature image as a data URL, `data:image/png;base64,…` or `data:image/jpeg;base64,…` (decoded and size-checked when the carrier sent it). Shown to the seller only: null for the buyer.',
  })
  signatureImage(@Root() proof: DeliveryProof, @Ctx() ctx: GraphQLContext): string | null {
    return ctx.services.deliveryProofs.signatureImageFor(ctx, proof);
  }

  @FieldResolver(() => ProofVerdict, {
    nullable: true,
    description: "The seller's verdict, once given. Shown to the seller only.",
  })
  verdict(@Root() proof: DeliveryProof, @Ctx() ctx: GraphQLContext): ProofVerdict | null {
    return ctx.services.deliveryProofs.showsSellerFields(ctx, proof) ? proof.verdict : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The seller's note with the verdict. Shown to the seller only.",
  })
  verdictNote(@Root() proof: DeliveryProof, @Ctx() ctx: GraphQLContext): string | null {
    return ctx.services.deliveryProofs.showsSellerFields(ctx, proof) ? proof.verdictNote : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the seller gave the verdict. Shown to the seller only.',
  })
  verifiedAt(@Root() proof: DeliveryProof, @Ctx() ctx: GraphQLContext): Date | null {
    return ctx.services.deliveryProofs.showsSellerFields(ctx, proof) ? proof.verifiedAt : null;
  }

  @FieldResolver(() => ShipmentType, { description: 'The delivered shipment.' })
  async shipment(@Root() proof: DeliveryProof, @Ctx() ctx: GraphQLContext): Promise<Shipment> {
    return (await ctx.loaders.shipmentById.load(proof.shipmentId)) as Shipment;
  }
}

@Resolver(() => ShipmentType)
export class ShipmentInquiryResolver {
  @FieldResolver(() => CarrierInquiryType, {
    nullable: true,
    description:
      "The latest inquiry to the carrier about this delivery (after the seller disputed its proof). For the shipment's seller and staff; null for others.",
  })
  carrierInquiry(
    @Root() shipment: Shipment,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CarrierInquiry | null> {
    return ctx.services.deliveryProofs.inquiryOf(ctx, shipment);
  }
}
