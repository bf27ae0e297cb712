import { AGE_RESTRICTED_CLASSES, classOf } from '../src/core/contents-eligibility';

/**
 * What the three seed sellers sell, with enough physical detail to pack a plausible parcel.
 * `everyday` products feed the generated low-risk orders; the rest appear in hand-written
 * scenarios (high value, age-restricted).
 */

export interface Product {
  sku: string;
  title: string;
  unitPriceMinor: number;
  category: string;
  ageRestricted: boolean;
  /** Shipping weight of one unit, ounces. */
  weightOz: number;
  /** Outer size of one unit, inches, longest side first. */
  dims: readonly [number, number, number];
  everyday: boolean;
}

type Row = [
  sku: string,
  title: string,
  unitPriceMinor: number,
  category: string,
  weightOz: number,
  dims: [number, number, number],
  everyday?: boolean,
];

/**
 * Categories whose goods the carrier must hand only to an adult (21+) with ID: those the contents
 * rules class as alcohol, vapes or tobacco (src/core/contents-eligibility.ts), so the seed flags
 * and the rules that pick carriers cannot disagree.
 */
export const isAgeRestrictedCategory = (category: string): boolean =>
  AGE_RESTRICTED_CLASSES.has(classOf(category));

const rows = (list: Row[]): Product[] =>
  list.map(([sku, title, unitPriceMinor, category, weightOz, dims, everyday = false]) => ({
    sku,
    title,
    unitPriceMinor,
    category,
    ageRestricted: isAgeRestrictedCategory(category),
    weightOz,
    dims,
    everyday,
  }));

/** Seller 1: Harbor & Pine Electronics. */
const electronics = rows([
  ['HP-LTP-14PRO', 'Aster 14 Pro laptop, 32 GB / 1 TB', 134900, 'electronics', 72, [16, 11, 3]],
  ['HP-PHN-X12', 'Nimbus X12 smartphone, 256 GB, unlocked', 109900, 'electronics', 14, [8, 5, 3]],
  ['HP-CAM-M50', 'Kestrel M50 mirrorless camera body', 89900, 'electronics', 28, [8, 6, 6]],
  ['HP-GPU-4070', 'Vector 4070 graphics card, 12 GB', 59900, 'electronics', 48, [14, 8, 4]],
  ['HP-TAB-11', 'Slate 11 tablet, 128 GB Wi-Fi', 44900, 'electronics', 24, [11, 8, 2]],
  ['HP-HDP-NC9', 'Quietline NC9 noise-cancelling headphones', 34900, 'electronics', 18, [9, 8, 4]],
  ['HP-WCH-S3', 'Pulse S3 smartwatch, 44 mm', 18999, 'electronics', 8, [5, 4, 3]],
  ['HP-EBD-PRO', 'Airlet Pro wireless earbuds', 17900, 'electronics', 6, [4, 4, 2]],
  ['HP-CBL-USBC2', 'USB-C to USB-C cable, 2 m', 1299, 'accessories', 3, [6, 4, 1], true],
  ['HP-CHG-65W', '65 W GaN wall charger', 3999, 'accessories', 6, [4, 3, 2], true],
  ['HP-PBK-10K', '10,000 mAh power bank', 2999, 'accessories', 9, [5, 3, 1], true],
  ['HP-MSE-WL', 'Wireless mouse', 2499, 'accessories', 5, [5, 3, 2], true],
  ['HP-KBD-MINI', 'Compact Bluetooth keyboard', 4999, 'accessories', 16, [13, 6, 2], true],
  ['HP-CSE-X12', 'Clear case for Nimbus X12', 1999, 'accessories', 3, [7, 4, 1], true],
  ['HP-SSD-1T', 'Portable SSD, 1 TB', 8999, 'electronics', 4, [5, 3, 1], true],
  ['HP-HUB-7', '7-port USB-C hub', 3499, 'accessories', 6, [6, 3, 1], true],
  [
    'HP-SCR-GLS',
    'Tempered glass screen protector, 2-pack',
    1199,
    'accessories',
    2,
    [7, 4, 1],
    true,
  ],
  ['HP-SPK-MINI', 'Mini Bluetooth speaker', 3999, 'electronics', 12, [5, 5, 4], true],
]);

