/** The parts of a postal address that decide where a parcel ends up (not who receives it). */
export interface AddressParts {
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

const normalize = (part: string | null | undefined): string =>
  (part ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * `LINE1|LINE2|CITY|REGION|POSTALCODE|COUNTRY`, upper-cased with runs of whitespace collapsed.
 * The recipient name is left out on purpose: several buyers shipping to one place, or an
 * earlier claim against a place, must match whoever the parcel is addressed to.
 */
export function addressFingerprint(a: AddressParts): string {
  return [a.line1, a.line2, a.city, a.region, a.postalCode, a.country].map(normalize).join('|');
}
