import bwipjs from 'bwip-js';
import { Carrier } from '../../entities/enums';
import type { LabelDocumentRequest } from '../gateway';

/**
 * The tracking barcode each carrier prints. USPS domestic: the Intelligent Mail package barcode
 * (IMpb), a GS1-128 of AI 420 + the destination ZIP, then the 22-digit tracking number (whose
 * first two digits are its application identifier, 92–95). UPS: Code 128 of the 1Z number.
 * Anything else (USPS international S10 numbers): Code 128 of the tracking number.
 */
export interface TrackingBarcode {
  symbology: 'gs1-128' | 'code128';
  /** bwip-js input (GS1 AIs in parentheses). */
  bwipText: string;
  /** ZPL ^BC field data: `>;` starts subset C, `>8` is FNC1, `>:` starts subset B. */
  zplData: string;
  /** What prints under the bars. */
  humanReadable: string;
}

const IMPB = /^9[2-5]\d{20}$/;

export function trackingBarcode(request: LabelDocumentRequest): TrackingBarcode {
  const { carrier, trackingNumber } = request;
  const zip5 = request.shipTo.postalCode.replace(/\D/g, '').slice(0, 5);
  if (
    carrier === Carrier.USPS &&
    IMPB.test(trackingNumber) &&
    request.shipTo.country === 'US' &&
    zip5.length === 5
  ) {
    return {
      symbology: 'gs1-128',
      bwipText: `(420)${zip5}(${trackingNumber.slice(0, 2)})${trackingNumber.slice(2)}`,
      // 8 + 22 digits: both runs are even, so subset C throughout.
      zplData: `>;>8420${zip5}>8${trackingNumber}`,
      humanReadable: trackingNumber.replace(/(\d{4})(?=\d)/g, '$1 '),
    };
  }
  return {
    symbology: 'code128',
    bwipText: trackingNumber,
    zplData: `>:${trackingNumber}`,
    humanReadable:
      carrier === Carrier.UPS && trackingNumber.length === 18
        ? [2, 3, 3, 2, 4, 3, 1]
            .reduce<{ parts: string[]; at: number }>(
              ({ parts, at }, n) => ({
                parts: [...parts, trackingNumber.slice(at, at + n)],
                at: at + n,
              }),
              { parts: [], at: 0 },
            )
            .parts.join(' ')
        : trackingNumber,
  };
}

/**
 * The bar widths of a barcode in modules, alternating bar, space, bar … from the left (the
 * start of a quiet zone is the caller's). Encoded by bwip-js (BWIPP), so the symbology's rules
 * (check characters, FNC1, code sets) are the library's, not ours.
 */
export function barWidths(barcode: TrackingBarcode): number[] {
  const [symbol] = bwipjs.raw({ bcid: barcode.symbology, text: barcode.bwipText });
  if (!symbol || !('sbs' in symbol)) throw new Error(`${barcode.symbology} gave no linear bars`);
  return symbol.sbs;
}
