import type { EntityManager } from 'typeorm';
import { toGlobalId } from '../core/global-id';
import { enqueueWebhookEvent } from '../webhooks/outgoing';
import { canSee, isAdmin, isSeller } from '../auth/viewer';
import type { RequestContext } from '../core/request-context';
import { Address, DeliveryProof } from '../entities';
import type { Order, Shipment } from '../entities';
import { ProofVerdict, SignatureOption } from '../entities/enums';
import { forbidden } from '../core/errors';
import { UserErrorCode, decodeId, fail } from '../core/user-error';
import type { ServiceDeps } from './deps';
import { requireViewer } from '../auth/guards';
import { assessDelivery } from './tracking/proof-checks';
import { isServableSignatureImage } from './tracking/signature-image';
import type { CapturedSignature } from './tracking/proof-checks';

export const MAX_VERDICT_NOTE = 1000;

export interface VerifyProofInput {
  proofId: string;
  verdict: ProofVerdict;
  note?: string | null;
}

export interface VerifyProofResult {
  proof: DeliveryProof;
}

/** Delivery proofs: created with a delivery, shown by role, verified by the seller. */
export class DeliveryProofService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Writes the proof of a delivery inside the carrier event's transaction, when someone signed
   * or a signature was bought (a paid-for signature that is missing is exactly what to flag).
   */
  async recordDelivery(
    m: EntityManager,
    args: { shipment: Shipment; order: Order; signature: CapturedSignature | null; now: Date },
  ): Promise<{ proof: DeliveryProof; flagged: boolean; signatureMissing: boolean } | null> {
    const { shipment, order, signature, now } = args;
    if (!signature && shipment.signatureRequirement === SignatureOption.NONE) return null;
    const shipTo = await m.findOneOrFail(Address, { where: { id: order.shipToAddressId } });
    const assessment = assessDelivery(shipment.signatureRequirement, signature, shipTo.name);
    const proof = await m.save(
      m.create(DeliveryProof, {
        shipmentId: shipment.id,
        orderId: order.id,
        sellerId: shipment.sellerId,
        signerName: signature?.signerName ?? null,
        signedAt: signature?.signedAt ?? null,
        signatureImage: signature?.imageDataUrl ?? null,
        location: signature?.location ?? null,
        adultIdVerified: signature?.adultIdVerified ?? null,
        checks: assessment.checks,
        flagged: assessment.flagged,
        verdict: null,
        verdictNote: null,
        verifiedByTokenId: null,
        verifiedAt: null,
        createdAt: now,
      }),
    );
    await enqueueWebhookEvent(m, {
      sellerId: proof.sellerId,
      event: 'proof.recorded',
      data: {
        proofId: toGlobalId('DeliveryProof', proof.id),
        shipmentId: toGlobalId('Shipment', shipment.id),
        trackingNumber: shipment.trackingNumber,
        signerName: proof.signerName,
        signedAt: proof.signedAt?.toISOString() ?? null,
        flagged: proof.flagged,
      },
      now,
    });
    return { proof, flagged: assessment.flagged, signatureMissing: assessment.signatureMissing };
  }

  async findForShipment(ctx: RequestContext, shipment: Shipment): Promise<DeliveryProof | null> {
    const [proof] = await ctx.loaders.deliveryProofsByShipmentId.load(shipment.id);
    return proof ?? null;
  }

  /** For `node(id)`: the proof if the viewer may see its shipment. */
  async findVisible(ctx: RequestContext, id: number): Promise<DeliveryProof | null> {
    const viewer = requireViewer(ctx);
    const proof = await ctx.loaders.deliveryProofById.load(id);
    if (!proof) return null;
    const shipment = await ctx.loaders.shipmentById.load(proof.shipmentId);
    return shipment && canSee(viewer, shipment) ? proof : null;
  }

  /**
   * The signature image and the seller's verdict are the seller's (and staff's): the buyer is
   * told that someone signed and who, not shown the image.
   */
  showsSellerFields(ctx: RequestContext, proof: DeliveryProof): boolean {
    const viewer = requireViewer(ctx);
    return isAdmin(viewer) || viewer.sellerId === proof.sellerId;
  }

  /**
   * The signature image for the seller and staff, only if it is of a type accepted today (PNG or
   * JPEG, decoded when it came in): an SVG stored before SVG was refused is not served.
   */
  signatureImageFor(ctx: RequestContext, proof: DeliveryProof): string | null {
    if (!this.showsSellerFields(ctx, proof) || proof.signatureImage === null) return null;
    return isServableSignatureImage(proof.signatureImage) ? proof.signatureImage : null;
  }

  async verify(ctx: RequestContext, input: VerifyProofInput): Promise<VerifyProofResult> {
    const viewer = requireViewer(ctx);
    if (!isSeller(viewer)) throw forbidden('Only the seller can verify a delivery proof');
    const proofId = decodeId(input.proofId, 'DeliveryProof', ['input', 'proofId']);
    if (!Object.values(ProofVerdict).includes(input.verdict)) {
      fail(UserErrorCode.INVALID_INPUT, 'verdict must be CONFIRMED or DISPUTED', [
        'input',
        'verdict',
      ]);
    }
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_VERDICT_NOTE) {
      fail(UserErrorCode.INVALID_INPUT, `note must be at most ${MAX_VERDICT_NOTE} characters`, [
        'input',
        'note',
      ]);
    }
    return this.deps.db.transaction(async (tx) => {
      const proof = await tx.manager.findOne(DeliveryProof, { where: { id: proofId } });
      if (!proof || proof.sellerId !== viewer.sellerId) {
        fail(UserErrorCode.PROOF_NOT_FOUND, 'No such delivery proof', ['input', 'proofId']);
      }
      proof.verdict = input.verdict;
      proof.verdictNote = note;
      proof.verifiedByTokenId = viewer.tokenId;
      proof.verifiedAt = new Date();
      return { proof: await tx.manager.save(proof) };
    });
  }
}
