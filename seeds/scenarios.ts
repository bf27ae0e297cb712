import { ShippingSpeed } from '../src/entities/enums';
import type { PlaceKey } from './people';

/**
 * Risk signals the seed data is written to exhibit: the risk engine's reason codes
 * (src/services/risk/reason-codes.ts). Tags describe the data (e.g. "total ≥ USD 750 with default thresholds"); what the
 * risk engine concludes from it is the engine's business.
 */
export const SEED_SIGNALS = [
  'AGE_RESTRICTED_ITEM',
  'ORDER_VALUE_HIGH',
  'ORDER_VALUE_ELEVATED',
  'PRIOR_NOT_RECEIVED_CLAIMS',
  'ADDRESS_CHANGED_AFTER_CHECKOUT',
  'PLATFORM_HOLD',
  'NEW_BUYER_LARGE_ORDER',
  'SHARED_SHIP_TO',
  'RESHIPPER_ADDRESS',
  'RUSH_SHIPPING_NEW_ACCOUNT',
  'BILLING_SHIPPING_MISMATCH',
] as const;

export type SeedSignal = (typeof SEED_SIGNALS)[number];

export interface Scenario {
  key: string;
  sellerIndex: number;
  /** Buyer key from people.ts. */
  buyer: string;
  /** Ship somewhere other than the buyer's home; the recipient defaults to the buyer. */
  shipTo?: { place: PlaceKey; recipient?: string };
  items: readonly [sku: string, quantity: number][];
  speed?: ShippingSpeed;
  hoursAgo: number;
  addressChanged?: boolean;
  onHold?: boolean;
  cancelled?: boolean;
  signals: readonly SeedSignal[];
}

const { OVERNIGHT, EXPEDITED } = ShippingSpeed;

const forSeller = (sellerIndex: number, list: Omit<Scenario, 'sellerIndex'>[]): Scenario[] =>
  list.map((s) => ({ ...s, sellerIndex }));

const drop = (recipient?: string) => ({ place: 'ferryStreetDrop' as const, recipient });

