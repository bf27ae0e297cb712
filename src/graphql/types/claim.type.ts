import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Claim as ClaimEntity } from '../../entities';
import {
  Carrier,
  ClaimActor,
  ClaimOutcome,
  ClaimReason,
  ClaimStatus,
  ShipmentStatus,
  SignatureDecisionOutcome,
  SignatureOption,
} from '../../entities/enums';
import { ClaimResponse } from '../../services/claims/claim-machine';
import { ClaimDecisionFor } from '../../services/claims/claim.service';
import { DefenceExclusion } from '../../services/claims/evidence';
import { Connection } from './connection.type';
import { Node, exposeAs } from './node.type';
import { DeliveryProofCheckType } from './proof.type';
import { UserErrorInterface } from './user-error.type';

registerEnumType(ClaimReason, {
  name: 'ClaimReason',
  description: 'Why the buyer says the order did not reach them.',
  valuesConfig: {
    NOT_RECEIVED: { description: 'Nothing arrived.' },
    DELIVERED_NOT_RECEIVED: {
      description: 'Tracking says delivered, but the parcel did not reach the buyer.',
    },
    ADULT_ID_NOT_CHECKED: {
      description:
        'Adult Signature Required (21+) was bought, but the carrier handed the parcel over without checking ID.',
    },
  },
});

registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description: 'Where a claim stands.',
  valuesConfig: {
    AWAITING_SELLER: { description: 'Filed; the seller answers before `sellerDeadlineAt`.' },
    SELLER_RESPONDED: {
      description:
        'The seller (or Countersign for it) answered with the delivery proof; staff decide.',
    },
    REFUNDED: { description: 'The seller refunded the buyer. Closed.' },
    RESHIPPED: { description: 'The seller sent the goods again. Closed.' },
    RESOLVED_FOR_SELLER: { description: 'Staff decided for the seller. Closed.' },
    RESOLVED_FOR_BUYER: { description: 'Staff decided for the buyer, with a refund. Closed.' },
  },
});

registerEnumType(ClaimOutcome, {
  name: 'ClaimOutcome',
  description: 'How a closed claim ended.',
  valuesConfig: {
    RESOLVED_FOR_SELLER: { description: 'Nothing was paid: the proof stood.' },
    REFUNDED: { description: 'The buyer was refunded (by the seller or on a staff decision).' },
    RESHIPPED: { description: 'The seller sent the goods again.' },
  },
});

registerEnumType(ClaimActor, {
  name: 'ClaimActor',
  description: 'Who moved a claim.',
  valuesConfig: {
    BUYER: { description: "The order's buyer." },
    SELLER: { description: "The order's seller." },
    ADMIN: { description: 'Platform staff.' },
    SYSTEM: {
      description: 'Countersign, answering for the seller from passed proof (automatic defence).',
    },
  },
});

registerEnumType(ClaimResponse, {
  name: 'ClaimResponse',
  description: "The seller's answer to a claim.",
  valuesConfig: {
    SUBMIT_PROOF: { description: 'Answer with the delivery proof; staff then decide.' },
    REFUND: { description: 'Refund the buyer; closes the claim.' },
    RESHIP: { description: 'Send the goods again; closes the claim.' },
  },
});

registerEnumType(ClaimDecisionFor, {
  name: 'ClaimDecisionFor',
  description: 'For whom staff decide a claim.',
  valuesConfig: {
    SELLER: { description: 'The delivery stands; nothing is paid.' },
    BUYER: { description: 'The buyer is refunded (the order total unless an amount is given).' },
  },
});

registerEnumType(DefenceExclusion, {
  name: 'ClaimDefenceExclusion',
  description: "Why a claim's evidence does not answer it on its own.",
  valuesConfig: {
    NOT_DELIVERED: { description: 'The carrier has not reported a delivery.' },
    NO_SIGNATURE_BOUGHT: { description: 'The label had no signature option.' },
    SIGNATURE_MISSING: {
      description: 'A signature was bought but the carrier delivered without one.',
    },
    PROOF_FLAGGED: {
      description: 'A check of the delivery proof failed (adult ID, signer name).',
    },
    SHIP_TO_CHANGED: {
      description:
        'The ship-to address was changed after checkout, possibly after the label: the signer may be at another door.',
    },
    PROOF_DISPUTED: { description: "The seller's latest verdict on the proof is DISPUTED." },
  },
});

