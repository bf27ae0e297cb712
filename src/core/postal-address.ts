import { parsePhoneNumber } from 'awesome-phonenumber';
import isEmail from 'validator/lib/isEmail';
import isISO31661Alpha2 from 'validator/lib/isISO31661Alpha2';
import isPostalCode, { locales as postalCodeCountries } from 'validator/lib/isPostalCode';
import { addressFingerprint } from './address-fingerprint';
import { UserErrorCode, userError } from './user-error';
import type { UserError } from './user-error';

/** A postal address as a client sends it (GraphQL PostalAddressInput). */
export interface PostalAddressInput {
  name: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

/** The address as stored (the `addresses` row without its id). */
export interface PostalAddress {
  name: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  fingerprint: string;
}

/** USPS state and territory codes, military "states" included (USPS Publication 28, App. B). */
const US_REGIONS = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ ' +
    'NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI UM AA AE AP'
  ).split(' '),
);

/** Collects the problems of one input, each at its field path. */
export class Problems {
  readonly list: UserError[] = [];

  add(field: string[], message: string, code = UserErrorCode.INVALID_INPUT): void {
    this.list.push(userError(code, message, field));
  }

  /**
   * A required text of 1..max printable characters, trimmed (runs of spaces kept: names are
   * printed as given). Returns the trimmed text, or '' after recording the problem.
   */
  text(value: string, field: string[], max: number): string {
    const text = value.trim();
    const name = field[field.length - 1];
    if (text.length === 0) this.add(field, `${name} is required.`);
    else if (text.length > max) this.add(field, `${name} is longer than ${max} characters.`);
    else if (/\p{Cc}/u.test(text)) this.add(field, `${name} contains control characters.`);
    else return text;
    return '';
  }

  /** An optional text: null when absent or blank. */
  optionalText(value: string | null | undefined, field: string[], max: number): string | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    return this.text(value, field, max) || null;
  }

  /** An e-mail address (validator's isEmail), lower-cased domain kept as given otherwise. */
  email(value: string, field: string[]): string {
    const email = this.text(value, field, 200);
    if (email && !isEmail(email)) this.add(field, 'email is not an e-mail address.');
    return email;
  }

  /**
   * A phone number that a carrier or SMS gateway can dial, returned in E.164 (libphonenumber's
   * rules, via awesome-phonenumber). Without a leading + it is read as a number of `region`.
   */
  phone(value: string, field: string[], region = 'US'): string {
    const raw = this.text(value, field, 40);
    if (!raw) return '';
    const parsed = parsePhoneNumber(raw, { regionCode: region });
    if (!parsed.valid) {
      this.add(field, `phone is not a valid phone number (use E.164, e.g. +15035550134).`);
      return '';
    }
    return parsed.number.e164;
  }

  /** A full postal address at `field` (e.g. ['input', 'shipFromLocations', '0', 'address']). */
  address(input: PostalAddressInput, field: string[]): PostalAddress {
    const at = (name: string) => [...field, name];
    const country = input.country.trim().toUpperCase();
    if (!isISO31661Alpha2(country)) {
      this.add(at('country'), 'country must be an ISO 3166-1 alpha-2 code, e.g. US.');
    }
    const region = this.text(input.region, at('region'), 40).toUpperCase();
    if (country === 'US' && region && !US_REGIONS.has(region)) {
      this.add(at('region'), 'region must be a two-letter US state or territory code, e.g. OR.');
    }
    const postalCode = this.text(input.postalCode, at('postalCode'), 10).toUpperCase();
    if (postalCode && !postalCodeFits(postalCode, country)) {
      this.add(
        at('postalCode'),
        country === 'US'
          ? 'postalCode must be a US ZIP code: 5 digits, or ZIP+4 (97209-1234).'
          : `postalCode is not a valid postal code for ${country}.`,
      );
    }
    const address = {
      name: this.text(input.name, at('name'), 120),
      company: this.optionalText(input.company, at('company'), 120),
      line1: this.text(input.line1, at('line1'), 200),
      line2: this.optionalText(input.line2, at('line2'), 200),
      city: this.text(input.city, at('city'), 100),
      region,
      postalCode,
      country,
    };
    return { ...address, fingerprint: addressFingerprint(address) };
  }
}

/** validator's per-country pattern where it has one; elsewhere 2–10 letters, digits, spaces, dashes. */
function postalCodeFits(postalCode: string, country: string): boolean {
  if ((postalCodeCountries as readonly string[]).includes(country)) {
    return isPostalCode(postalCode, country as Parameters<typeof isPostalCode>[1]);
  }
  return /^[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]$/.test(postalCode);
}
