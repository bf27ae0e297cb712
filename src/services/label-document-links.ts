import { createHmac, timingSafeEqual } from 'node:crypto';
import { LabelDocumentFormat } from '../entities/enums';

/**
 * Short-lived signed links to a label's documents. A link is a bearer capability: whoever holds
 * it may fetch the bytes until it expires, without a token (a browser tab, a print dialog or a
 * label printer cannot send one). It binds the label, the seller it was minted for and the
 * format, and the route serves only a label of that seller; the signature is HMAC-SHA256 over
 * all of it with LABEL_DOCUMENT_SECRET.
 */
export interface DocumentLinkClaims {
  labelId: number;
  sellerId: number;
  format: LabelDocumentFormat;
  /** Unix seconds after which the link is refused. */
  expires: number;
}

export const DOCUMENT_ROUTE = '/labels/documents';

/** Path segment of each format (`/labels/documents/12/pdf`). */
export const FORMAT_EXTENSIONS: Record<LabelDocumentFormat, string> = {
  [LabelDocumentFormat.PDF]: 'pdf',
  [LabelDocumentFormat.PNG]: 'png',
  [LabelDocumentFormat.ZPL]: 'zpl',
};

export const CONTENT_TYPES: Record<LabelDocumentFormat, string> = {
  [LabelDocumentFormat.PDF]: 'application/pdf',
  [LabelDocumentFormat.PNG]: 'image/png',
  // No registered type; printers take it raw, browsers show it as text.
  [LabelDocumentFormat.ZPL]: 'text/plain; charset=utf-8',
};

const signedString = (c: DocumentLinkClaims) =>
  `label-document.v1|${c.labelId}|${c.sellerId}|${c.format}|${c.expires}`;

export function signDocumentLink(secret: string, claims: DocumentLinkClaims): string {
  return createHmac('sha256', secret).update(signedString(claims)).digest('base64url');
}

/** The link's path and query (no origin). */
export function documentLinkPath(secret: string, claims: DocumentLinkClaims): string {
  const query = new URLSearchParams({
    seller: String(claims.sellerId),
    expires: String(claims.expires),
    sig: signDocumentLink(secret, claims),
  });
  return `${DOCUMENT_ROUTE}/${claims.labelId}/${FORMAT_EXTENSIONS[claims.format]}?${query}`;
}

const WHOLE = /^[1-9]\d{0,15}$/;

/**
 * The claims of a link whose signature is ours, or why not: MALFORMED (a part missing or out of
 * shape) or BAD_SIGNATURE. Expiry is the caller's check (it owns the clock).
 */
export function verifyDocumentLink(
  secret: string,
  parts: { labelId: unknown; ext: unknown; seller: unknown; expires: unknown; sig: unknown },
): DocumentLinkClaims | 'MALFORMED' | 'BAD_SIGNATURE' {
  const { labelId, ext, seller, expires, sig } = parts;
  const format = (Object.keys(FORMAT_EXTENSIONS) as LabelDocumentFormat[]).find(
    (f) => FORMAT_EXTENSIONS[f] === ext,
  );
  if (
    !format ||
    typeof labelId !== 'string' ||
    !WHOLE.test(labelId) ||
    typeof seller !== 'string' ||
    !WHOLE.test(seller) ||
    typeof expires !== 'string' ||
    !WHOLE.test(expires) ||
    typeof sig !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(sig)
  ) {
    return 'MALFORMED';
  }
  const claims = {
    labelId: Number(labelId),
    sellerId: Number(seller),
    format,
    expires: Number(expires),
  };
  const expected = Buffer.from(signDocumentLink(secret, claims));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? claims
    : 'BAD_SIGNATURE';
}

/**
 * A link to a batch's merged PDF: the same scheme (and secret) as a label's, over the batch and
 * its seller, with its own prefix in the signed string so one kind never passes for the other.
 */
export interface BatchLinkClaims {
  batchId: number;
  sellerId: number;
  expires: number;
}

export const BATCH_DOCUMENT_ROUTE = '/labels/batches';

const signedBatchString = (c: BatchLinkClaims) =>
  `label-batch.v1|${c.batchId}|${c.sellerId}|pdf|${c.expires}`;

const signBatchLink = (secret: string, claims: BatchLinkClaims) =>
  createHmac('sha256', secret).update(signedBatchString(claims)).digest('base64url');

/** `/labels/batches/<id>/pdf?seller=&expires=&sig=`. */
export function batchLinkPath(secret: string, claims: BatchLinkClaims): string {
  const query = new URLSearchParams({
    seller: String(claims.sellerId),
    expires: String(claims.expires),
    sig: signBatchLink(secret, claims),
  });
  return `${BATCH_DOCUMENT_ROUTE}/${claims.batchId}/pdf?${query}`;
}

/** The claims of a batch link whose signature is ours, or why not (expiry: the caller's). */
export function verifyBatchLink(
  secret: string,
  parts: { batchId: unknown; seller: unknown; expires: unknown; sig: unknown },
): BatchLinkClaims | 'MALFORMED' | 'BAD_SIGNATURE' {
  const { batchId, seller, expires, sig } = parts;
  if (
    typeof batchId !== 'string' ||
    !WHOLE.test(batchId) ||
    typeof seller !== 'string' ||
    !WHOLE.test(seller) ||
    typeof expires !== 'string' ||
    !WHOLE.test(expires) ||
    typeof sig !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(sig)
  ) {
    return 'MALFORMED';
  }
  const claims = { batchId: Number(batchId), sellerId: Number(seller), expires: Number(expires) };
  const expected = Buffer.from(signBatchLink(secret, claims));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? claims
    : 'BAD_SIGNATURE';
}