@ObjectType('ClaimTrackingEvent', { description: 'A tracking event as the claim saw it.' })
export class ClaimTrackingEventType {
  @Field(() => ShipmentStatus, { description: 'Status the carrier reported.' })
  status!: ShipmentStatus;
  @Field(() => String, { nullable: true, description: 'Why, e.g. SIGNATURE_UNAVAILABLE.' })
  reason!: string | null;
  @Field({ description: 'What happened, in words.' })
  description!: string;
  @Field(() => String, { nullable: true, description: 'Where.' })
  location!: string | null;
  @Field({ description: 'Carrier time.' })
  occurredAt!: Date;
}

@ObjectType('ClaimProofEvidence', { description: 'The delivery proof as the claim saw it.' })
export class ClaimProofEvidenceType {
  @Field(() => ID, { description: 'Global id of the DeliveryProof.' })
  proofId!: string;
  @Field(() => String, { nullable: true, description: 'Name the signer gave.' })
  signerName!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the recipient signed.' })
  signedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Where.' })
  location!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'For adult signature: ID showed 21+.' })
  adultIdVerified!: boolean | null;
  @Field(() => [DeliveryProofCheckType], { description: 'The automatic checks.' })
  checks!: DeliveryProofCheckType[];
  @Field({ description: 'A check failed.' })
  flagged!: boolean;
}

@ObjectType('ClaimSignatureDecision', {
  description: "The seller's recorded decision on the recommended signature at purchase.",
})
export class ClaimSignatureDecisionType {
  @Field(() => SignatureOption, { description: 'What the risk assessment recommended.' })
  recommended!: SignatureOption;
  @Field(() => SignatureOption, { description: 'What the seller bought.' })
  chosen!: SignatureOption;
  @Field(() => SignatureDecisionOutcome, { description: 'Accepted, declined or changed.' })
  outcome!: SignatureDecisionOutcome;
  @Field({ description: 'When.' })
  decidedAt!: Date;
}

@ObjectType('ClaimEvidence', {
  description:
    'What the claim is decided on, assembled when it was filed: later events do not rewrite it.',
})
export class ClaimEvidenceType {
  @Field({ description: 'When it was assembled (the filing).' })
  assembledAt!: Date;
  @Field(() => Carrier, { nullable: true, description: 'Carrier of the shipment.' })
  carrier!: Carrier | null;
  @Field(() => String, { nullable: true, description: 'Tracking number.' })
  trackingNumber!: string | null;
  @Field(() => ShipmentStatus, { nullable: true, description: 'Shipment status at filing.' })
  shipmentStatus!: ShipmentStatus | null;
  @Field(() => Date, { nullable: true, description: 'Carrier time of that status.' })
  statusAt!: Date | null;
  @Field(() => SignatureOption, {
    nullable: true,
    description: 'Signature option of the label.',
  })
  signatureOption!: SignatureOption | null;
  @Field(() => String, {
    nullable: true,
    description: 'Carrier code sent for it (USPS 921/922, UPS DCIS 2/3).',
  })
  signatureCarrierCode!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the label was bought.' })
  labelPurchasedAt!: Date | null;
  @Field(() => ClaimSignatureDecisionType, {
    nullable: true,
    description: "The seller's decision on the recommendation.",
  })
  signatureDecision!: ClaimSignatureDecisionType | null;
  @Field(() => ClaimProofEvidenceType, { nullable: true, description: 'The delivery proof.' })
  proof!: ClaimProofEvidenceType | null;
  @Field(() => [ClaimTrackingEventType], { description: 'Tracking history, oldest first.' })
  tracking!: ClaimTrackingEventType[];
  @Field(() => [DefenceExclusion], {
    description: 'Why the evidence does not answer the claim on its own; empty when it does.',
  })
  defenceExclusions!: DefenceExclusion[];
}