/** Harbor & Pine Electronics: value, new accounts, forwarders, and the shared drop address. */
const electronics = forSeller(0, [
  {
    key: 'laptop-high-value',
    buyer: 'priya',
    items: [['HP-LTP-14PRO', 1]],
    hoursAgo: 28,
    signals: ['ORDER_VALUE_HIGH'],
  },
  {
    key: 'headphones-elevated',
    buyer: 'grace',
    items: [['HP-HDP-NC9', 1]],
    hoursAgo: 61,
    signals: ['ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'new-buyer-phone',
    buyer: 'kai',
    items: [
      ['HP-PHN-X12', 1],
      ['HP-CSE-X12', 1],
    ],
    hoursAgo: 20,
    signals: ['ORDER_VALUE_HIGH', 'NEW_BUYER_LARGE_ORDER'],
  },
  {
    key: 'rush-new-account',
    buyer: 'nadia',
    items: [['HP-WCH-S3', 1]],
    speed: OVERNIGHT,
    hoursAgo: 12,
    signals: ['RUSH_SHIPPING_NEW_ACCOUNT'],
  },
  {
    key: 'reshipper-tablet',
    buyer: 'owen',
    shipTo: { place: 'harborlineForwarder' },
    items: [
      ['HP-TAB-11', 1],
      ['HP-SCR-GLS', 1],
    ],
    hoursAgo: 48,
    // A forwarder is out of state by nature, and this account is new.
    signals: [
      'RESHIPPER_ADDRESS',
      'ORDER_VALUE_ELEVATED',
      'NEW_BUYER_LARGE_ORDER',
      'BILLING_SHIPPING_MISMATCH',
    ],
  },
  {
    key: 'address-changed',
    buyer: 'ethan',
    shipTo: { place: 'ethanOffice' },
    addressChanged: true,
    items: [
      ['HP-CHG-65W', 1],
      ['HP-PBK-10K', 1],
    ],
    hoursAgo: 74,
    signals: ['ADDRESS_CHANGED_AFTER_CHECKOUT'],
  },
  {
    key: 'on-hold-gpu',
    buyer: 'robert',
    onHold: true,
    items: [['HP-GPU-4070', 1]],
    hoursAgo: 97,
    signals: ['PLATFORM_HOLD', 'ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'gift-billing-mismatch',
    buyer: 'kenji',
    shipTo: { place: 'emiPlano', recipient: 'Emi Watanabe' },
    items: [
      ['HP-SPK-MINI', 1],
      ['HP-KBD-MINI', 1],
    ],
    hoursAgo: 122,
    signals: ['BILLING_SHIPPING_MISMATCH'],
  },
  {
    key: 'prior-claims-charger',
    buyer: 'derek',
    items: [
      ['HP-CHG-65W', 1],
      ['HP-CBL-USBC2', 1],
    ],
    hoursAgo: 36,
    signals: ['PRIOR_NOT_RECEIVED_CLAIMS'],
  },
  {
    key: 'shared-drop-jordan',
    buyer: 'jordan',
    shipTo: drop(),
    items: [['HP-EBD-PRO', 1]],
    hoursAgo: 140,
    signals: ['SHARED_SHIP_TO'],
  },
  {
    key: 'shared-drop-riley',
    buyer: 'riley',
    shipTo: drop(),
    items: [['HP-WCH-S3', 1]],
    hoursAgo: 70,
    signals: ['SHARED_SHIP_TO'],
  },
  {
    key: 'shared-drop-casey',
    buyer: 'casey',
    shipTo: drop(),
    items: [
      ['HP-PBK-10K', 2],
      ['HP-CHG-65W', 1],
    ],
    hoursAgo: 95,
    signals: ['SHARED_SHIP_TO'],
  },
  {
    key: 'shared-drop-avery',
    buyer: 'avery',
    shipTo: drop(),
    items: [['HP-EBD-PRO', 1]],
    hoursAgo: 118,
    signals: ['SHARED_SHIP_TO'],
  },
  {
    key: 'cancelled-camera',
    buyer: 'jonah',
    items: [['HP-CAM-M50', 1]],
    cancelled: true,
    hoursAgo: 170,
    signals: ['ORDER_VALUE_HIGH'],
  },
  // Rush shipping on an old account is not a signal: a negative case for the engine.
  {
    key: 'overnight-established',
    buyer: 'daniel',
    items: [['HP-SSD-1T', 1]],
    speed: OVERNIGHT,
    hoursAgo: 7,
    signals: [],
  },
]);

/** Cellar Door Wine Co.: every bottle is age-restricted. */
const wine = forSeller(1, [
  {
    key: 'wine-three-bottles',
    buyer: 'hannah',
    items: [['CD-CAB-2021', 3]],
    hoursAgo: 30,
    signals: ['AGE_RESTRICTED_ITEM'],
  },
  {
    key: 'wine-mixed-dozen',
    buyer: 'olivia',
    items: [
      ['CD-CHD-2023', 6],
      ['CD-PNR-2022', 6],
    ],
    hoursAgo: 54,
    signals: ['AGE_RESTRICTED_ITEM', 'ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'wine-library-six',
    buyer: 'samuel',
    items: [['CD-RES-2019', 6]],
    hoursAgo: 80,
    signals: ['AGE_RESTRICTED_ITEM', 'ORDER_VALUE_HIGH'],
  },
  {
    key: 'wine-gift-other-state',
    buyer: 'maya',
    shipTo: { place: 'tomPortland', recipient: 'Tom Okafor' },
    items: [['CD-PNR-2022', 2]],
    hoursAgo: 100,
    signals: ['AGE_RESTRICTED_ITEM', 'BILLING_SHIPPING_MISMATCH'],
  },
  {
    key: 'wine-address-changed',
    buyer: 'chloe',
    shipTo: { place: 'chloeNewFlat' },
    addressChanged: true,
    items: [['CD-SPK-NV', 2]],
    hoursAgo: 44,
    signals: ['AGE_RESTRICTED_ITEM', 'ADDRESS_CHANGED_AFTER_CHECKOUT'],
  },
  {
    key: 'barware-on-hold',
    buyer: 'luis',
    onHold: true,
    items: [
      ['CD-DEC-1L', 1],
      ['CD-GLS-4', 1],
    ],
    hoursAgo: 66,
    signals: ['PLATFORM_HOLD'],
  },
  {
    key: 'prior-claims-barware',
    buyer: 'tamsin',
    items: [
      ['CD-OPN-PRO', 1],
      ['CD-STP-3', 1],
    ],
    hoursAgo: 26,
    signals: ['PRIOR_NOT_RECEIVED_CLAIMS'],
  },
  {
    key: 'wine-cancelled',
    buyer: 'marcus',
    items: [['CD-CAB-2021', 2]],
    cancelled: true,
    hoursAgo: 150,
    signals: ['AGE_RESTRICTED_ITEM'],
  },
  {
    key: 'wine-expedited',
    buyer: 'fatima',
    items: [['CD-CHD-2023', 2]],
    speed: EXPEDITED,
    hoursAgo: 18,
    signals: ['AGE_RESTRICTED_ITEM'],
  },
]);

/** Corner Curio Supply: vape and tobacco, collectibles, and a second forwarder. */
const curio = forSeller(2, [
  {
    key: 'vape-kit',
    buyer: 'jonah',
    items: [
      ['CC-VAP-KIT', 1],
      ['CC-VAP-POD4', 2],
    ],
    hoursAgo: 22,
    signals: ['AGE_RESTRICTED_ITEM'],
  },
  {
    key: 'vape-rush-new-account',
    buyer: 'nadia',
    items: [['CC-VAP-POD4', 3]],
    speed: OVERNIGHT,
    hoursAgo: 30,
    signals: ['AGE_RESTRICTED_ITEM', 'RUSH_SHIPPING_NEW_ACCOUNT'],
  },
  {
    key: 'graded-card',
    buyer: 'aisha',
    items: [['CC-TCG-PSA10', 1]],
    hoursAgo: 58,
    signals: ['ORDER_VALUE_HIGH'],
  },
  {
    key: 'sneakers-elevated',
    buyer: 'fatima',
    items: [['CC-SNK-LTD', 1]],
    hoursAgo: 90,
    signals: ['ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'reshipper-sneakers',
    buyer: 'victor',
    shipTo: { place: 'cargoTerminalForwarder' },
    items: [['CC-SNK-LTD', 1]],
    hoursAgo: 40,
    signals: ['RESHIPPER_ADDRESS', 'ORDER_VALUE_ELEVATED', 'BILLING_SHIPPING_MISMATCH'],
  },
  {
    key: 'shared-drop-repeat',
    buyer: 'casey',
    shipTo: drop(),
    items: [
      ['CC-BK-COOK', 1],
      ['CC-BK-NOV', 1],
    ],
    hoursAgo: 50,
    signals: ['SHARED_SHIP_TO'],
  },
  {
    key: 'prior-claims-books',
    buyer: 'derek',
    items: [
      ['CC-BK-COOK', 1],
      ['CC-MUG-ENM', 1],
    ],
    hoursAgo: 110,
    signals: ['PRIOR_NOT_RECEIVED_CLAIMS'],
  },
  {
    key: 'new-buyer-watch',
    buyer: 'imani',
    items: [['CC-WTC-VNT', 1]],
    hoursAgo: 43,
    signals: ['NEW_BUYER_LARGE_ORDER', 'ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'gift-dc',
    buyer: 'robert',
    shipTo: { place: 'lucyWashington', recipient: 'Lucy Lam' },
    items: [
      ['CC-PZL-1K', 1],
      ['CC-CNDL-CDR', 1],
    ],
    hoursAgo: 76,
    signals: ['BILLING_SHIPPING_MISMATCH'],
  },
  {
    key: 'hold-and-changed-address',
    buyer: 'priya',
    shipTo: { place: 'priyaQueens' },
    onHold: true,
    addressChanged: true,
    items: [['CC-BLD-4K', 1]],
    hoursAgo: 64,
    signals: ['PLATFORM_HOLD', 'ADDRESS_CHANGED_AFTER_CHECKOUT', 'ORDER_VALUE_ELEVATED'],
  },
  {
    key: 'cigars',
    buyer: 'daniel',
    items: [['CC-CGR-10', 1]],
    hoursAgo: 84,
    signals: ['AGE_RESTRICTED_ITEM'],
  },
  // A young account buying little, slowly: a negative case for the engine.
  {
    key: 'new-buyer-small',
    buyer: 'lena',
    items: [
      ['CC-BK-NOV', 1],
      ['CC-MUG-ENM', 1],
    ],
    hoursAgo: 96,
    signals: [],
  },
  {
    key: 'cancelled-puzzle',
    buyer: 'olivia',
    items: [['CC-PZL-1K', 1]],
    cancelled: true,
    hoursAgo: 130,
    signals: [],
  },
]);

export const SCENARIOS: readonly Scenario[] = [...electronics, ...wine, ...curio];

/** Generated everyday orders per seller (low value, standard shipping, billing = ship-to). */
export const EVERYDAY_ORDERS_PER_SELLER: readonly number[] = [10, 12, 11];
