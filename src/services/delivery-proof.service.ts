import type { EntityManager } from 'typeorm';
import { toGlobalId } from '../core/global-id';
import { enqueueWebhookEvent } from '../webhooks/outgoing';
import { canSee, isAdmin, isSeller } from '../auth/viewer';
import type { RequestContext } from '../core/request-context';
import { Address, CarrierInquiry, DeliveryProof, ProofVerdictRecord } from '../entities';
import type { Order, Shipment } from '../entities';
import { CarrierInquiryStatus, ProofVerdict, SignatureOption } from '../entities/enums';
import { forbidden } from '../core/errors';
import { UserErrorCode, decodeId, fail } from '../core/user-error';
import type { ServiceDeps } from './deps';
import { requireAdmin, requireViewer } from '../auth/guards';
import type { Page } from '../core/page';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';
import { assessDelivery } from './tracking/proof-checks';
import { isServableSignatureImage } from './tracking/signature-image';
import type { CapturedSignature } from './tracking/proof-checks';

export const MAX_VERDICT_NOTE = 1000;

/**
 * A DISPUTED verdict asks the carrier about the delivery: one open inquiry per shipment (a
 * partial unique index holds it), visible to staff and to the seller.
 */
async function openInquiry(
  m: EntityManager,
  proof: DeliveryProof,
  verdict: ProofVerdictRecord,
  now: Date,
): Promise<void> {
  const open = await m.exists(CarrierInquiry, {
    where: { shipmentId: proof.shipmentId, status: CarrierInquiryStatus.OPEN },
  });
  if (open) return;
  await m.insert(CarrierInquiry, {
    shipmentId: proof.shipmentId,
    sellerId: proof.sellerId,
    verdictId: verdict.id,
    status: CarrierInquiryStatus.OPEN,
    reason: verdict.note
      ? `The seller disputed the delivery proof: ${verdict.note}`.slice(0, 1000)
      : 'The seller disputed the delivery proof.',
    openedAt: now,
  });
}

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

  /** Every verdict on the proof, oldest first: for the seller and staff; empty for others. */
  async verdictsOf(ctx: RequestContext, proof: DeliveryProof): Promise<ProofVerdictRecord[]> {
    if (!this.showsSellerFields(ctx, proof)) return [];
    return ctx.loaders.verdictsByProofId.load(proof.id);
  }

  /** The shipment's latest carrier inquiry: for its seller and staff; null for others. */
  async inquiryOf(ctx: RequestContext, shipment: Shipment): Promise<CarrierInquiry | null> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && viewer.sellerId !== shipment.sellerId) return null;
    const inquiries = await ctx.loaders.inquiriesByShipmentId.load(shipment.id);
    return inquiries.at(-1) ?? null;
  }

  /** Staff: carrier inquiries, newest first, optionally by status. */
  async inquiries(
    ctx: RequestContext,
    args: PageArgs & { status?: CarrierInquiryStatus | null },
  ): Promise<Page<CarrierInquiry>> {
    requireAdmin(ctx);
    const query = this.deps.db.manager.createQueryBuilder(CarrierInquiry, 'i');
    if (args.status) query.where('i.status = :status', { status: args.status });
    return keysetPage(query, 'i', 'openedAt', args);
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
      const m = tx.manager;
      const proof = await m.findOne(DeliveryProof, { where: { id: proofId } });
      if (!proof || proof.sellerId !== viewer.sellerId) {
        fail(UserErrorCode.PROOF_NOT_FOUND, 'No such delivery proof', ['input', 'proofId']);
      }
      const now = new Date();
      // Every verdict is kept; the proof's own columns hold the latest, the current one.
      const record = await m.save(
        m.create(ProofVerdictRecord, {
          proofId,
          verdict: input.verdict,
          note,
          byTokenId: viewer.tokenId,
          at: now,
        }),
      );
      proof.verdict = input.verdict;
      proof.verdictNote = note;
      proof.verifiedByTokenId = viewer.tokenId;
      proof.verifiedAt = now;
      await m.save(proof);
      if (input.verdict === ProofVerdict.DISPUTED) await openInquiry(m, proof, record, now);
      return { proof };
    });
  }
}
