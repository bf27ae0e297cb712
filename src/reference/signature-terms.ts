/**
 * The signature-service terms a seller agrees to once, before their first label with a signature
 * option. A new version makes every seller agree again, so change the version whenever the
 * meaning changes (not for typo fixes that sellers need not re-read).
 *
 * The text names no amounts: fees live in the carrier catalog and are shown beside the terms as
 * the fee schedule, so a fee correction does not force a new terms version.
 */
export const SIGNATURE_TERMS_VERSION = '2026-11';

/** When this version took effect. */
export const SIGNATURE_TERMS_PUBLISHED_AT = new Date('2026-11-01T00:00:00.000Z');

export const SIGNATURE_TERMS_TEXT = `Signature Confirmation: terms for sellers (version 2026-11)

1. What you are buying. When you add "Signature Required" or "Adult Signature Required (21+)" to a shipping label, the carrier (UPS or USPS) is asked to hand the parcel over only when someone signs for it. With Adult Signature Required, the person who signs must be at least 21 and show photo ID.

2. What it costs. Each signature option has a fee set by the carrier for that service. The fee is shown next to the postage before you buy, listed separately, and never folded into the postage price.

3. When you pay. The fee is charged together with the label, at the moment you buy it, and appears as its own line on your account.

4. Refunds. If you void the label before the carrier first scans the parcel, the postage and the signature fee are both refunded. After the first scan the fee is not refunded, whether or not a signature is eventually collected.

5. Deliveries can fail for want of a signer. If nobody is available to sign, or nobody old enough with ID, the carrier will not leave the parcel. It usually leaves a notice and tries again or holds the parcel for pickup, and it may return the parcel to you if nobody collects it. That delay or return is not a fault of the service, and the fee still applies.

6. What the signature proves. After delivery you can see who signed, when and where, and check it against the buyer. A signature shows that someone accepted the parcel at the address; it cannot guarantee that this person was the buyer.

7. Recommendations are advice. We recommend a signature on orders that look more likely to be reported as not received. You may skip it; we record your choice so it can be reviewed later, for example if the buyer reports the parcel missing.

8. Your buyer is told. When you buy a label with a signature option, we let the buyer know that someone will need to sign for the parcel, and the requirement appears in their tracking.
`;
