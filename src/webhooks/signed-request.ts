import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../config/logger';
import { SIGNATURE_HEADER, parseSignatureHeader, verifySignature } from './signature';
import type { Verification } from './signature';

export type SignedRequestCheck =
  | { ok: true; rawBody: Buffer }
  | { ok: false; status: 400 | 401; error: string; verdict?: Verification };

/**
 * The checks every signed webhook makes before anything reads its body, in one order: a
 * well-formed `Countersign-Signature` header (400 INVALID_SIGNATURE_HEADER), a body (400
 * MISSING_BODY), then HMAC-SHA256 over `timestamp.body` against each current secret within the
 * replay window (401 INVALID_SIGNATURE; stale and mismatched look the same to the caller).
 * The body must be the raw bytes (express.raw): a re-serialized body would not verify.
 */
export function checkSignedRequest(req: Request, secrets: readonly string[]): SignedRequestCheck {
  const header = req.get(SIGNATURE_HEADER);
  if (!parseSignatureHeader(header)) {
    return { ok: false, status: 400, error: 'INVALID_SIGNATURE_HEADER' };
  }
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    return { ok: false, status: 400, error: 'MISSING_BODY' };
  }
  const verdict = verifySignature({ header, rawBody: raw, secrets });
  if (verdict !== 'OK') return { ok: false, status: 401, error: 'INVALID_SIGNATURE', verdict };
  return { ok: true, rawBody: raw };
}

/** Body-parser refusals (too large, bad encoding) and unexpected failures, as JSON without detail. */
export function webhookErrorHandler(log: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (status === 413) {
      res.status(413).json({ error: 'PAYLOAD_TOO_LARGE' });
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(400).json({ error: 'INVALID_BODY' });
    } else {
      log.error('webhook failed', {
        error: error instanceof Error ? error.stack : String(error),
      });
      res.status(500).json({ error: 'INTERNAL' });
    }
  };
}
