/**
 * Something in a ship-to address that points at a parcel forwarder (reshipper). A forwarder's
 * warehouse staff receive and sign for every parcel for all its customers, so a signature there
 * proves the parcel reached the warehouse, not the buyer; the risk engine uses a match to score,
 * never to block. The warehouses are fictional; the seed data imports this list so that its
 * forwarder addresses and the engine agree.
 */
export type ReshipperMarker =
  | {
      kind: 'WAREHOUSE';
      /** Upper-case, single-spaced text that the address's first line contains. */
      line1: string;
      postalCode: string;
      description: string;
    }
  | {
      kind: 'CUSTOMER_ID';
      /** Regular-expression source, matched against the upper-cased second line. */
      pattern: string;
      description: string;
    };

export const RESHIPPER_MARKERS: readonly ReshipperMarker[] = [
  {
    kind: 'WAREHOUSE',
    line1: '1250 HARBOR LOGISTICS WAY',
    postalCode: '19801',
    description: 'Harborline Forwarding warehouse, Wilmington DE (sales-tax-free state, port)',
  },
  {
    kind: 'WAREHOUSE',
    line1: '7800 CARGO TERMINAL RD',
    postalCode: '33172',
    description: 'Cargo-terminal parcel forwarder next to Miami International Airport, Doral FL',
  },
  {
    kind: 'CUSTOMER_ID',
    // Forwarders give each customer a suite plus an account tag such as `#CS-88231`.
    pattern: '#[A-Z]{2}-\\d{4,}\\b',
    description: 'Forwarder customer account number in the second address line',
  },
];

/** The address lines a marker looks at. */
export interface ReshipperAddress {
  line1: string;
  line2?: string | null;
  postalCode: string;
}

const normalize = (part: string | null | undefined): string =>
  (part ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

/** The first marker the address matches, or null. */
export function matchReshipper<A extends ReshipperAddress>(
  address: A,
  markers: readonly ReshipperMarker[] = RESHIPPER_MARKERS,
): ReshipperMarker | null {
  const line1 = normalize(address.line1);
  const line2 = normalize(address.line2);
  const postalCode = normalize(address.postalCode);
  for (const marker of markers) {
    if (marker.kind === 'WAREHOUSE') {
      if (line1.includes(marker.line1) && postalCode.startsWith(marker.postalCode)) return marker;
    } else if (new RegExp(marker.pattern).test(line2)) {
      return marker;
    }
  }
  return null;
}