@ObjectType('ClaimTransition', { description: 'One move of a claim: who, when, from and to.' })
export class ClaimTransitionType {
  @Field(() => ClaimStatus, { nullable: true, description: 'Null for the filing.' })
  fromStatus!: ClaimStatus | null;
  @Field(() => ClaimStatus, { description: 'Where it moved.' })
  toStatus!: ClaimStatus;
  @Field(() => ClaimActor, { description: 'Who moved it.' })
  actor!: ClaimActor;
  @Field(() => String, { nullable: true, description: 'Why, in their words.' })
  note!: string | null;
  @Field({ description: 'When.' })
  at!: Date;
}

@ObjectType('Claim', {
  implements: Node,
  description:
    "A buyer's not-received claim on an order. Seen by its buyer, the order's seller and platform staff.",
})
export class ClaimType extends Node {
  @Field(() => ClaimReason, { description: 'What the buyer says happened.' })
  reason!: ClaimReason;
  @Field(() => String, { nullable: true, description: "The buyer's own words." })
  description!: string | null;
  @Field(() => ClaimStatus, { description: 'Where it stands.' })
  status!: ClaimStatus;
  @Field(() => ClaimOutcome, { nullable: true, description: 'How it ended; null while open.' })
  outcome!: ClaimOutcome | null;
  @Field({
    description: 'Countersign answered for the seller from passed proof (automatic defence).',
  })
  answeredAutomatically!: boolean;
  @Field({ description: 'When the buyer filed.' })
  filedAt!: Date;
  @Field({ description: 'The seller answers before this; afterwards staff decide.' })
  sellerDeadlineAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it closed.' })
  closedAt!: Date | null;
  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}
exposeAs(ClaimEntity, 'Claim');

export const ClaimConnection = Connection(ClaimType, 'Claim');

@InputType('FileClaimInput', { description: 'A not-received claim on your order.' })
export class FileClaimInput {
  @Field(() => ID, { description: 'Global id of your order.' })
  orderId!: string;
  @Field(() => ClaimReason, { description: 'What happened.' })
  reason!: ClaimReason;
  @Field(() => String, { nullable: true, description: 'In your words; at most 1000 characters.' })
  description?: string | null;
}

@InputType('RespondToClaimInput', { description: "The seller's answer to a claim." })
export class RespondToClaimInput {
  @Field(() => ID, { description: 'Global id of the claim.' })
  claimId!: string;
  @Field(() => ClaimResponse, { description: 'Submit the proof, refund or reship.' })
  action!: ClaimResponse;
  @Field(() => String, { nullable: true, description: 'For the record; at most 1000 characters.' })
  note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'For REFUND: a decimal amount up to the order total; default the order total.',
  })
  refundAmount?: string | null;
}

@InputType('ResolveClaimInput', { description: "Staff's decision on a claim." })
export class ResolveClaimInput {
  @Field(() => ID, { description: 'Global id of the claim.' })
  claimId!: string;
  @Field(() => ClaimDecisionFor, { description: 'For the seller or for the buyer.' })
  decision!: ClaimDecisionFor;
  @Field({ description: 'Why; required, at most 1000 characters.' })
  note!: string;
  @Field(() => String, {
    nullable: true,
    description: 'For BUYER: a decimal refund up to the order total; default the order total.',
  })
  refundAmount?: string | null;
}

function claimPayload(name: string, mutation: string) {
  @ObjectType(name, { description: `Result of ${mutation}.` })
  class ClaimPayload {
    @Field(() => ClaimType, {
      nullable: true,
      description: 'The claim as it now stands; null when userErrors is not empty.',
    })
    claim!: ClaimEntity | null;
    @Field(() => [UserErrorInterface], { description: 'Why nothing changed; empty on success.' })
    userErrors!: UserErrorInterface[];
  }
  return ClaimPayload;
}

export const FileClaimPayload = claimPayload('FileClaimPayload', 'fileClaim');
export const RespondToClaimPayload = claimPayload('RespondToClaimPayload', 'respondToClaim');
export const ResolveClaimPayload = claimPayload('ResolveClaimPayload', 'resolveClaim');
