/**
 * Seed sellers, buyers and the places they ship to. Everyone is fictional: e-mail addresses use
 * the reserved example.com/.net domains and phone numbers the 555-01xx range.
 */

/** A US street address without the recipient. */
export interface Place {
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postalCode: string;
}

export interface ShipFromSeed {
  key: string;
  name: string;
  place: Place;
  phone: string;
  isDefault: boolean;
}

export interface SellerSeed {
  /** The marketplace's id for the seller (upsertSeller's key). */
  externalId: string;
  name: string;
  accountAgeDays: number;
  /** Where it ships from; the default's ZIP decides the zones of its quotes. */
  locations: ShipFromSeed[];
}

export const SELLER_SEEDS: readonly SellerSeed[] = [
  {
    externalId: 'seller-harbor-pine',
    name: 'Harbor & Pine Electronics',
    accountAgeDays: 1460,
    locations: [
      {
        key: 'pdx',
        name: 'Portland store',
        place: { line1: '1420 NW Lovejoy St', city: 'Portland', region: 'OR', postalCode: '97209' },
        phone: '+1 503 555 0100',
        isDefault: true,
      },
      {
        key: 'phl',
        name: 'Philadelphia overflow warehouse',
        place: {
          line1: '2600 E Tioga St',
          city: 'Philadelphia',
          region: 'PA',
          postalCode: '19134',
        },
        phone: '+1 215 555 0111',
        isDefault: false,
      },
    ],
  },
  {
    externalId: 'seller-cellar-door',
    name: 'Cellar Door Wine Co.',
    accountAgeDays: 980,
    locations: [
      {
        key: 'napa',
        name: 'Napa cellar',
        place: { line1: '1250 Main St', city: 'Napa', region: 'CA', postalCode: '94558' },
        phone: '+1 707 555 0122',
        isDefault: true,
      },
    ],
  },
  {
    externalId: 'seller-corner-curio',
    name: 'Corner Curio Supply',
    accountAgeDays: 2190,
    locations: [
      {
        key: 'chi',
        name: 'Chicago shop',
        place: { line1: '1100 S Canal St', city: 'Chicago', region: 'IL', postalCode: '60607' },
        phone: '+1 312 555 0133',
        isDefault: true,
      },
    ],
  },
];

export interface BuyerSeed {
  key: string;
  name: string;
  phone: string | null;
  /** Days between account opening and the seed's reference date. */
  accountAgeDays: number;
  /** Earlier not-received claims: seeds/claims.ts files and closes that many (claim history). */
  priorClaims: number;
  home: Place;
  /** Used for the generated everyday orders: an established account with a clean history. */
  everyday: boolean;
}

type BuyerRow = [
  key: string,
  name: string,
  phone: string | null,
  accountAgeDays: number,
  priorClaims: number,
  home: Place,
];

const place = (
  line1: string,
  city: string,
  region: string,
  postalCode: string,
  line2?: string,
): Place =>
  line2 ? { line1, line2, city, region, postalCode } : { line1, city, region, postalCode };

// Accounts older than a year with no claims place the everyday orders.
// prettier-ignore
const established: BuyerRow[] = [
  ['maya', 'Maya Okafor', '+1 206 555 0134', 1460, 0, place('2210 N 45th St', 'Seattle', 'WA', '98103', 'Apt 3')],
  ['jonah', 'Jonah Whitfield', '+1 512 555 0178', 900, 0, place('1807 S 1st St', 'Austin', 'TX', '78704')],
  ['priya', 'Priya Raman', '+1 718 555 0112', 2100, 0, place('341 7th Ave', 'Brooklyn', 'NY', '11215', 'Apt 4F')],
  ['luis', 'Luis Carrillo', '+1 602 555 0190', 620, 0, place('15 E Roosevelt St', 'Phoenix', 'AZ', '85004')],
  ['hannah', 'Hannah Becker', '+1 612 555 0145', 1200, 0, place('3012 Lyndale Ave S', 'Minneapolis', 'MN', '55408')],
  ['samuel', 'Samuel Osei', '+1 404 555 0163', 800, 0, place('1425 McLendon Ave NE', 'Atlanta', 'GA', '30307')],
  ['grace', 'Grace Lindqvist', '+1 303 555 0121', 410, 0, place('2830 Lawrence St', 'Denver', 'CO', '80205', 'Unit 12')],
  ['kenji', 'Kenji Watanabe', '+1 408 555 0156', 1750, 0, place('880 Park Ave', 'San Jose', 'CA', '95126')],
  ['olivia', 'Olivia Brennan', '+1 617 555 0187', 990, 0, place('22 Burroughs St', 'Boston', 'MA', '02130')],
  ['marcus', 'Marcus Delgado', null, 540, 0, place('801 Brickell Bay Dr', 'Miami', 'FL', '33131', 'Apt 1407')],
  ['fatima', 'Fatima Haddad', '+1 313 555 0119', 1320, 0, place('6120 Calhoun St', 'Dearborn', 'MI', '48126')],
  ['ethan', 'Ethan Caldwell', '+1 614 555 0140', 700, 0, place('95 W Tompkins St', 'Columbus', 'OH', '43202')],
  ['chloe', 'Chloe Nguyen', '+1 503 555 0166', 1100, 0, place('3325 SE Belmont St', 'Portland', 'OR', '97214')],
  ['daniel', 'Daniel Kowalski', '+1 412 555 0102', 2400, 0, place('4720 Centre Ave', 'Pittsburgh', 'PA', '15213')],
  ['aisha', 'Aisha Mensah', '+1 919 555 0137', 380, 0, place('410 Glenwood Ave', 'Raleigh', 'NC', '27603', 'Apt 210')],
  ['robert', 'Robert Lam', '+1 703 555 0181', 1600, 0, place('1200 N Garfield St', 'Arlington', 'VA', '22201')],
];

