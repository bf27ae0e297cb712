import { Carrier } from '../entities/enums';

/**
 * Which carrier services may carry which goods: one versioned rule table, each rule with the
 * public source it rests on. Pure: quotes mark each rate with it, purchases refuse an ineligible
 * rate with CONTENTS_NOT_ELIGIBLE, and SIGNATURE_NOT_SUPPORTED alternatives leave such rates out.
 * Changing a rule, a reason or a category mapping is a new CONTENTS_RULES_VERSION.
 *
 * Sellers still answer for their carrier contracts: UPS carries alcohol and tobacco only for
 * licensed shippers who signed its alcohol or tobacco agreement. The table does not know about
 * contracts; it says what no contract can make possible.
 */
export const CONTENTS_RULES_VERSION = '2026-12.1';

/** What the rules look at in an item, derived from its free-text category. */
export enum ItemClass {
  /** Books, sound and video recordings, printed music, educational media (Media Mail). */
  MEDIA = 'MEDIA',
  /** Computers, phones, drives and the like: never Media Mail (USPS CSR PS-334). */
  ELECTRONICS = 'ELECTRONICS',
  /** Wine, beer and spirits. */
  ALCOHOL = 'ALCOHOL',
  /** Electronic nicotine delivery systems (vapes, e-cigarettes) and their liquids and parts. */
  VAPE = 'VAPE',
  /** Cigarettes, roll-your-own and smokeless tobacco (the PACT Act's list). */
  CIGARETTES = 'CIGARETTES',
  /** Cigars and pipe tobacco: outside the PACT Act, but 21+. */
  TOBACCO = 'TOBACCO',
  GENERAL = 'GENERAL',
}

/** Line-item categories (lower case) and their class; any other category is GENERAL. */
export const CATEGORY_CLASSES: Readonly<Record<string, ItemClass>> = Object.freeze({
  books: ItemClass.MEDIA,
  book: ItemClass.MEDIA,
  media: ItemClass.MEDIA,
  music: ItemClass.MEDIA,
  'sound-recordings': ItemClass.MEDIA,
  'video-recordings': ItemClass.MEDIA,
  'printed-music': ItemClass.MEDIA,
  'educational-media': ItemClass.MEDIA,
  electronics: ItemClass.ELECTRONICS,
  computers: ItemClass.ELECTRONICS,
  wine: ItemClass.ALCOHOL,
  beer: ItemClass.ALCOHOL,
  spirits: ItemClass.ALCOHOL,
  alcohol: ItemClass.ALCOHOL,
  vape: ItemClass.VAPE,
  'e-cigarettes': ItemClass.VAPE,
  cigarettes: ItemClass.CIGARETTES,
  'smokeless-tobacco': ItemClass.CIGARETTES,
  tobacco: ItemClass.TOBACCO,
  cigars: ItemClass.TOBACCO,
});

/** Classes whose goods only an adult (21+) may receive, whatever the item's own flag says. */
export const AGE_RESTRICTED_CLASSES: ReadonlySet<ItemClass> = new Set([
  ItemClass.ALCOHOL,
  ItemClass.VAPE,
  ItemClass.CIGARETTES,
  ItemClass.TOBACCO,
]);

export const classOf = (category: string): ItemClass =>
  CATEGORY_CLASSES[category.trim().toLowerCase()] ?? ItemClass.GENERAL;

// Public sources, one constant each so a correction reaches every rule that cites it.
/** USPS Domestic Mail Manual 173.4, Media Mail eligibility: what qualifies, no advertising. */
const DMM_MEDIA_MAIL = 'USPS DMM 173.4 Media Mail: https://pe.usps.com/text/dmm300/173.htm';
/** USPS FAQ: video games, computer drives and digital drives do not qualify. */
const USPS_MEDIA_MAIL_FAQ =
  'USPS FAQ What is Media Mail: https://faq.usps.com/articles/Knowledge/What-is-Media-Mail-Book-Rate';
/** USPS Publication 52: intoxicating liquors are nonmailable (18 U.S.C. 1716f). */
const USPS_PUB52 =
  'USPS Publication 52, Hazardous, Restricted, and Perishable Mail: https://pe.usps.com/text/pub52/welcome.htm';
/** USPS final rule of 21 Oct 2021 putting ENDS (vapes) under the PACT Act mailing ban. */
const USPS_ENDS_RULE =
  'USPS, Treatment of E-Cigarettes in the Mail, 86 FR 58398 (2021): ' +
  'https://www.govinfo.gov/content/pkg/FR-2021-10-21/html/2021-22787.htm';
/** USPS: cigarettes and smokeless tobacco nonmailable (PACT Act); cigars are mailable. */
const USPS_PACT =
  'USPS Link, Smoking products (2023): https://link.usps.com/2023/01/24/smoking-products/';
