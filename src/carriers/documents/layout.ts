import { Carrier, SignatureOption } from '../../entities/enums';
import type { LabelAddress, LabelDocumentRequest } from '../gateway';
import { barWidths, trackingBarcode } from './barcode';
import type { TrackingBarcode } from './barcode';

/**
 * One label drawn once, in printer dots (203 dpi on a 4×6 in label: 812 × 1218), as a short
 * list of text, boxes and bars; pdf.ts, png.ts and zpl.ts each render the same list, so the
 * three formats cannot disagree about what the label says.
 */
export const DPI = 203;
export const WIDTH_DOTS = 4 * DPI;
export const HEIGHT_DOTS = 6 * DPI;
/** Narrowest bar: 2 dots (0.25 mm), within what both carriers and thermal printers accept. */
export const MODULE_DOTS = 2;
const BARCODE_HEIGHT = 220;

/** Positions and sizes are whole dots (ZPL takes nothing else). */
export interface TextItem {
  kind: 'text';
  x: number;
  y: number;
  /** Cap-to-descender height in dots. */
  size: number;
  bold: boolean;
  text: string;
  /** Drawn white (on a filled box). */
  inverse?: boolean;
}
export interface BoxItem {
  kind: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Border thickness in dots; a filled box has thickness = min(width, height). */
  thickness: number;
  filled?: boolean;
}
export interface BarcodeItem {
  kind: 'barcode';
  x: number;
  y: number;
  height: number;
  barcode: TrackingBarcode;
  /** Bar and space widths in modules, starting with a bar. */
  widths: number[];
}
export type LayoutItem = TextItem | BoxItem | BarcodeItem;

export interface Layout {
  items: LayoutItem[];
}

/** What the carrier prints for a signature option; null for none. */
export function signatureMarking(carrier: Carrier, option: SignatureOption): string | null {
  switch (option) {
    case SignatureOption.SIGNATURE_REQUIRED:
      return carrier === Carrier.UPS
        ? 'DELIVERY CONFIRMATION SIGNATURE REQUIRED'
        : 'SIGNATURE REQUIRED';
    case SignatureOption.ADULT_SIGNATURE_REQUIRED:
      // Both carriers: the recipient must be 21 or older and show ID.
      return 'ADULT SIGNATURE REQUIRED';
    default:
      return null;
  }
}

/** Printable ASCII only and at most `max` characters: every format and font can draw it. */
export function printable(value: string, max = 38): string {
  const plain = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[\^~\\]/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}.` : plain;
}

function addressLines(address: LabelAddress): string[] {
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.name, address.company, address.line1, address.line2, cityLine, address.country]
    .filter((line): line is string => Boolean(line))
    .map((line) => printable(line));
}

export function buildLayout(request: LabelDocumentRequest): Layout {
  const items: LayoutItem[] = [];
  const text = (x: number, y: number, size: number, value: string, bold = false) =>
    items.push({
      kind: 'text',
      x: Math.round(x),
      y: Math.round(y),
      size,
      bold,
      text: printable(value, 60),
    });
  const box = (x: number, y: number, width: number, height: number, thickness = 3) =>
    items.push({ kind: 'box', x, y, width, height, thickness });

  box(10, 10, WIDTH_DOTS - 20, HEIGHT_DOTS - 20, 4);
  // Service banner.
  items.push({ kind: 'box', x: 10, y: 10, width: 150, height: 150, thickness: 150, filled: true });
  items.push({
    kind: 'text',
    x: request.carrier === Carrier.UPS ? 30 : 24,
    y: request.carrier === Carrier.UPS ? 55 : 64,
    size: request.carrier === Carrier.UPS ? 60 : 38,
    bold: true,
    text: request.carrier === Carrier.UPS ? 'UPS' : 'USPS',
    inverse: true,
  });
  text(180, 30, 34, request.serviceName.toUpperCase(), true);
  text(180, 80, 24, `SHIP DATE: ${request.shipDate.toISOString().slice(0, 10)}`);
  text(180, 115, 24, `WEIGHT: ${Math.floor(request.weightOz / 16)} LB ${request.weightOz % 16} OZ`);
  box(10, 160, WIDTH_DOTS - 20, 3, 3);

  // Ship from, ship to.
  text(30, 180, 22, 'FROM:', true);
  addressLines(request.shipFrom).forEach((line, i) => text(130, 180 + i * 28, 22, line));
  box(10, 330, WIDTH_DOTS - 20, 3, 3);
  text(30, 350, 28, 'SHIP TO:', true);
  addressLines(request.shipTo).forEach((line, i) => text(60, 395 + i * 40, 34, line, true));

  // The signature marking, in a bordered band, as carriers print it.
  const marking = signatureMarking(request.carrier, request.signatureOption);
  const bandY = 610;
  box(10, bandY, WIDTH_DOTS - 20, 90, 6);
  if (marking) {
    const size = marking.length > 30 ? 27 : marking.length > 20 ? 36 : 44;
    text(30, bandY + (90 - size) / 2, size, marking, true);
  } else {
    text(30, bandY + 30, 30, 'NO SIGNATURE REQUIRED');
  }

  // Tracking barcode, centred, with the human-readable number under it.
  const barcode = trackingBarcode(request);
  const widths = barWidths(barcode);
  const modules = widths.reduce((sum, w) => sum + w, 0);
  const barsX = Math.round((WIDTH_DOTS - modules * MODULE_DOTS) / 2);
  const trackingTitle =
    request.carrier === Carrier.UPS ? 'UPS TRACKING #:' : 'USPS TRACKING # (IMpb)';
  text(30, 725, 26, trackingTitle, true);
  items.push({
    kind: 'barcode',
    x: barsX,
    y: 770,
    height: BARCODE_HEIGHT,
    barcode,
    widths,
  });
  const human =
    barcode.symbology === 'gs1-128'
      ? `(420) ${barcode.bwipText.slice(5, 10)}  ${barcode.humanReadable}`
      : barcode.humanReadable;
  text(Math.max(30, Math.round(WIDTH_DOTS / 2 - human.length * 8.5)), 1005, 28, human, true);
  box(10, 1060, WIDTH_DOTS - 20, 3, 3);
  if (request.signatureCarrierCode) {
    text(30, 1080, 22, `${request.carrier} SERVICE CODE ${request.signatureCarrierCode}`);
  }
  text(30, 1140, 20, 'COUNTERSIGN SANDBOX LABEL');
  return { items };
}
