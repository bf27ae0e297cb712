import { randomBytes } from 'node:crypto';
import { toGlobalId } from '../src/core/global-id';
import type { ClientInput } from './client';
import { runHttp } from './http-load';
import type { HttpPhase, HttpResult } from './http-load';
import {
  W2_CREATE_LABEL_QUOTE,
  W3_ACCEPT_TERMS,
  W3_PURCHASE_LABEL,
  W3_SIGNATURE_TERMS,
} from './operations';
import { post } from './requests';

interface QuoteResponse {
  data?: {
    createLabelQuote?: {
      quote: {
        id: string;
        recommendedSignature: string;
        rates: {
          id: string;
          eligible: boolean;
          options: { option: string; supported: boolean }[];
        }[];
      } | null;
      userErrors: { code: string; message: string }[];
    };
  };
  errors?: { message: string }[];
}

interface PurchaseResponse {
  data?: { purchaseLabel?: { label: { id: string } | null; userErrors: { code: string }[] } };
  errors?: { message: string }[];
}

/** What W3 buys for one order: the freshest quote W2 made for it. */
interface Purchase {
  token: string;
  quoteId: string;
  rateId: string;
  signatureOption: string;
}

export interface LabelResults {
  w2: HttpResult;
  w3: HttpResult;
  /** W2 answers without a quote, and W3 answers without a label (user or top-level errors). */
  w2Failures: number;
  w3Failures: number;
  failureSamples: string[];
  /** Fresh orders that had a quote when W3 started (W3 cannot run past them). */
  w3Pool: number;
}

/**
 * A signature on every purchase, so the terms check, the fee and the recorded decision are all on
 * the measured path: the recommended option where the rate carries it, else SIGNATURE_REQUIRED.
 */
function choosePurchase(
  quote: NonNullable<NonNullable<QuoteResponse['data']>['createLabelQuote']>['quote'],
) {
  if (!quote) return null;
  const wanted =
    quote.recommendedSignature === 'NONE' ? 'SIGNATURE_REQUIRED' : quote.recommendedSignature;
  for (const option of [wanted, 'SIGNATURE_REQUIRED']) {
    // Only a service that may carry the order's goods (no USPS for wine, no Media Mail for a laptop).
    const rate = quote.rates.find(
      (r) => r.eligible && r.options.some((o) => o.option === option && o.supported),
    );
    if (rate) return { quoteId: quote.id, rateId: rate.id, signatureOption: option };
  }
  return null;
}

/**
 * W2 quotes the pool sellers' fresh orders round-robin, keeping each order's latest quote;
 * W3 then buys one label per quoted order (each order once, unique idempotency keys), after every
 * pool seller has accepted the signature terms.
 */
export async function runLabelWorkloads(
  input: ClientInput,
  productUrl: string,
  log: (line: string) => void,
): Promise<LabelResults> {
  const { settings } = input;
  const orders = input.manifest.poolSellers.flatMap((seller) =>
    seller.orderIds.map((id) => ({ token: seller.token, orderId: toGlobalId('Order', id) })),
  );
  // Interleave sellers, so concurrent requests are not all one seller's.
  orders.sort((a, b) => a.orderId.localeCompare(b.orderId));
  const quoted = new Map<string, Purchase>();
  const failureSamples: string[] = [];
  let w2Failures = 0;
  let nextOrder = 0;

  const w2: HttpPhase = {
    name: 'W2-createLabelQuote',
    url: productUrl,
    request: {
      method: 'POST',
      setupRequest: (request, context) => {
        const order = orders[nextOrder++ % orders.length];
        context.order = order;
        return {
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${order.token}` },
          body: JSON.stringify({
            query: W2_CREATE_LABEL_QUOTE,
            variables: { input: { orderId: order.orderId } },
          }),
        };
      },
      onResponse: (_status, body, context) => {
        const order = context.order as { token: string; orderId: string };
        const parsed = JSON.parse(body) as QuoteResponse;
        const choice = choosePurchase(parsed.data?.createLabelQuote?.quote ?? null);
        if (!choice) {
          w2Failures += 1;
          if (failureSamples.length < 5) failureSamples.push(`W2: ${body.slice(0, 300)}`);
          return;
        }
        quoted.set(order.orderId, { token: order.token, ...choice });
      },
    },
  };
  log('HTTP W2-createLabelQuote');
  const w2Result = await runHttp(w2, settings);

  // Terms first: a purchase with a signature before accepting them is refused (by design).
  const termsBody = await post(productUrl, { query: W3_SIGNATURE_TERMS }, orders[0].token);
  const version = (JSON.parse(termsBody) as { data?: { signatureTerms?: { version: string } } })
    .data?.signatureTerms?.version;
  if (!version) throw new Error(`signatureTerms answered ${termsBody.slice(0, 300)}`);
  for (const seller of input.manifest.poolSellers) {
    await post(
      productUrl,
      { query: W3_ACCEPT_TERMS, variables: { input: { version } } },
      seller.token,
    );
  }

  const pool = [...quoted.values()];
  const run = randomBytes(4).toString('hex');
  let nextPurchase = 0;
  let w3Failures = 0;
  const w3: HttpPhase = {
    name: 'W3-purchaseLabel',
    url: productUrl,
    amount: Math.max(settings.connections, pool.length - 200),
    request: {
      method: 'POST',
      setupRequest: (request) => {
        const n = nextPurchase++;
        const p = pool[n % pool.length];
        return {
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
          body: JSON.stringify({
            query: W3_PURCHASE_LABEL,
            variables: {
              input: {
                quoteId: p.quoteId,
                rateId: p.rateId,
                signatureOption: p.signatureOption,
                idempotencyKey: `bench-${run}-${n}`,
              },
            },
          }),
        };
      },
      onResponse: (_status, body) => {
        const parsed = JSON.parse(body) as PurchaseResponse;
        if (!parsed.data?.purchaseLabel?.label) {
          w3Failures += 1;
          if (failureSamples.length < 10) failureSamples.push(`W3: ${body.slice(0, 300)}`);
        }
      },
    },
  };
  log(`HTTP W3-purchaseLabel (${pool.length} quoted orders)`);
  // The warm-up buys labels too: up to 200 orders, kept out of the measured run's amount.
  const w3Result = await runHttp(w3, settings, 200);
  return {
    w2: w2Result,
    w3: w3Result,
    w2Failures,
    w3Failures,
    failureSamples,
    w3Pool: pool.length,
  };
}