/** UPS: no vaping product for US domestic shipment; tobacco only under a UPS tobacco agreement. */
const UPS_TOBACCO =
  'UPS Shipping Tobacco: https://www.ups.com/us/en/support/shipping-support/shipping-special-care-regulated-items/prohibited-items/tobacco';

export interface ServiceFacts {
  carrier: Carrier | string;
  /** Catalog code, e.g. USPS_MEDIA_MAIL. */
  code: string;
  name: string;
  /** Whether the service offers Adult Signature Required (USPS 922, UPS DCIS:3). */
  adultSignature: boolean;
}

export interface ContentsItem {
  category: string;
  ageRestricted: boolean;
}

export interface ContentsRule {
  id: string;
  carrier: Carrier;
  /** Only these services; null for every service of the carrier. */
  services: readonly string[] | null;
  /** Item classes the rule refuses on those services. */
  refuses: readonly ItemClass[];
  reason: string;
  sources: readonly string[];
}

const ALL_BUT_MEDIA = Object.values(ItemClass).filter((c) => c !== ItemClass.MEDIA);

/**
 * The table: goods a service may not carry, whatever signature option is bought. The first rule
 * that refuses gives the reason, so carrier-wide bans come before service-specific ones.
 */
export const CONTENTS_RULES: readonly ContentsRule[] = [
  {
    id: 'USPS_NO_ALCOHOL',
    carrier: Carrier.USPS,
    services: null,
    refuses: [ItemClass.ALCOHOL],
    reason: 'USPS does not carry alcoholic beverages; ship wine, beer and spirits by UPS.',
    sources: [USPS_PUB52],
  },
  {
    id: 'USPS_NO_ENDS_OR_CIGARETTES',
    carrier: Carrier.USPS,
    services: null,
    refuses: [ItemClass.VAPE, ItemClass.CIGARETTES],
    reason:
      'USPS may not deliver vapes (ENDS), cigarettes or smokeless tobacco to consumers ' +
      '(PACT Act, and the 2021 mailing ban on ENDS).',
    sources: [USPS_ENDS_RULE, USPS_PACT],
  },
  {
    id: 'MEDIA_MAIL_MEDIA_ONLY',
    carrier: Carrier.USPS,
    services: ['USPS_MEDIA_MAIL'],
    refuses: ALL_BUT_MEDIA,
    reason:
      'Media Mail carries only qualifying media (books, sound and video recordings, printed ' +
      'music, educational media), never computers, electronics or advertising.',
    sources: [DMM_MEDIA_MAIL, USPS_MEDIA_MAIL_FAQ],
  },
  {
    id: 'UPS_NO_VAPES',
    carrier: Carrier.UPS,
    services: null,
    refuses: [ItemClass.VAPE],
    reason: 'UPS no longer accepts any vaping product for US domestic shipment.',
    sources: [UPS_TOBACCO],
  },
];

/** Age-restricted goods need a service that offers an adult signature: the carrier checks 21+. */
export const AGE_RESTRICTED_RULE = {
  id: 'AGE_RESTRICTED_NEEDS_ADULT_SIGNATURE',
  reason: 'offers no Adult Signature Required, which age-restricted (21+) goods must ship with.',
  sources: [
    'Letter Pilot USPS signature guide (Adult Signature Required, 922): ' +
      'https://theletterpilot.com/guides/usps-signature-required',
    'UPS How To Ship Alcohol (contract, adult signature): ' +
      'https://www.ups.com/tw/en/support/shipping-support/shipping-special-care-regulated-items/prohibited-items/alcohol.page',
    UPS_TOBACCO,
  ],
} as const;

export interface Eligibility {
  eligible: boolean;
  /** Why not, for the seller; null when eligible. */
  reason: string | null;
  /** The rule that refused, e.g. USPS_NO_ALCOHOL; null when eligible. */
  ruleId: string | null;
}

const ELIGIBLE: Eligibility = Object.freeze({ eligible: true, reason: null, ruleId: null });

/** Whether `service` may carry every one of `items`, and if not the first rule that refuses. */
export function eligibility(service: ServiceFacts, items: readonly ContentsItem[]): Eligibility {
  const classes = new Set(items.map((i) => classOf(i.category)));
  for (const rule of CONTENTS_RULES) {
    if (rule.carrier !== service.carrier) continue;
    if (rule.services && !rule.services.includes(service.code)) continue;
    if (rule.refuses.some((c) => classes.has(c))) {
      return { eligible: false, reason: rule.reason, ruleId: rule.id };
    }
  }
  const ageRestricted = items.some(
    (i) => i.ageRestricted || AGE_RESTRICTED_CLASSES.has(classOf(i.category)),
  );
  if (ageRestricted && !service.adultSignature) {
    return {
      eligible: false,
      reason: `${service.name} ${AGE_RESTRICTED_RULE.reason}`,
      ruleId: AGE_RESTRICTED_RULE.id,
    };
  }
  return ELIGIBLE;
}