// Buyers who exist for a risk scenario: prior claims, young accounts, the shared drop address.
// prettier-ignore
const special: BuyerRow[] = [
  ['derek', 'Derek Holloway', '+1 918 555 0171', 1095, 2, place('1530 S Harvard Ave', 'Tulsa', 'OK', '74112')],
  ['tamsin', 'Tamsin Reyes', '+1 916 555 0128', 450, 1, place('2415 J St', 'Sacramento', 'CA', '95816')],
  ['victor', 'Victor Hale', '+1 713 555 0159', 730, 0, place('4410 Westheimer Rd', 'Houston', 'TX', '77027')],
  ['kai', 'Kai Brandt', '+1 702 555 0193', 6, 0, place('620 S 7th St', 'Las Vegas', 'NV', '89101')],
  ['nadia', 'Nadia Petrova', '+1 773 555 0108', 3, 0, place('2255 N Clark St', 'Chicago', 'IL', '60614', 'Apt 5B')],
  ['owen', 'Owen Pryce', '+1 518 555 0149', 12, 0, place('77 Lark St', 'Albany', 'NY', '12210')],
  ['lena', 'Lena Fischer', '+1 801 555 0175', 20, 0, place('345 E 400 S', 'Salt Lake City', 'UT', '84111')],
  ['imani', 'Imani Brooks', '+1 313 555 0184', 8, 0, place('2900 W Grand Blvd', 'Detroit', 'MI', '48202')],
  ['jordan', 'Jordan Ames', '+1 973 555 0116', 45, 0, place('88 Mulberry St', 'Newark', 'NJ', '07102')],
  ['riley', 'Riley Chen', null, 9, 0, place('150 Bay St', 'Jersey City', 'NJ', '07302', 'Apt 9C')],
  ['casey', 'Casey Morgan', '+1 973 555 0132', 300, 0, place('255 Market St', 'Paterson', 'NJ', '07505')],
  ['avery', 'Avery Santos', '+1 908 555 0161', 15, 0, place('410 Morris Ave', 'Elizabeth', 'NJ', '07208')],
];

const toSeed =
  (everyday: boolean) =>
  ([key, name, phone, accountAgeDays, priorClaims, home]: BuyerRow): BuyerSeed => ({
    key,
    name,
    phone,
    accountAgeDays,
    priorClaims,
    home,
    everyday,
  });

export const BUYER_SEEDS: readonly BuyerSeed[] = [
  ...established.map(toSeed(true)),
  ...special.map(toSeed(false)),
];

/** `first.last@example.com`, lower case. */
export const buyerEmail = (name: string): string =>
  `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`;

/**
 * Ship-to places other than buyers' homes. The recipient is named where the place is used.
 * The forwarder warehouses match RESHIPPER_MARKERS; the drop address is shared by four buyers.
 */
export const PLACES = {
  harborlineForwarder: place(
    '1250 Harbor Logistics Way',
    'Wilmington',
    'DE',
    '19801',
    'Suite 4410 #CS-88231',
  ),
  cargoTerminalForwarder: place(
    '7800 Cargo Terminal Rd',
    'Doral',
    'FL',
    '33172',
    'Suite 112 #MX-40917',
  ),
  ferryStreetDrop: place('480 Ferry St', 'Newark', 'NJ', '07105', 'Unit 2R'),
  ethanOffice: place('250 S High St', 'Columbus', 'OH', '43215', 'Floor 6'),
  chloeNewFlat: place('1620 NE Alberta St', 'Portland', 'OR', '97211', 'Apt 304'),
  priyaQueens: place('37-20 82nd St', 'Jackson Heights', 'NY', '11372', 'Apt 2A'),
  emiPlano: place('5908 Ohio Dr', 'Plano', 'TX', '75093'),
  tomPortland: place('4115 N Williams Ave', 'Portland', 'OR', '97227'),
  lucyWashington: place('1745 T St NW', 'Washington', 'DC', '20009', 'Apt 3'),
} satisfies Record<string, Place>;

export type PlaceKey = keyof typeof PLACES;
