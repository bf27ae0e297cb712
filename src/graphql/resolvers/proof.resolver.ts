import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import type { DeliveryProof, Shipment } from '../../entities';
import { ProofVerdict } from '../../entities/enums';
import { toGlobalId } from '../../core/global-id';
import {
  DeliveryProofType,
  VerifyDeliveryProofInput,
  VerifyDeliveryProofPayload,
} from '../types/proof.type';
import { ShipmentType } from '../types/shipment.type';

@Resolver(() => DeliveryProofType)
export class ProofResolver {
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
