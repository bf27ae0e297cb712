import {
  computeSignature,
  parseSignatureHeader,
  signatureHeader,
  verifySignature,
} from '../src/webhooks/signature';

const body = Buffer.from('{"eventId":"e1","status":"IN_TRANSIT"}');
const now = 1_800_000_000;

describe('webhook signature verification', () => {
  it('accepts a body signed with the secret within the tolerance', () => {
    const header = signatureHeader('s3cret', body, now - 299);
    expect(verifySignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
      'OK',
    );
  });

  it('refuses a signature made with another secret', () => {
    const header = signatureHeader('other', body, now);
    expect(verifySignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
      'MISMATCH',
    );
  });

  it('refuses a timestamp more than 300 seconds away, in either direction', () => {
    for (const t of [now - 301, now + 301]) {
      const header = signatureHeader('s3cret', body, t);
      expect(verifySignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
        'STALE',
      );
    }
  });

  it('accepts either secret during a rotation', () => {
    for (const secret of ['new', 'old']) {
      const header = signatureHeader(secret, body, now);
      expect(
        verifySignature({ header, rawBody: body, secrets: ['new', 'old'], nowSeconds: now }),
      ).toBe('OK');
    }
  });

  it('accepts a header carrying several v1 signatures when one of them is valid', () => {
    const header = `t=${now},v1=${'0'.repeat(64)},v1=${computeSignature('s3cret', now, body)}`;
    expect(verifySignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
      'OK',
    );
  });

  it('refuses a body changed after signing by a single byte', () => {
    const header = signatureHeader('s3cret', body, now);
    const changed = Buffer.from(body.toString().replace('e1', 'e2'));
    expect(
      verifySignature({ header, rawBody: changed, secrets: ['s3cret'], nowSeconds: now }),
    ).toBe('MISMATCH');
  });

  it.each([
    ['it is missing', undefined],
    ['it is empty', ''],
    ['it has no timestamp', `v1=${'a'.repeat(64)}`],
    ['it has no v1', `t=${now}`],
    ['it has only another scheme', `t=${now},v0=${'a'.repeat(64)}`],
    ['its digest is short', `t=${now},v1=abc`],
    ['its timestamp is not a number', `t=soon,v1=${'a'.repeat(64)}`],
    ['it has two timestamps', `t=${now},t=${now},v1=${'a'.repeat(64)}`],
    ['it is something else entirely', 'Bearer abc'],
  ])('treats the header as malformed when %s', (_name, header) => {
    expect(parseSignatureHeader(header)).toBeNull();
    expect(verifySignature({ header, rawBody: body, secrets: ['s3cret'], nowSeconds: now })).toBe(
      'MALFORMED',
    );
  });
});
