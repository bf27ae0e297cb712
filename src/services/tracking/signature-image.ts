import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Signature images carriers send with a delivery, checked by decoding them. Only raster formats
 * are accepted: PNG and baseline/progressive JPEG. SVG is refused outright: it is a document that
 * can carry links and script (an entity-encoded `javascript:` link passed the old denylist), and
 * no list of bad strings makes one safe.
 */
export const SIGNATURE_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;
export type SignatureImageType = (typeof SIGNATURE_IMAGE_TYPES)[number];

/** A data URL of a signature image is at most this long (about 150 kB of image). */
export const MAX_IMAGE_DATA_URL = 200_000;
/** Largest picture a signature pad makes, with room to spare; a bigger one is refused undecoded. */
export const MAX_IMAGE_WIDTH = 2000;
export const MAX_IMAGE_HEIGHT = 1000;

const DATA_URL = /^data:(image\/png|image\/jpeg);base64,([A-Za-z0-9+/]+={0,2})$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The IEND chunk, CRC included: a PNG ends with it, and nothing may follow. */
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

export interface SignatureImage {
  type: SignatureImageType;
  width: number;
  height: number;
  bytes: Buffer;
}

const fits = (width: number, height: number) =>
  Number.isInteger(width) &&
  Number.isInteger(height) &&
  width >= 1 &&
  height >= 1 &&
  width <= MAX_IMAGE_WIDTH &&
  height <= MAX_IMAGE_HEIGHT;

function decodePng(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 8 + 25 + 12 || !bytes.subarray(0, 8).equals(PNG_MAGIC)) return null;
  if (!bytes.subarray(bytes.length - 12).equals(PNG_END)) return null;
  // IHDR first: its size is checked before anything is inflated (no decompression bomb).
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (!fits(width, height)) return null;
  try {
    // Verifies every chunk's CRC and inflates the whole picture: truncation or damage throws.
    const png = PNG.sync.read(bytes, { checkCRC: true });
    return png.width === width && png.height === height ? { width, height } : null;
  } catch {
    return null;
  }
}

function decodeJpeg(bytes: Buffer): { width: number; height: number } | null {
  // Starts with SOI, ends with EOI.
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return null;
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return null;
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      tolerantDecoding: false,
      maxResolutionInMP: (MAX_IMAGE_WIDTH * MAX_IMAGE_HEIGHT) / 1_000_000,
      maxMemoryUsageInMB: 64,
    });
    return fits(image.width, image.height) ? { width: image.width, height: image.height } : null;
  } catch {
    return null;
  }
}

/**
 * The image of a `data:image/png;base64,…` or `data:image/jpeg;base64,…` URL if it decodes as
 * what it says it is, within the size limits; null for anything else (SVG included).
 */
export function parseSignatureImage(dataUrl: string): SignatureImage | null {
  if (dataUrl.length > MAX_IMAGE_DATA_URL) return null;
  const match = DATA_URL.exec(dataUrl);
  if (!match || match[2].length % 4 !== 0) return null;
  const type = match[1] as SignatureImageType;
  const bytes = Buffer.from(match[2], 'base64');
  const size = type === 'image/png' ? decodePng(bytes) : decodeJpeg(bytes);
  return size ? { type, bytes, ...size } : null;
}

export const isSignatureImage = (dataUrl: string): boolean => parseSignatureImage(dataUrl) !== null;

/**
 * Whether a stored image may be shown: one of the accepted types. Proofs stored before SVG was
 * refused keep their row, but their image is not served.
 */
export const isServableSignatureImage = (dataUrl: string): boolean =>
  SIGNATURE_IMAGE_TYPES.some((type) => dataUrl.startsWith(`data:${type};base64,`));
