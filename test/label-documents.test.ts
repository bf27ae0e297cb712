import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { loadConfig } from '../src/config/config';
import { fromGlobalId } from '../src/core/global-id';
import { Address, Label, LabelDocument, Order } from '../src/entities';
import { LabelDocumentFormat } from '../src/entities/enums';
import { documentLinkPath } from '../src/services/label-document-links';
import { LabelDocumentLinkDocument, VoidLabelFullDocument } from './generated/operations';
import type { LabelDocumentFormat as FormatName, SignatureOption } from './generated/operations';
import { buyLabel, pickOrder, quoteOrder } from './support/labels';
import { acceptCurrentTerms } from './support/seller-flow';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

/**
 * Label documents end to end: a seller buys a label, mints a signed link with Label.document,
 * GETs the bytes, and independent tools read them back: poppler rasterizes the PDF and extracts
 * its text, zbar decodes the barcode (from the rasterized PDF and from the PNG), and a ZPL
 * structure check reads the ZPL. poppler-utils and zbar-tools come from Debian (`.ci/run`).
 */

let server: TestServer;
let seller: string;
let tmp: string;

beforeAll(async () => {
  server = await startTestServer();
  seller = server.tokens.seller[0];
  await acceptCurrentTerms(server, seller);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-label-docs-'));
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const used = new Set<string>();

/** An unused order of the first seller whose quote has `service` with `option`. */
async function orderFor(service: string, option: SignatureOption) {
  for (;;) {
    const order = await pickOrder(server, seller, { taken: used });
    const quote = await quoteOrder(server, seller, order.id);
    const fits = quote.rates.some(
      (r) =>
        r.service.code === service && r.options.some((o) => o.option === option && o.supported),
    );
    if (fits) return order;
  }
}

async function boughtLabel(service: string, signatureOption: SignatureOption) {
  const order = await orderFor(service, signatureOption);
  const { label } = await buyLabel(server, seller, { orderId: order.id, service, signatureOption });
  const m = server.db.manager;
  const row = await m.findOneByOrFail(Order, { id: fromGlobalId(order.id, 'Order')! });
  const shipTo = await m.findOneByOrFail(Address, { id: row.shipToAddressId });
  return { label, zip5: shipTo.postalCode.slice(0, 5) };
}

const mint = (labelId: string, format: FormatName, token: string | null = seller) =>
  server.gql(LabelDocumentLinkDocument, { id: labelId, format }, token);

async function linkFor(labelId: string, format: FormatName) {
  const res = await mint(labelId, format);
  expect(res.errors).toBeUndefined();
  const node = res.data?.node;
  if (!node || !('document' in node)) throw new Error(`no label: ${JSON.stringify(res)}`);
  return node.document;
}

/** GETs a link as a browser would: no token. */
const get = (url: string) => fetch(new URL(url, server.url));

async function download(labelId: string, format: FormatName) {
  const res = await get((await linkFor(labelId, format)).url);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** zbar's reading of the barcodes in an image (one line per symbol, data only). */
function zbar(pngFile: string): string[] {
  // stderr ignored: zbar complains about D-Bus where there is none.
  const out = execFileSync('zbarimg', ['--raw', '-q', pngFile], {
    encoding: 'latin1',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter(Boolean);
}

/** The PDF as poppler rasterizes it at the label printer's 203 dpi. */
function rasterize(pdfFile: string): string {
  const base = pdfFile.replace(/\.pdf$/, '-raster');
  execFileSync('pdftoppm', ['-r', '203', '-png', '-singlefile', pdfFile, base]);
  return `${base}.png`;
}

const pdfText = (pdfFile: string) =>
  execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });

/**
 * A structural check of ZPL II: one ^XA … ^XZ label, every field opened by ^FO and closed by
 * ^FS with at most one ^FD between, every ^BC barcode after a ^BY and carrying its data.
 * Returns the field data of each ^BC and the text fields.
 */
function parseZpl(zpl: string): { barcodes: string[]; texts: string[] } {
  const body = zpl.trim();
  expect(body.startsWith('^XA')).toBe(true);
  expect(body.endsWith('^XZ')).toBe(true);
  expect(body.match(/\^XA/g)).toHaveLength(1);
  expect(body.match(/\^XZ/g)).toHaveLength(1);
  const commands = body
    .slice(3, -3)
    .split('^')
    .map((c) => c.trim())
    .filter(Boolean);
  const known = /^(CI|PW|LL|LH|FO|A0|FR|FD|FS|GB|BY|BC)/;
  const barcodes: string[] = [];
  const texts: string[] = [];
  let open = false;
  let data: string | null = null;
  let barcode = false;
  let barWidthSet = false;
  for (const command of commands) {
    expect(command).toMatch(known);
    const code = command.slice(0, 2);
    if (code === 'FO') {
      expect(open).toBe(false);
      expect(command).toMatch(/^FO\d+,\d+$/);
      open = true;
      data = null;
      barcode = false;
    } else if (code === 'FD') {
      expect(open).toBe(true);
      expect(data).toBeNull();
      data = command.slice(2);
    } else if (code === 'FS') {
      expect(open).toBe(true);
      if (barcode) barcodes.push(data ?? '');
      else if (data !== null) texts.push(data);
      open = false;
    } else if (code === 'BY') {
      expect(command).toMatch(/^BY\d+,[\d.]+,\d+$/);
      barWidthSet = true;
    } else if (code === 'BC') {
      expect(open).toBe(true);
      expect(barWidthSet).toBe(true);
      expect(command).toMatch(/^BC[NRIB],\d+,[YN],[YN],[YN](,[NUAD])?$/);
      barcode = true;
    } else if (code === 'A0') {
      expect(command).toMatch(/^A0[NRIB],\d+,\d+$/);
    } else if (code === 'GB') {
      expect(command).toMatch(/^GB\d+,\d+,\d+(,[BW])?(,\d)?$/);
    }
  }
  expect(open).toBe(false);
  return { barcodes, texts };
}

describe('Label documents', () => {
  it('a USPS label with SIGNATURE_REQUIRED prints its IMpb barcode and the marking in every format', async () => {
    const { label, zip5 } = await boughtLabel('USPS_GROUND_ADVANTAGE', 'SIGNATURE_REQUIRED');
    const impb = `420${zip5}${label.trackingNumber}`;
    // GS1-128 readers give the element strings, separated by GS (FNC1) where one is variable.
    const plain = (s: string) => s.split(String.fromCharCode(0x1d)).join('').replace(/^\]C1/, '');

    const pdf = await download(label.id, 'PDF');
    expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = write('usps.pdf', pdf.bytes);
    expect(zbar(rasterize(pdfFile)).map(plain)).toEqual([impb]);
    const text = pdfText(pdfFile);
    expect(text).toContain('SIGNATURE REQUIRED');
    expect(text).not.toContain('ADULT');
    expect(text).toContain('USPS GROUND ADVANTAGE');

    const png = await download(label.id, 'PNG');
    expect(png.res.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(png.bytes);
    expect([image.width, image.height]).toEqual([812, 1218]);
    expect(zbar(write('usps.png', png.bytes)).map(plain)).toEqual([impb]);

    const zpl = await download(label.id, 'ZPL');
    expect(zpl.res.headers.get('content-type')).toMatch(/^text\/plain/);
    const parsed = parseZpl(zpl.bytes.toString('utf8'));
    expect(parsed.barcodes).toEqual([`>;>8420${zip5}>8${label.trackingNumber}`]);
    expect(parsed.texts).toContain('SIGNATURE REQUIRED');
  });

  it('a UPS label prints Code 128 of its 1Z number and the UPS signature marking', async () => {
    const { label } = await boughtLabel('UPS_GROUND', 'SIGNATURE_REQUIRED');
    expect(label.trackingNumber).toMatch(/^1Z/);

    const pdfFile = write('ups.pdf', (await download(label.id, 'PDF')).bytes);
    expect(zbar(rasterize(pdfFile))).toEqual([label.trackingNumber]);
    expect(pdfText(pdfFile)).toContain('DELIVERY CONFIRMATION SIGNATURE REQUIRED');

    expect(zbar(write('ups.png', (await download(label.id, 'PNG')).bytes))).toEqual([
      label.trackingNumber,
    ]);

    const parsed = parseZpl((await download(label.id, 'ZPL')).bytes.toString('utf8'));
    expect(parsed.barcodes).toEqual([`>:${label.trackingNumber}`]);
    expect(parsed.texts).toContain('DELIVERY CONFIRMATION SIGNATURE REQUIRED');
  });

  it('prints ADULT SIGNATURE REQUIRED for the adult option', async () => {
    const { label } = await boughtLabel('USPS_PRIORITY_MAIL', 'ADULT_SIGNATURE_REQUIRED');
    const pdfFile = write('adult.pdf', (await download(label.id, 'PDF')).bytes);
    expect(pdfText(pdfFile)).toContain('ADULT SIGNATURE REQUIRED');
  });

  it('renders nothing while buying, then stores the three documents when first asked for', async () => {
    const rendered = jest.spyOn(server.carriers, 'renderDocuments');
    try {
      const { label } = await boughtLabel('USPS_GROUND_ADVANTAGE', 'NONE');
      const labelId = fromGlobalId(label.id, 'Label')!;
      expect(rendered).not.toHaveBeenCalled();
      expect(await server.db.manager.count(LabelDocument, { where: { labelId } })).toBe(0);
      await linkFor(label.id, 'PNG');
      await linkFor(label.id, 'PDF');
      expect(rendered).toHaveBeenCalledTimes(1);
      const docs = await server.db.manager.find(LabelDocument, {
        where: { labelId },
        order: { format: 'ASC' },
      });
      expect(docs.map((d) => [d.format, d.contentType])).toEqual([
        [LabelDocumentFormat.PDF, 'application/pdf'],
        [LabelDocumentFormat.PNG, 'image/png'],
        [LabelDocumentFormat.ZPL, 'text/plain; charset=utf-8'],
      ]);
      expect(docs.every((d) => Buffer.isBuffer(d.bytes) && d.bytes.length > 500)).toBe(true);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('answers CARRIER_UNAVAILABLE when the documents do not come, and asks again next time', async () => {
    const { label } = await boughtLabel('USPS_GROUND_ADVANTAGE', 'NONE');
    jest
      .spyOn(server.carriers, 'renderDocuments')
      .mockRejectedValueOnce(new Error('documents unavailable'));
    try {
      const failed = await mint(label.id, 'PDF');
      expect(failed.errors?.[0]?.extensions?.code).toBe('CARRIER_UNAVAILABLE');
      const labelId = fromGlobalId(label.id, 'Label')!;
      expect(await server.db.manager.count(LabelDocument, { where: { labelId } })).toBe(0);
      expect((await download(label.id, 'PDF')).bytes.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      jest.restoreAllMocks();
    }
  });

  describe('links', () => {
    let label: { id: string; trackingNumber: string };
    let labelId: number;
    let sellerId: number;
    const secret = () => server.config.labelDocuments.secret;
    const nowS = () => Math.floor(Date.now() / 1000);

    beforeAll(async () => {
      ({ label } = await boughtLabel('USPS_GROUND_ADVANTAGE', 'NONE'));
      labelId = fromGlobalId(label.id, 'Label')!;
      sellerId = (await server.db.manager.findOneByOrFail(Label, { id: labelId })).sellerId;
    });

    it('expire after the configured time (300 s by default)', async () => {
      const before = Date.now();
      const link = await linkFor(label.id, 'PDF');
      const expiresAt = new Date(link.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 299_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    });

    it('are refused after they expire, even when the signature is good', async () => {
      const expired = documentLinkPath(secret(), {
        labelId,
        sellerId,
        format: LabelDocumentFormat.PDF,
        expires: nowS() - 1,
      });
      const res = await get(expired);
      expect(res.status).toBe(410);
      expect(await res.json()).toEqual({ error: 'LINK_EXPIRED' });
    });

    it('are refused with a tampered signature, seller, label, format or expiry', async () => {
      const { url } = await linkFor(label.id, 'PDF');
      const good = new URL(url, server.url);
      const sig = good.searchParams.get('sig')!;
      const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      const variants = [
        (u: URL) => u.searchParams.set('sig', flipped),
        (u: URL) => u.searchParams.set('seller', String(sellerId + 1)),
        (u: URL) => u.searchParams.set('expires', String(nowS() + 86_400)),
        (u: URL) => (u.pathname = u.pathname.replace(/\/pdf$/, '/png')),
        (u: URL) => (u.pathname = u.pathname.replace(`/${labelId}/`, `/${labelId + 1}/`)),
      ];
      for (const tamper of variants) {
        const bad = new URL(good);
        tamper(bad);
        const res = await get(bad.toString());
        expect([bad.toString(), res.status]).toEqual([bad.toString(), 403]);
        expect(await res.json()).toEqual({ error: 'INVALID_SIGNATURE' });
      }
      const signedElsewhere = documentLinkPath('not-our-secret', {
        labelId,
        sellerId,
        format: LabelDocumentFormat.PDF,
        expires: nowS() + 60,
      });
      expect((await get(signedElsewhere)).status).toBe(403);
      const malformed = await get(`/labels/documents/${labelId}/pdf?seller=x&expires=1&sig=y`);
      expect(malformed.status).toBe(400);
      expect((await get(url)).status).toBe(200);
    });

    it("serve only the seller's own label: a link naming another seller finds nothing", async () => {
      // Even a well-signed link binds the seller: it never serves another seller's label.
      const otherSeller = documentLinkPath(secret(), {
        labelId,
        sellerId: sellerId + 1,
        format: LabelDocumentFormat.PDF,
        expires: nowS() + 60,
      });
      expect((await get(otherSeller)).status).toBe(404);
      const noSuchLabel = documentLinkPath(secret(), {
        labelId: 999_999,
        sellerId,
        format: LabelDocumentFormat.PDF,
        expires: nowS() + 60,
      });
      expect((await get(noSuchLabel)).status).toBe(404);
    });

    it('are minted for no one but the label’s seller', async () => {
      // Another seller and a buyer cannot see the label, so get no link.
      for (const token of [server.tokens.seller[1], server.tokens.buyer[0]]) {
        const res = await mint(label.id, 'PDF', token);
        expect(res.errors).toBeUndefined();
        expect(res.data?.node).toBeNull();
      }
      // Platform staff see the label but do not print it.
      const admin = await mint(label.id, 'PDF', server.tokens.admin);
      expect(admin.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(admin.data?.node).toBeNull();
      // Without a token: nothing.
      const anonymous = await mint(label.id, 'PDF', null);
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('are refused for a voided label, and links minted before the void stop working', async () => {
      const { label: doomed } = await boughtLabel('USPS_GROUND_ADVANTAGE', 'NONE');
      const before = await linkFor(doomed.id, 'PNG');
      expect((await get(before.url)).status).toBe(200);
      const voided = await server.gql(
        VoidLabelFullDocument,
        { input: { labelId: doomed.id } },
        seller,
      );
      expect(voided.data?.voidLabel.userErrors).toEqual([]);

      const res = await mint(doomed.id, 'PDF');
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['LABEL_VOIDED']);
      const after = await get(before.url);
      expect(after.status).toBe(410);
      expect(await after.json()).toEqual({ error: 'LABEL_VOIDED' });
    });
  });
});

describe('Label document settings', () => {
  const production = {
    NODE_ENV: 'production',
    CARRIER_SECRET_UPS: 'ups',
    CARRIER_SECRET_USPS: 'usps',
  };

  it('require LABEL_DOCUMENT_SECRET in production, as the carrier secrets are', () => {
    expect(() => loadConfig(production)).toThrow(/LABEL_DOCUMENT_SECRET is required/);
    const config = loadConfig({ ...production, LABEL_DOCUMENT_SECRET: 'prod-secret' });
    expect(config.labelDocuments.secret).toBe('prod-secret');
  });

  it('take the link lifetime from LABEL_DOCUMENT_TTL_S (default 300 s, at most a day)', () => {
    expect(loadConfig({ NODE_ENV: 'test', COUNTERSIGN_DEV: 'on' }).labelDocuments.ttlSeconds).toBe(
      300,
    );
    expect(
      loadConfig({ NODE_ENV: 'test', COUNTERSIGN_DEV: 'on', LABEL_DOCUMENT_TTL_S: '60' })
        .labelDocuments.ttlSeconds,
    ).toBe(60);
    expect(() =>
      loadConfig({ NODE_ENV: 'test', COUNTERSIGN_DEV: 'on', LABEL_DOCUMENT_TTL_S: '0' }),
    ).toThrow(/LABEL_DOCUMENT_TTL_S/);
    expect(() =>
      loadConfig({ NODE_ENV: 'test', COUNTERSIGN_DEV: 'on', LABEL_DOCUMENT_TTL_S: '86401' }),
    ).toThrow(/LABEL_DOCUMENT_TTL_S/);
  });

  it('make links absolute to PUBLIC_BASE_URL when it is set', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      COUNTERSIGN_DEV: 'on',
      PUBLIC_BASE_URL: 'https://api.example.com/',
    });
    expect(config.labelDocuments.publicBaseUrl).toBe('https://api.example.com');
  });
});
