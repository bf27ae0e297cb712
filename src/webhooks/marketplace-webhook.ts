import express from 'express';
import type { Request, Response } from 'express';
import { toGlobalId } from '../core/global-id';
import { UserInputError } from '../core/user-error';
import type { ImportOrderResult } from '../services/intake/order-import.service';
import type { WebhookDeps } from './carrier-webhook';
import { checkSignedRequest, webhookErrorHandler } from './signed-request';

/** 100 orders with two addresses and a few lines each, with room to spare. */
export const MARKETPLACE_BODY_LIMIT = '1mb';

export const MARKETPLACE_ORDERS_PATH = '/webhooks/marketplace/orders';

/** One order's result as JSON: the mutation's shape, the order by its global id. */
function resultJson(r: ImportOrderResult) {
  return {
    index: r.index,
    outcome: r.outcome,
    order: r.order
      ? {
          id: toGlobalId('Order', r.order.id),
          number: r.order.number,
          externalId: r.order.externalId,
          status: r.order.status,
        }
      : null,
    userErrors: r.userErrors,
  };
}

/**
 * `POST /webhooks/marketplace/orders`: the importOrders mutation as a signed push, for
 * marketplaces that send order events (body `{ "source": …, "orders": [ … ] }`). Signed and
 * verified as the carrier webhook is (same header, HMAC over `timestamp.body`, replay window,
 * two secrets during a rotation) with its own secret; the orders are imported for any seller,
 * as a PLATFORM token would. Off (503 WEBHOOK_DISABLED) while MARKETPLACE_WEBHOOK_SECRET is
 * unset.
 */
export function marketplaceWebhookRouter(deps: WebhookDeps): express.Router {
  const { config, logger, services } = deps;
  const router = express.Router();
  const log = logger.child({ component: 'marketplace-webhook' });

  router.post(
    MARKETPLACE_ORDERS_PATH,
    (_req, res, next) => {
      if (config.marketplaceSecrets.length > 0) return next();
      res.status(503).json({ error: 'WEBHOOK_DISABLED' });
    },
    express.raw({ type: '*/*', limit: MARKETPLACE_BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const signed = checkSignedRequest(req, config.marketplaceSecrets);
      if (!signed.ok) {
        if (signed.verdict) {
          log.warn('webhook signature refused', {
            reason: signed.verdict,
            requestId: String(req.id),
          });
        }
        res.status(signed.status).json({ error: signed.error });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(signed.rawBody.toString('utf8'));
      } catch {
        res.status(400).json({ error: 'INVALID_JSON' });
        return;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        res.status(400).json({ error: 'INVALID_BODY' });
        return;
      }
      const { source, orders } = body as { source?: unknown; orders?: unknown };
      try {
        const results = await services.orderImport.importAs({ sellerId: null }, { source, orders });
        log.info('marketplace orders', {
          requestId: String(req.id),
          source,
          orders: results.length,
          rejected: results.filter((r) => r.userErrors.length > 0).length,
        });
        res.status(200).json({ results: results.map(resultJson), userErrors: [] });
      } catch (error) {
        // The whole push refused (bad source, not 1 to 100 orders): nothing was written.
        if (!(error instanceof UserInputError)) throw error;
        res.status(422).json({ results: [], userErrors: error.errors });
      }
    },
  );

  router.use(MARKETPLACE_ORDERS_PATH, webhookErrorHandler(log));
  return router;
}
