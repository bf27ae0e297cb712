import type http from 'node:http';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { hashToken } from '../src/auth/token-hash';
import { readBody } from './bare-graphql';

/**
 * The floor: W1's whole answer (the seller's page of orders with items, buyer, ship-to, current
 * risk assessment, live label and latest shipment, global ids, money strings and the end cursor)
 * built by ONE hand-written SQL statement, token lookup included, on the database driver itself,
 * and written out as the string the database returns. Nothing a GraphQL server does can cost
 * less per request; the bench checks its answer equals the product's.
 */

export type Dialect = 'sqlite' | 'postgres';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * SQLite has no base64: base64url of the ASCII text `s` (at most `maxLength` characters) spelled
 * out three bytes → four characters at a time, without padding (as Buffer's 'base64url').
 */
function sqliteB64url(s: string, maxLength: number): string {
  const byte = (i: number) => `unicode(substr(${s}, ${i}, 1))`;
  const char = (index: string) => `substr('${B64URL}', (${index}) + 1, 1)`;
  const groups: string[] = [];
  for (let i = 1; i <= maxLength; i += 3) {
    const [b0, b1, b2] = [byte(i), byte(i + 1), byte(i + 2)];
    const c0 = char(`${b0} >> 2`);
    const c1 = char(`((${b0} & 3) << 4) | (coalesce(${b1}, 0) >> 4)`);
    const c2 = `CASE WHEN ${b1} IS NULL THEN '' ELSE ${char(`((${b1} & 15) << 2) | (coalesce(${b2}, 0) >> 6)`)} END`;
    const c3 = `CASE WHEN ${b2} IS NULL THEN '' ELSE ${char(`${b2} & 63`)} END`;
    groups.push(`CASE WHEN length(${s}) < ${i} THEN '' ELSE ${c0} || ${c1} || ${c2} || ${c3} END`);
  }
  return groups.join(' || ');
}

/** base64url of every string of `width` digits, in numeric order (a lookup by slicing). */
const digitTable = (width: number) =>
  Array.from({ length: 10 ** width }, (_, n) =>
    Buffer.from(String(n).padStart(width, '0')).toString('base64url'),
  ).join('');

/**
 * base64url of a positive integer's decimal digits: three digits make four characters, so each
 * group is a slice of a 4,000-character table; one or two digits left over, of smaller ones.
 */
function sqliteDigitsB64url(id: string): string {
  const s = `CAST(${id} AS TEXT)`;
  const group = (start: number, width: number) => {
    const per = width === 3 ? 4 : width + 1;
    return `substr('${digitTable(width)}', CAST(substr(${s}, ${start}, ${width}) AS INTEGER) * ${per} + 1, ${per})`;
  };
  const cases: string[] = [];
  for (let length = 1; length <= 10; length++) {
    const parts: string[] = [];
    let start = 1;
    for (; start + 2 <= length; start += 3) parts.push(group(start, 3));
    if (start <= length) parts.push(group(start, length - start + 1));
    cases.push(`WHEN ${length} THEN ${parts.join(' || ')}`);
  }
  return `(CASE length(${s}) ${cases.join(' ')} END)`;
}

/** Per dialect: base64url, money strings, JSON builders and booleans. */
const DIALECTS = {
  sqlite: {
    param: (n: number) => `?${n}`,
    /** `Type:<id>`: every prefix we use is a multiple of three bytes, so it encodes on its own. */
    globalId: (type: string, id: string) =>
      `'${Buffer.from(`${type}:`).toString('base64url')}' || ${sqliteDigitsB64url(id)}`,
    cursor: (at: string, id: string) =>
      `(SELECT ${sqliteB64url('s', 36)} FROM (SELECT ${at} || '|' || ${id} AS s))`,
    money: (minor: string) => `printf('%d.%02d', ${minor} / 100, ${minor} % 100)`,
    object: 'json_object',
    /** A JSON value from a subquery (SQLite drops the JSON subtype across subqueries). */
    nested: (subquery: string) => `json((${subquery}))`,
    array: (element: string, from: string, order: string) =>
      `json((SELECT coalesce(json_group_array(json(${element})), '[]') FROM (SELECT * FROM ${from} AS y ORDER BY y."${order}") AS x))`,
    bool: (column: string) => `json(CASE WHEN ${column} THEN 'true' ELSE 'false' END)`,
    isTrue: '1',
    reasons: (column: string) =>
      `json((SELECT coalesce(json_group_array(json_object('code', json_extract(j.value, '$.code'), 'message', json_extract(j.value, '$.message'), 'weight', json_extract(j.value, '$.weight'))), '[]') FROM json_each(${column}) AS j))`,
  },
  postgres: {
    param: (n: number) => `$${n}`,
    /** Digits encode without '+' or '/', so only the padding goes. */
    globalId: (type: string, id: string) =>
      `'${Buffer.from(`${type}:`).toString('base64url')}' || rtrim(encode(${id}::text::bytea, 'base64'), '=')`,
    cursor: (at: string, id: string) =>
      `translate(encode(convert_to(${at} || '|' || ${id}, 'UTF8'), 'base64'), '+/=', '-_')`,
    money: (minor: string) =>
      `(${minor} / 100)::text || '.' || lpad((${minor} % 100)::text, 2, '0')`,
    object: 'json_build_object',
    nested: (subquery: string) => `(${subquery})`,
    array: (element: string, from: string, order: string) =>
      `coalesce((SELECT json_agg(${element} ORDER BY x."${order}") FROM ${from} AS x), '[]'::json)`,
    bool: (column: string) => column,
    isTrue: 'true',
    reasons: (column: string) =>
      `coalesce((SELECT json_agg(json_build_object('code', j->>'code', 'message', j->>'message', 'weight', j->'weight')) FROM json_array_elements(${column}::json) AS j), '[]'::json)`,
  },
};

const SIGNATURE_TEXT = (column: string) =>
  `CASE ${column} WHEN 'SIGNATURE_REQUIRED' THEN 'Signature Required' WHEN 'ADULT_SIGNATURE_REQUIRED' THEN 'Adult Signature Required (21+)' END`;

/** The statement: parameter 1 is the token's hash, parameter 2 the page size. */
export function floorSql(dialect: Dialect): string {
  const d = DIALECTS[dialect];
  const o = d.object;
  const money = (minor: string, currency: string) =>
    `${o}('amount', ${d.money(minor)}, 'currencyCode', ${currency})`;
  const [token, first] = [d.param(1), d.param(2)];
  const item = `${o}('id', ${d.globalId('LineItem', 'x."id"')}, 'sku', x."sku", 'title', x."title", 'quantity', x."quantity", 'ageRestricted', ${d.bool('x."ageRestricted"')}, 'unitPrice', ${money('x."unitPriceMinor"', 'x."currency"')})`;
  const node = `${o}(
    'id', ${d.globalId('Order', 'p."id"')},
    'number', p."number",
    'status', p."status",
    'placedAt', p."placedAt",
    'totals', ${o}('total', ${money('p."totalMinor"', 'p."currency"')}),
    'buyer', ${d.nested(`SELECT ${o}('id', ${d.globalId('Buyer', 'b."id"')}, 'name', b."name") FROM "buyers" b WHERE b."id" = p."buyerId"`)},
    'shipTo', ${d.nested(`SELECT ${o}('city', a."city", 'region', a."region", 'postalCode', a."postalCode") FROM "addresses" a WHERE a."id" = p."shipToAddressId"`)},
    'items', ${d.array(item, `(SELECT * FROM "line_items" li WHERE li."orderId" = p."id")`, 'id')},
    'riskAssessment', ${d.nested(`SELECT ${o}('score', r."score", 'level', r."level", 'recommendedSignature', r."recommendedSignature", 'reasons', ${d.reasons('r."reasons"')}) FROM "risk_assessments" r WHERE r."orderId" = p."id" AND r."isCurrent" = ${d.isTrue} ORDER BY r."id" DESC LIMIT 1`)},
    'label', ${d.nested(`SELECT ${o}('id', ${d.globalId('Label', 'l."id"')}, 'trackingNumber', l."trackingNumber", 'carrier', l."carrier", 'signatureOption', l."signatureOption", 'signatureCarrierCode', l."signatureCarrierCode", 'status', l."status", 'total', ${money('l."totalMinor"', 'l."currency"')}) FROM "labels" l WHERE l."orderId" = p."id" AND l."status" = 'PURCHASED' ORDER BY l."id" DESC LIMIT 1`)},
    'shipment', ${d.nested(`SELECT ${o}('id', ${d.globalId('Shipment', 's."id"')}, 'carrier', s."carrier", 'trackingNumber', s."trackingNumber", 'status', s."status", 'signatureRequirement', s."signatureRequirement", 'signatureRequirementText', ${SIGNATURE_TEXT('s."signatureRequirement"')}, 'estimatedDeliveryAt', s."estimatedDeliveryAt") FROM "shipments" s WHERE s."orderId" = p."id" ORDER BY s."id" DESC LIMIT 1`)}
  )`;
  const edges =
    dialect === 'postgres'
      ? `coalesce((SELECT json_agg(${o}('node', ${node}) ORDER BY p."placedAt" DESC, p."id" DESC) FROM "shown" p), '[]'::json)`
      : `json((SELECT coalesce(json_group_array(json(${o}('node', ${node}))), '[]') FROM (SELECT * FROM "shown" ORDER BY "placedAt" DESC, "id" DESC) AS p))`;
  const hasNext =
    dialect === 'postgres'
      ? `(SELECT count(*) FROM "page") > ${first}`
      : `json(CASE WHEN (SELECT count(*) FROM "page") > ${first} THEN 'true' ELSE 'false' END)`;
  return `WITH "viewer" AS (
    SELECT t."sellerId" FROM "api_tokens" t
    WHERE t."tokenHash" = ${token} AND t."revokedAt" IS NULL AND t."role" = 'SELLER'
  ), "page" AS (
    SELECT o.* FROM "orders" o WHERE o."sellerId" = (SELECT "sellerId" FROM "viewer")
    ORDER BY o."placedAt" DESC, o."id" DESC LIMIT ${first} + 1
  ), "shown" AS (
    SELECT * FROM "page" ORDER BY "placedAt" DESC, "id" DESC LIMIT ${first}
  )
  SELECT ${o}('data', ${o}('orders', ${o}(
    'pageInfo', ${o}(
      'hasNextPage', ${hasNext},
      'endCursor', (SELECT ${d.cursor('e."placedAt"', 'e."id"')} FROM "shown" e ORDER BY e."placedAt" ASC, e."id" ASC LIMIT 1)
    ),
    'edges', ${edges}
  )))${dialect === 'postgres' ? '::text' : ''} AS "body"`;
}

/** Runs the floor statement and returns the JSON text the database built. */
export interface FloorDatabase {
  page(tokenHash: string, first: number): Promise<string>;
  close(): Promise<void>;
  /** The PostgreSQL pool (null on SQLite): the bench server also reads pg_stat_activity on it. */
  pool: pg.Pool | null;
}

/** `file` is a SQLite path or a postgres:// URL (with the bench's application_name). */
export function openFloorDatabase(url: string): FloorDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const sql = floorSql('postgres');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return {
      // A named statement: each connection parses and plans it once.
      page: async (hash, first) =>
        (await pool.query<{ body: string }>({ name: 'floor', text: sql, values: [hash, first] }))
          .rows[0]?.body ?? 'null',
      close: () => pool.end(),
      pool,
    };
  }
  const sql = floorSql('sqlite');
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  // Prepared once; the driver runs its calls one after another.
  const statement = db.prepare(sql);
  return {
    page: (hash, first) =>
      new Promise((resolve, reject) =>
        statement.get<{ body: string }>([hash, first], (error, row) =>
          error ? reject(error) : resolve(row?.body ?? 'null'),
        ),
      ),
    close: () => new Promise((resolve) => statement.finalize(() => db.close(() => resolve()))),
    pool: null,
  };
}

/** The minimal HTTP side: the bearer token and `variables.first` of W1's body, nothing else. */
export function floorHandler(
  db: FloorDatabase,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { variables?: { first?: number } };
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const text = await db.page(hashToken(token), body.variables?.first ?? 50);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  };
}
