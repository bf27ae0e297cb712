import { registerEnumType } from 'type-graphql';
import {
  Carrier,
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
  WebhookDeliveryStatus,
  WebhookEndpointStatus,
  OrderStatus,
  ProofVerdict,
  RiskLevel,
  Role,
  ShipmentStatus,
  ShippingSpeed,
  SignatureDecisionOutcome,
  SignatureOption,
  UpsertOutcome,
} from '../entities/enums';

/** Exposes the domain enums in the schema, each value described. */
registerEnumType(Role, {
  name: 'Role',
  description: 'What a token is allowed to act as.',
  valuesConfig: {
    SELLER: { description: 'A seller: its own orders, labels and shipments.' },
    BUYER: { description: 'A buyer: its own orders, tracking and notifications.' },
    ADMIN: { description: 'Platform staff: read access to everything.' },
    PLATFORM: {
      description:
        'A marketplace integration: creates sellers, buyers and orders for any seller; cannot buy labels or read signature images.',
    },
  },
});

registerEnumType(UpsertOutcome, {
  name: 'UpsertOutcome',
  description: 'What an idempotent upsert did.',
  valuesConfig: {
    CREATED: { description: 'Nothing had this external id: created.' },
    UPDATED: { description: 'Some field differed: updated.' },
    UNCHANGED: { description: 'The same input again: nothing written.' },
  },
});

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order is in fulfilment.',
  valuesConfig: {
    AWAITING_SHIPMENT: { description: 'Paid; no label yet.' },
    LABEL_PURCHASED: { description: 'A label is bought; the carrier has not scanned it.' },
    IN_TRANSIT: { description: 'The carrier has the parcel.' },
    DELIVERED: { description: 'The carrier reports delivery.' },
    CANCELLED: { description: 'Cancelled; nothing will ship.' },
  },
});

registerEnumType(ShippingSpeed, {
  name: 'ShippingSpeed',
  description: 'The shipping speed the buyer paid for at checkout.',
  valuesConfig: {
    STANDARD: { description: 'Ground / economy.' },
    EXPEDITED: { description: 'Two- or three-day.' },
    OVERNIGHT: { description: 'Next day.' },
  },
});

registerEnumType(Carrier, {
  name: 'Carrier',
  description: 'Carriers the platform buys labels from.',
  valuesConfig: {
    UPS: { description: 'United Parcel Service.' },
    USPS: { description: 'United States Postal Service.' },
  },
});

registerEnumType(SignatureOption, {
  name: 'SignatureOption',
  description: 'Signature confirmation added to a label.',
  valuesConfig: {
    NONE: { description: 'No signature: the carrier may leave the parcel.' },
    SIGNATURE_REQUIRED: {
      description:
        'Someone at the address must sign. Sent as USPS "921" (Signature Confirmation), USPS "981" on Priority Mail Express (signature requested), or UPS "DCIS:2".',
    },
    ADULT_SIGNATURE_REQUIRED: {
      description:
        'A recipient at least 21 years old must sign and show ID. Sent as USPS "922" (Adult Signature Required) or UPS "DCIS:3".',
    },
  },
});

registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description:
    'How likely an order is to be reported not received or lost, or whether the law asks for a signature.',
  valuesConfig: {
    LOW: { description: 'No signal worth a signature; none is recommended.' },
    ELEVATED: {
      description:
        'Some signals, below the recommend score; a signature may be worth it but none is recommended.',
    },
    HIGH: {
      description:
        "Needs a signature: a signature option is recommended. The order's value is at or above the seller's high-value threshold, the buyer or the address has not-received claims, an item is age-restricted (adult signature, 21+), or the weighted score reached the seller's recommend score. The default dashboard view `orders(filter: { riskLevel: HIGH })` lists these.",
    },
  },
});

registerEnumType(ShipmentStatus, {
  name: 'ShipmentStatus',
  description: 'Tracking status of a shipment.',
  valuesConfig: {
    LABEL_CREATED: { description: 'Label bought; no carrier scan yet.' },
    IN_TRANSIT: { description: 'Accepted and moving.' },
    OUT_FOR_DELIVERY: { description: 'On the delivery vehicle.' },
    DELIVERY_ATTEMPTED: { description: 'An attempt failed; `statusReason` says why.' },
    AVAILABLE_FOR_PICKUP: { description: 'Held at a carrier location for the recipient.' },
    DELIVERED: { description: 'Delivered.' },
    RETURN_TO_SENDER: { description: 'Going back to the seller.' },
    EXCEPTION: { description: 'Damaged, lost, or held by the carrier.' },
    CANCELLED: { description: 'The label was voided.' },
  },
});

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'Why a buyer was notified.',
  valuesConfig: {
    SIGNATURE_REQUIRED: { description: 'The parcel will need a signature on delivery.' },
    DELIVERY_ATTEMPT_SIGNATURE_UNAVAILABLE: {
      description: 'The carrier could not deliver because nobody could sign.',
    },
    DELIVERED_SIGNED: { description: 'Delivered, and a signature was captured.' },
    LABEL_VOIDED: {
      description:
        "The seller voided the label: the earlier 'a signature will be needed' notice no longer applies.",
    },
    AVAILABLE_FOR_PICKUP: {
      description: 'The carrier holds the parcel at a post office or access point for pickup.',
    },
    RETURNED_TO_SENDER: { description: 'The carrier is returning the parcel to the seller.' },
    CLAIM_UPDATED: {
      description:
        "The buyer's not-received claim moved: the seller answered (or Countersign for it), or staff decided.",
    },
  },
});

registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  description: 'How a notification reaches the buyer.',
  valuesConfig: {
    EMAIL: { description: 'E-mail.' },
    SMS: { description: 'Text message.' },
    PUSH: { description: 'Mobile push notification.' },
  },
});

registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Delivery state of a notification.',
  valuesConfig: {
    PENDING: { description: 'Written, not yet delivered.' },
    SENT: { description: 'Delivered to the channel.' },
    FAILED: { description: 'Gave up after repeated failures.' },
    CANCELLED: {
      description: 'Withdrawn before it was delivered (the label was voided); never sent.',
    },
  },
});

registerEnumType(ProofVerdict, {
  name: 'ProofVerdict',
  description: "The seller's verdict on a delivery proof.",
  valuesConfig: {
    CONFIRMED: { description: 'The signature looks right.' },
    DISPUTED: { description: 'The signature looks wrong or missing.' },
  },
});

registerEnumType(SignatureDecisionOutcome, {
  name: 'SignatureDecisionOutcome',
  description: 'What the seller did with the recommended signature when buying the label.',
  valuesConfig: {
    ACCEPTED: { description: 'Bought the recommended option.' },
    DECLINED: { description: 'A signature was recommended and the seller bought none.' },
    CHANGED: { description: 'Bought a signature option other than the recommended one.' },
    NOT_RECOMMENDED: { description: 'Nothing was recommended.' },
  },
});

registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'Whether an endpoint receives webhooks.',
  valuesConfig: {
    ACTIVE: { description: 'Receives the events it subscribes to.' },
    DISABLED: { description: 'Turned off after persistent failures; see `disabledReason`.' },
  },
});

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: "Where one event's delivery to one endpoint stands.",
  valuesConfig: {
    PENDING: { description: 'Not yet accepted by the endpoint; retried with backoff.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up after the last attempt (or the endpoint went away).' },
  },
});
