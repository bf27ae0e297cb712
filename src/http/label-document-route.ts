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
export function labelDocumentRouter(deps: DocumentRouteDeps): express.Router {
  const { config, logger, services } = deps;
  const router = express.Router();
  const log = logger.child({ component: 'label-documents' });

  router.get(`${DOCUMENT_ROUTE}/:labelId/:ext`, async (req: Request, res: Response) => {
    res.set({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
    const refuse = (reason: keyof typeof REFUSALS) => {
      const [status, error] = REFUSALS[reason];
      res.status(status).json({ error });
    };
    const claims = verifyDocumentLink(config.labelDocuments.secret, {
      labelId: req.params.labelId,
      ext: req.params.ext,
      seller: req.query.seller,
      expires: req.query.expires,
      sig: req.query.sig,
    });
    if (claims === 'MALFORMED' || claims === 'BAD_SIGNATURE') {
      if (claims === 'BAD_SIGNATURE') log.warn('label document link refused', { reason: claims });
      return refuse(claims);
    }
    const served = await services.labelDocuments.serve(claims);
    if (typeof served === 'string') return refuse(served);
    res
      .status(200)
      .set({
        'Content-Type': served.contentType,
        'Content-Length': String(served.bytes.length),
        'Content-Disposition': `inline; filename="${served.filename}"`,
      })
      .end(served.bytes);
  });

  // A batch's merged PDF (LabelBatch.mergedDocument): the same refusals.
  router.get(`${BATCH_DOCUMENT_ROUTE}/:batchId/pdf`, async (req: Request, res: Response) => {
    res.set({ 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' });
    const refuse = (reason: keyof typeof REFUSALS) => {
      const [status, error] = REFUSALS[reason];
      res.status(status).json({ error });
    };
    const claims = verifyBatchLink(config.labelDocuments.secret, {
      batchId: req.params.batchId,
      seller: req.query.seller,
      expires: req.query.expires,
      sig: req.query.sig,
    });
    if (claims === 'MALFORMED' || claims === 'BAD_SIGNATURE') {
      if (claims === 'BAD_SIGNATURE') log.warn('batch document link refused', { reason: claims });
      return refuse(claims);
    }
    const served = await services.labelBatches.serveMerged(claims);
    if (typeof served === 'string') return refuse(served);
    res
      .status(200)
      .set({
        'Content-Type': served.contentType,
        'Content-Length': String(served.bytes.length),
        'Content-Disposition': `inline; filename="${served.filename}"`,
      })
      .end(served.bytes);
  });
  return router;
}