/** Seller 2: Cellar Door Wine Co. A 750 ml bottle ships at about 3 lb with its insert. */
const wine = rows([
  ['CD-CAB-2021', 'Napa Valley Cabernet Sauvignon 2021, 750 ml', 5400, 'wine', 48, [14, 4, 4]],
  ['CD-CHD-2023', 'Carneros Chardonnay 2023, 750 ml', 3200, 'wine', 48, [14, 4, 4]],
  ['CD-PNR-2022', 'Sonoma Coast Pinot Noir 2022, 750 ml', 4200, 'wine', 48, [14, 4, 4]],
  ['CD-SPK-NV', 'Estate Brut sparkling wine NV, 750 ml', 3800, 'wine', 52, [14, 4, 4]],
  ['CD-RES-2019', 'Reserve Cabernet 2019, library release, 750 ml', 14500, 'wine', 48, [14, 4, 4]],
  ['CD-OPN-PRO', "Waiter's corkscrew, rosewood handle", 2400, 'barware', 4, [6, 2, 1], true],
  ['CD-DEC-1L', 'Crystal decanter, 1 L', 6800, 'barware', 40, [12, 8, 8], true],
  ['CD-GLS-4', 'Bordeaux glasses, set of 4', 5600, 'barware', 48, [12, 10, 10], true],
  ['CD-AER-01', 'Pour-through wine aerator', 1900, 'barware', 5, [5, 3, 3], true],
  ['CD-STP-3', 'Vacuum wine stoppers, 3-pack', 1500, 'barware', 3, [5, 3, 1], true],
  ['CD-BRD-OAK', 'Oak cheese board', 4500, 'gourmet', 32, [16, 10, 2], true],
  ['CD-CHO-BOX', 'Dark chocolate pairing box', 2800, 'gourmet', 12, [8, 6, 2], true],
  ['CD-OLV-500', 'Estate olive oil, 500 ml', 2600, 'gourmet', 28, [10, 4, 4], true],
]);

/** Seller 3: Corner Curio Supply, a general store. */
const curio = rows([
  ['CC-VAP-KIT', 'Refillable vape starter kit', 3999, 'vape', 6, [6, 4, 2]],
  ['CC-VAP-POD4', 'Replacement vape pods, 4-pack', 1699, 'vape', 2, [4, 3, 1]],
  ['CC-CGR-10', 'Premium cigars, box of 10', 8900, 'tobacco', 20, [10, 8, 2]],
  ['CC-TCG-PSA10', 'Graded trading card, PSA 10, 1999 holo', 78000, 'collectibles', 3, [8, 6, 1]],
  ['CC-WTC-VNT', 'Vintage mechanical watch, serviced', 58000, 'collectibles', 10, [6, 5, 4]],
  ['CC-BLD-4K', 'Building set, 4,000 pieces', 41900, 'toys', 160, [22, 16, 6]],
  ['CC-SNK-LTD', 'Limited-release sneakers, size 10', 31000, 'footwear', 48, [14, 10, 5]],
  ['CC-BK-COOK', 'Hardcover cookbook', 3200, 'books', 40, [11, 9, 2], true],
  ['CC-BK-NOV', 'Paperback novel', 1699, 'books', 10, [8, 5, 1], true],
  ['CC-MUG-ENM', 'Enamel camp mug', 1800, 'home', 10, [5, 5, 4], true],
  ['CC-CNDL-CDR', 'Cedar soy candle', 2400, 'home', 16, [4, 4, 4], true],
  ['CC-PZL-1K', '1,000-piece jigsaw puzzle', 2299, 'toys', 24, [11, 9, 3], true],
  ['CC-PIN-SET', 'Enamel pin set', 1400, 'collectibles', 2, [5, 4, 1], true],
  ['CC-PRT-1114', 'Art print, 11 × 14 in, flat-packed', 2600, 'home', 8, [15, 12, 1], true],
  ['CC-SCK-WL', 'Wool hiking socks, 2 pairs', 2200, 'apparel', 6, [8, 5, 2], true],
]);

/** Products per seller, in seller order. */
export const PRODUCTS: readonly (readonly Product[])[] = [electronics, wine, curio];

const BY_SKU = new Map(PRODUCTS.flat().map((p) => [p.sku, p]));

export function product(sku: string): Product {
  const found = BY_SKU.get(sku);
  if (!found) throw new Error(`Unknown seed SKU ${sku}`);
  return found;
}

/** Shipping boxes, smallest first: inner size (inches) and empty weight with fill (ounces). */
const BOXES: readonly { dims: [number, number, number]; tareOz: number }[] = [
  { dims: [6, 4, 3], tareOz: 2 },
  { dims: [9, 6, 4], tareOz: 3 },
  { dims: [12, 9, 4], tareOz: 5 },
  { dims: [12, 9, 6], tareOz: 6 },
  { dims: [16, 13, 3], tareOz: 6 },
  { dims: [14, 12, 8], tareOz: 10 },
  { dims: [18, 14, 6], tareOz: 12 },
  { dims: [18, 14, 12], tareOz: 16 },
  { dims: [24, 18, 14], tareOz: 28 },
];

export interface Parcel {
  weightOz: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
}

/**
 * The smallest box that takes the largest item and the total volume with 30% for padding;
 * weight is the contents plus the box.
 */
export function packParcel(items: readonly { product: Product; quantity: number }[]): Parcel {
  const volume = items.reduce(
    (v, { product: p, quantity }) => v + p.dims[0] * p.dims[1] * p.dims[2] * quantity,
    0,
  );
  const longest = [0, 1, 2].map((i) => Math.max(...items.map(({ product: p }) => p.dims[i])));
  const box =
    BOXES.find(
      ({ dims }) =>
        dims.every((d, i) => d >= longest[i]) && dims[0] * dims[1] * dims[2] >= volume * 1.3,
    ) ?? BOXES[BOXES.length - 1];
  const contentsOz = items.reduce((w, { product: p, quantity }) => w + p.weightOz * quantity, 0);
  const [lengthIn, widthIn, heightIn] = box.dims;
  return { weightOz: contentsOz + box.tareOz, lengthIn, widthIn, heightIn };
}
