import http from 'node:http';
import pg from 'pg';
import './peer-graphql15';
import { makeJSONPgSmartTagsPlugin, postgraphile } from 'postgraphile';
import { hashToken } from '../src/auth/token-hash';

/**
 * The peer: PostGraphile v4 over the bench's PostgreSQL data (benchmark only). What it needs that
 * the product's tables do not say themselves:
 * - smart tags (https://www.graphile.org/postgraphile/smart-tags/) for the relations that have no
 *   foreign key to orders: risk assessments, labels and shipments;
 * - small SQL functions (https://www.graphile.org/postgraphile/computed-columns/): money amounts
 *   as decimal strings, the signature text, and `viewer_orders()`, the orders of the seller whose
 *   token hash the request carries (PostGraphile's `pgSettings`, set per transaction), newest first.
 * bench/peer-query.ts asks for what W1 asks; the bench checks it returns the same orders and values.
 */

const FUNCTIONS = `
CREATE OR REPLACE FUNCTION bench_money(minor integer) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT (minor / 100)::text || '.' || lpad((minor % 100)::text, 2, '0') $$;
CREATE OR REPLACE FUNCTION orders_total_amount(o orders) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT bench_money(o."totalMinor") $$;
CREATE OR REPLACE FUNCTION line_items_unit_price_amount(li line_items) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT bench_money(li."unitPriceMinor") $$;
CREATE OR REPLACE FUNCTION labels_total_amount(l labels) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT bench_money(l."totalMinor") $$;
CREATE OR REPLACE FUNCTION shipments_signature_requirement_text(s shipments) RETURNS text
  LANGUAGE sql STABLE AS $$
    SELECT CASE s."signatureRequirement"
      WHEN 'SIGNATURE_REQUIRED' THEN 'Signature Required'
      WHEN 'ADULT_SIGNATURE_REQUIRED' THEN 'Adult Signature Required (21+)' END $$;
CREATE OR REPLACE FUNCTION viewer_orders() RETURNS SETOF orders
  LANGUAGE sql STABLE AS $$
    SELECT o.* FROM orders o
    WHERE o."sellerId" = (
      SELECT t."sellerId" FROM api_tokens t
      WHERE t."tokenHash" = current_setting('bench.token_hash', true)
        AND t."revokedAt" IS NULL AND t.role = 'SELLER')
    ORDER BY o."placedAt" DESC, o.id DESC $$;
`;

const TAGS = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: {
    class: {
      risk_assessments: { tags: { foreignKey: '("orderId") references orders (id)' } },
      labels: { tags: { foreignKey: '("orderId") references orders (id)' } },
      shipments: { tags: { foreignKey: '("orderId") references orders (id)' } },
    },
  },
});

/** Creates the functions, then serves PostGraphile at /graphql on the returned server. */
export async function startPeer(databaseUrl: string): Promise<{ server: http.Server }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(FUNCTIONS);
  const middleware = postgraphile(pool, 'public', {
    appendPlugins: [TAGS],
    disableDefaultMutations: true,
    disableQueryLog: true,
    graphiql: false,
    retryOnInitFail: false,
    setofFunctionsContainNulls: false,
    pgSettings: (req) => {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
      return { 'bench.token_hash': hashToken(token) };
    },
  });
  const server = http.createServer(middleware);
  server.keepAliveTimeout = 30_000;
  return { server };
}
