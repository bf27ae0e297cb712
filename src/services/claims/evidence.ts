import type { EntityManager } from 'typeorm';
import {
  DeliveryProof,
  Label,
  ProofVerdictRecord,
  SignatureDecision,
  TrackingEvent,
} from '../../entities';
import type { Order, Shipment } from '../../entities';
import type { ClaimEvidence } from '../../entities/claim.entity';
import { ProofVerdict, ShipmentStatus, SignatureOption } from '../../entities/enums';

/**
 * Why a claim's evidence does not answer it on its own. A signature is evidence, not proof of
 * who received: a failed check, a missing signature or a ship-to that changed keeps the claim for
 * a person to decide.
 */
export enum DefenceExclusion {
  /** The carrier has not reported a delivery. */
  NOT_DELIVERED = 'NOT_DELIVERED',
  /** No signature was bought, so there is no signed proof to answer with. */
  NO_SIGNATURE_BOUGHT = 'NO_SIGNATURE_BOUGHT',
  /** A signature was bought but the carrier delivered without one. */
  SIGNATURE_MISSING = 'SIGNATURE_MISSING',
  /** A check of the proof failed (adult ID not verified, signer name not the recipient's). */
  PROOF_FLAGGED = 'PROOF_FLAGGED',
  /**
   * The platform recorded a change of the ship-to after checkout. Nothing records when, so it
   * may have been after the label: the signer may have signed at another door.
   */
  SHIP_TO_CHANGED = 'SHIP_TO_CHANGED',
  /** The seller's own latest verdict on the proof is DISPUTED. */
  PROOF_DISPUTED = 'PROOF_DISPUTED',
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The rows the evidence is made of. */
export interface EvidenceRows {
  order: Order;
  shipment: Shipment;
  label: Label | null;
  decision: SignatureDecision | null;
  proof: DeliveryProof | null;
  latestVerdict: ProofVerdict | null;
  events: TrackingEvent[];
}

/** Every reason the evidence cannot answer the claim automatically; empty when it can. */
export function defenceExclusions(rows: EvidenceRows): DefenceExclusion[] {
  const { order, shipment, proof } = rows;
  const out: DefenceExclusion[] = [];
  if (shipment.status !== ShipmentStatus.DELIVERED) out.push(DefenceExclusion.NOT_DELIVERED);
  if (shipment.signatureRequirement === SignatureOption.NONE) {
    out.push(DefenceExclusion.NO_SIGNATURE_BOUGHT);
  } else if (shipment.status === ShipmentStatus.DELIVERED) {
    const present = proof?.checks.find((c) => c.code === 'SIGNATURE_PRESENT');
    if (!proof || !present?.passed) out.push(DefenceExclusion.SIGNATURE_MISSING);
    else if (proof.flagged) out.push(DefenceExclusion.PROOF_FLAGGED);
  }
  if (order.addressChangedAfterCheckout) out.push(DefenceExclusion.SHIP_TO_CHANGED);
  if (rows.latestVerdict === ProofVerdict.DISPUTED) out.push(DefenceExclusion.PROOF_DISPUTED);
  return out;
}

/** The evidence snapshot stored on the claim. */
export function evidenceOf(rows: EvidenceRows, now: Date): ClaimEvidence {
  const { shipment, label, decision, proof } = rows;
  return {
    assembledAt: now.toISOString(),
    shipment: {
      shipmentId: shipment.id,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      status: shipment.status,
      statusAt: iso(shipment.statusAt),
      estimatedDeliveryAt: iso(shipment.estimatedDeliveryAt),
    },
    label: label && {
      labelId: label.id,
      signatureOption: label.signatureOption,
      signatureCarrierCode: label.signatureCarrierCode,
      purchasedAt: label.createdAt.toISOString(),
    },
    signatureDecision: decision && {
      recommended: decision.recommended,
      chosen: decision.chosen,
      outcome: decision.outcome,
      decidedAt: decision.createdAt.toISOString(),
    },
    proof: proof && {
      proofId: proof.id,
      signerName: proof.signerName,
      signedAt: iso(proof.signedAt),
      location: proof.location,
      adultIdVerified: proof.adultIdVerified,
      checks: proof.checks,
      flagged: proof.flagged,
    },
    tracking: rows.events.map((e) => ({
      status: e.status,
      reason: e.reason,
      description: e.description,
      location: e.location,
      occurredAt: e.occurredAt.toISOString(),
    })),
    defenceExclusions: defenceExclusions(rows),
  };
}

/** Reads the evidence rows of a shipment inside the caller's transaction. */
export async function loadEvidenceRows(
  m: EntityManager,
  order: Order,
  shipment: Shipment,
): Promise<EvidenceRows> {
  const label = await m.findOne(Label, { where: { id: shipment.labelId } });
  const decision = await m.findOne(SignatureDecision, {
    where: { labelId: shipment.labelId },
    order: { id: 'DESC' },
  });
  const proof = await m.findOne(DeliveryProof, { where: { shipmentId: shipment.id } });
  const verdict = proof
    ? await m.findOne(ProofVerdictRecord, { where: { proofId: proof.id }, order: { id: 'DESC' } })
    : null;
  const events = await m.find(TrackingEvent, {
    where: { shipmentId: shipment.id },
    order: { occurredAt: 'ASC', id: 'ASC' },
  });
  return {
    order,
    shipment,
    label,
    decision,
    proof,
    latestVerdict: verdict?.verdict ?? proof?.verdict ?? null,
    events,
  };
}
