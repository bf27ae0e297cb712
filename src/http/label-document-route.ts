import express from 'express';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import {
  BATCH_DOCUMENT_ROUTE,
  DOCUMENT_ROUTE,
  verifyBatchLink,
  verifyDocumentLink,
} from '../services/label-document-links';
import type { Services } from '../services/services';

export interface DocumentRouteDeps {
  config: AppConfig;
  logger: Logger;
  services: Services;
}

const REFUSALS = {
  MALFORMED: [400, 'MALFORMED_LINK'],
  BAD_SIGNATURE: [403, 'INVALID_SIGNATURE'],
  EXPIRED: [410, 'LINK_EXPIRED'],
  LABEL_VOIDED: [410, 'LABEL_VOIDED'],
  NOT_FOUND: [404, 'NOT_FOUND'],
} as const;

/**
 * `GET /labels/documents/:labelId/:ext?seller=&expires=&sig=`: the bytes of a label document
 * behind a link minted by Label.document (see label-document-links.ts). No bearer token: the
 * signature is the authorization. Refusals are JSON with a code: 400 MALFORMED_LINK,
 * 403 INVALID_SIGNATURE (tampered or not ours), 410 LINK_EXPIRED, 410 LABEL_VOIDED, 404.
 */
type Refusal = keyof typeof REFUSALS;
interface ServedDocument {
  contentType: string;
  filename: string;
  bytes: Buffer;
}

export function labelDocumentRouter(deps: DocumentRouteDeps): express.Router {
  const { config, logger, services } = deps;
  const router = express.Router();
  const log = logger.child({ component: 'label-documents' });

  /** Both routes: verify the link, refuse with a code, or serve the bytes it grants. */
  function signedDocument<C extends object>(
    what: string,
    verify: (req: Request) => C | 'MALFORMED' | 'BAD_SIGNATURE',
    serve: (claims: C) => Promise<ServedDocument | Refusal>,
  ) {
    return async (req: Request, res: Response) => {
      res.set({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
      const refuse = (reason: Refusal) => {
        const [status, error] = REFUSALS[reason];
        res.status(status).json({ error });
      };
      const claims = verify(req);
      if (claims === 'MALFORMED' || claims === 'BAD_SIGNATURE') {
        if (claims === 'BAD_SIGNATURE') {
          log.warn(`${what} link refused`, { reason: claims, requestId: String(req.id) });
        }
        return refuse(claims);
      }
      const served = await serve(claims);
      if (typeof served === 'string') return refuse(served);
      res
        .status(200)
        .set({
          'Content-Type': served.contentType,
          'Content-Length': String(served.bytes.length),
          'Content-Disposition': `inline; filename="${served.filename}"`,
        })
        .end(served.bytes);
    };
  }

  router.get(
    `${DOCUMENT_ROUTE}/:labelId/:ext`,
    signedDocument(
      'label document',
      (req) =>
        verifyDocumentLink(config.labelDocuments.secret, {
          labelId: req.params.labelId,
          ext: req.params.ext,
          seller: req.query.seller,
          expires: req.query.expires,
          sig: req.query.sig,
        }),
      (claims) => services.labelDocuments.serve(claims),
    ),
  );

  // A batch's merged PDF (LabelBatch.mergedDocument): the same refusals.
  router.get(
    `${BATCH_DOCUMENT_ROUTE}/:batchId/pdf`,
    signedDocument(
      'batch document',
      (req) =>
        verifyBatchLink(config.labelDocuments.secret, {
          batchId: req.params.batchId,
          seller: req.query.seller,
          expires: req.query.expires,
          sig: req.query.sig,
        }),
      (claims) => services.labelBatches.serveMerged(claims),
    ),
  );
  return router;
}
