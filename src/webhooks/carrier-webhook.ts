import express from 'express';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import { Carrier } from '../entities/enums';
import type { Services } from '../services/services';
import { parseCarrierEvent } from './carrier-event';
import { checkSignedRequest, webhookErrorHandler } from './signed-request';

export interface WebhookDeps {
  config: AppConfig;
  logger: Logger;
  services: Services;
}

export const WEBHOOK_BODY_LIMIT = '256kb';

function carrierOf(param: unknown): Carrier | null {
  const upper = typeof param === 'string' ? param.toUpperCase() : '';
  return upper === Carrier.UPS || upper === Carrier.USPS ? upper : null;
}

/**
 * `POST /webhooks/carriers/:carrier`: signed tracking events from UPS and USPS. The raw body is
 * verified before anything reads it; the event is applied in one transaction and answered at
 * once (subscribers are told after the commit). Refusals carry a code and nothing else.
 */
export function carrierWebhookRouter(deps: WebhookDeps): express.Router {
  const { config, logger, services } = deps;
  const router = express.Router();
  const log = logger.child({ component: 'carrier-webhook' });

  router.post(
    '/webhooks/carriers/:carrier',
    (req, res, next) => {
      if (carrierOf(req.params.carrier)) return next();
      res.status(404).json({ error: 'UNKNOWN_CARRIER' });
    },
    express.raw({ type: '*/*', limit: WEBHOOK_BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const carrier = carrierOf(req.params.carrier) as Carrier;
      const signed = checkSignedRequest(req, config.carrierSecrets[carrier]);
      if (!signed.ok) {
        // The log keeps why a signature was refused; the caller sees the code only.
        if (signed.verdict)
          log.warn('webhook signature refused', {
            carrier,
            reason: signed.verdict,
            requestId: String(req.id),
          });
        res.status(signed.status).json({ error: signed.error });
        return;
      }
      const raw = signed.rawBody;
      const parsed = parseCarrierEvent(raw);
      if (!parsed.ok) {
        res
          .status(400)
          .json({ error: parsed.error, ...(parsed.field ? { field: parsed.field } : {}) });
        return;
      }
      const result = await services.tracking.applyCarrierEvent(carrier, parsed.event);
      log.info('carrier event', {
        requestId: String(req.id),
        carrier,
        eventId: parsed.event.eventId,
        outcome: result.outcome,
      });
      switch (result.outcome) {
        case 'UNKNOWN_TRACKING_NUMBER':
          res.status(404).json({ error: 'UNKNOWN_TRACKING_NUMBER' });
          return;
        case 'DUPLICATE':
          res.status(200).json({ received: true, duplicate: true });
          return;
        default:
          res.status(200).json({
            received: true,
            duplicate: false,
            applied: result.outcome === 'APPLIED',
            status: result.status,
          });
      }
    },
  );

  // Body-parser refusals (too large, bad encoding) and unexpected failures, as JSON without detail.
  router.use('/webhooks/carriers', webhookErrorHandler(log));
  return router;
}
