import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import {
  MAX_IMAGE_HEIGHT,
  MAX_IMAGE_WIDTH,
  isServableSignatureImage,
  parseSignatureImage,
} from '../src/services/tracking/signature-image';

/** Signature images are accepted only when they decode as the PNG or JPEG they claim to be. */

const dataUrl = (type: string, bytes: Buffer | string) =>
  `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

function pngBytes(width = 40, height = 12): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) png.data.writeUInt32BE(0x1a237eff - (i % 7), i);
  return PNG.sync.write(png);
}

function jpegBytes(width = 32, height = 16): Buffer {
  const data = Buffer.alloc(width * height * 4, 0xc0);
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data);
}

/** The byte offset of a chunk's type in a PNG. */
const chunkAt = (bytes: Buffer, type: string) => bytes.indexOf(Buffer.from(type, 'latin1'));

describe('signature images', () => {
  it('accepts a PNG that decodes, with its size', () => {
    const bytes = pngBytes(40, 12);
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toEqual({
      type: 'image/png',
      width: 40,
      height: 12,
      bytes,
    });
  });

  it('accepts a JPEG that decodes', () => {
    expect(parseSignatureImage(dataUrl('image/jpeg', jpegBytes()))).toMatchObject({
      type: 'image/jpeg',
      width: 32,
      height: 16,
    });
  });

  const svg = (body: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${body}</svg>`;
  it.each([
    [
      'an SVG with an entity-encoded javascript: link',
      svg('<a href="&#106;avascript:alert(1)"><text>x</text></a>'),
    ],
    ['an SVG with a hex-encoded one', svg('<a xlink:href="&#x6A;avascript:alert(1)">x</a>')],
    ['an inert-looking SVG', svg('<text x="1" y="10">Signer</text>')],
  ])('refuses %s (SVG is not accepted at all)', (_what, text) => {
    expect(parseSignatureImage(dataUrl('image/svg+xml', text))).toBeNull();
    // Nor as a PNG or JPEG by name.
    expect(parseSignatureImage(dataUrl('image/png', text))).toBeNull();
    expect(parseSignatureImage(dataUrl('image/jpeg', text))).toBeNull();
  });

  it('refuses a PNG whose IHDR checksum is wrong', () => {
    const bytes = pngBytes();
    bytes[chunkAt(bytes, 'IHDR') + 4 + 13] ^= 0xff; // first CRC byte after the 13 data bytes
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toBeNull();
  });

  it('refuses a PNG whose IDAT checksum is wrong', () => {
    const bytes = pngBytes();
    const at = chunkAt(bytes, 'IDAT');
    const length = bytes.readUInt32BE(at - 4);
    bytes[at + 4 + length] ^= 0x01;
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toBeNull();
  });

  it.each([8, 40, 0.5, 0.9])('refuses a PNG truncated to %s', (keep) => {
    const bytes = pngBytes();
    const cut = keep < 1 ? Math.floor(bytes.length * keep) : keep;
    expect(parseSignatureImage(dataUrl('image/png', bytes.subarray(0, cut)))).toBeNull();
  });

  it('refuses a PNG with anything after its end', () => {
    const bytes = Buffer.concat([pngBytes(), Buffer.from('<script>alert(1)</script>')]);
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toBeNull();
  });

  it('refuses a truncated JPEG, and a JPEG sent as a PNG', () => {
    const bytes = jpegBytes();
    expect(
      parseSignatureImage(dataUrl('image/jpeg', bytes.subarray(0, bytes.length - 40))),
    ).toBeNull();
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toBeNull();
  });

  it('refuses pictures over the size limits, before inflating them', () => {
    expect(parseSignatureImage(dataUrl('image/png', pngBytes(MAX_IMAGE_WIDTH, 1)))).not.toBeNull();
    expect(parseSignatureImage(dataUrl('image/png', pngBytes(MAX_IMAGE_WIDTH + 1, 1)))).toBeNull();
    expect(parseSignatureImage(dataUrl('image/png', pngBytes(1, MAX_IMAGE_HEIGHT + 1)))).toBeNull();
    // A header claiming 60000 × 60000 (a decompression bomb) is refused on the header alone.
    const bytes = pngBytes(4, 4);
    const at = chunkAt(bytes, 'IHDR');
    bytes.writeUInt32BE(60_000, at + 4);
    bytes.writeUInt32BE(60_000, at + 8);
    expect(parseSignatureImage(dataUrl('image/png', bytes))).toBeNull();
    expect(
      parseSignatureImage(dataUrl('image/jpeg', jpegBytes(MAX_IMAGE_WIDTH + 8, 8))),
    ).toBeNull();
  });

  it.each([
    ['not base64', 'data:image/png;base64,!!!!'],
    ['base64 of the wrong length', `data:image/png;base64,${'A'.repeat(101)}`],
    ['another media type', 'data:text/html;base64,PGgxPg=='],
    ['a URL', 'https://example.test/signature.png'],
    ['over 200,000 characters', `data:image/png;base64,${'A'.repeat(200_000)}`],
  ])('refuses %s', (_what, url) => {
    expect(parseSignatureImage(url)).toBeNull();
  });

  it('serves stored images of the accepted types only', () => {
    expect(isServableSignatureImage(dataUrl('image/png', pngBytes()))).toBe(true);
    expect(isServableSignatureImage(dataUrl('image/jpeg', jpegBytes()))).toBe(true);
    expect(isServableSignatureImage(dataUrl('image/svg+xml', svg('')))).toBe(false);
  });
});
