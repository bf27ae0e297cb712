import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { ConfigError } from '../config/env';

/** `extensions.code` of a document id the manifest does not hold. */
export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
/** `extensions.code` of a full query text whose hash is not registered (trusted mode). */
export const TRUSTED_DOCUMENT_REQUIRED = 'TRUSTED_DOCUMENT_REQUIRED';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/** What a request names: its text, a document id, or both. */
export interface DocumentRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

export type Resolution =
  { ok: true; query: string | undefined } | { ok: false; code: string; message: string };

/**
 * The registered documents (sha256 hex → text) and the rule applied to a request:
 * - by id, `documentId` ("sha256:<hex>" or the bare hex, GraphQL over HTTP's persisted documents)
 *   or Apollo's `extensions.persistedQuery.sha256Hash`: the registered text, else
 *   PERSISTED_QUERY_NOT_FOUND;
 * - by text: when enforcing, only a text whose hash is registered (TRUSTED_DOCUMENT_REQUIRED
 *   otherwise); when not (development), any text.
 */
export class TrustedDocuments {
  private constructor(
    private readonly documents: ReadonlyMap<string, string>,
    readonly enforce: boolean,
  ) {}

  /** Reads a manifest; every key must be the sha256 hex of its document (else a ConfigError). */
  static load(path: string, enforce: boolean): TrustedDocuments {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError('GRAPHQL_TRUSTED_DOCUMENTS', `cannot read ${path}: ${String(error)}`);
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
      throw new ConfigError('GRAPHQL_TRUSTED_DOCUMENTS', `${path} is not a JSON object`);
    }
    const documents = new Map<string, string>();
    for (const [hash, text] of Object.entries(manifest)) {
      if (typeof text !== 'string' || sha256Hex(text) !== hash.toLowerCase()) {
        throw new ConfigError(
          'GRAPHQL_TRUSTED_DOCUMENTS',
          `${path}: "${hash.slice(0, 80)}" is not the sha256 of its document (use hashAlgorithm: 'sha256')`,
        );
      }
      documents.set(hash.toLowerCase(), text);
    }
    return new TrustedDocuments(documents, enforce);
  }

  resolve(request: DocumentRequest): Resolution {
    const id = documentIdOf(request);
    if (id !== undefined) {
      const text = id === null ? undefined : this.documents.get(id);
      if (text === undefined) {
        return { ok: false, code: PERSISTED_QUERY_NOT_FOUND, message: 'Unknown document id.' };
      }
      return { ok: true, query: text };
    }
    const { query } = request;
    if (!this.enforce || typeof query !== 'string') return { ok: true, query: undefined };
    if (this.documents.has(sha256Hex(query))) return { ok: true, query: undefined };
    return {
      ok: false,
      code: TRUSTED_DOCUMENT_REQUIRED,
      message: 'Only registered documents run on this server; send a registered documentId.',
    };
  }

  /**
   * For /graphql over HTTP, after the JSON body parser: swaps a document id for its text (so
   * Apollo, whose APQ cache is off, sees a plain query) and refuses what the rule refuses.
   */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const get = req.method === 'GET';
      const source = (get ? req.query : req.body) as DocumentRequest | undefined;
      const request: DocumentRequest = { ...source };
      if (get && typeof request.extensions === 'string') {
        try {
          request.extensions = JSON.parse(request.extensions);
        } catch {
          return next(); // Apollo answers the bad extensions
        }
      }
      const resolved = this.resolve(request);
      if (!resolved.ok) {
        res.status(400).json({
          errors: [{ message: resolved.message, extensions: { code: resolved.code } }],
        });
        return;
      }
      if (resolved.query !== undefined) {
        const swapped = withoutId(request, resolved.query);
        if (get) {
          // The GraphQL integration reads a GET's parameters from its URL: rewrite them there.
          const url = new URL(req.url, 'http://local');
          url.searchParams.delete('documentId');
          url.searchParams.set('query', swapped.query as string);
          if (swapped.extensions) {
            url.searchParams.set('extensions', JSON.stringify(swapped.extensions));
          } else url.searchParams.delete('extensions');
          req.url = `${url.pathname}${url.search}`;
        } else {
          req.body = { ...req.body, ...swapped };
          delete (req.body as DocumentRequest).documentId;
        }
      }
      next();
    };
  }
}

/**
 * The id a request names: a hex string, null for a malformed one, undefined when it names none.
 */
function documentIdOf(request: DocumentRequest): string | null | undefined {
  const { documentId, extensions } = request;
  if (documentId !== undefined) {
    if (typeof documentId !== 'string') return null;
    const hex = documentId.startsWith('sha256:') ? documentId.slice(7) : documentId;
    return SHA256_HEX.test(hex) ? hex : null;
  }
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null)
    ?.persistedQuery;
  if (persisted === undefined) return undefined;
  const hash = persisted?.sha256Hash;
  return typeof hash === 'string' && SHA256_HEX.test(hash) ? hash : null;
}

/** The request with its id replaced by the document text. */
function withoutId(request: DocumentRequest, query: string): Record<string, unknown> {
  const extensions =
    request.extensions && typeof request.extensions === 'object'
      ? Object.fromEntries(
          Object.entries(request.extensions).filter(([key]) => key !== 'persistedQuery'),
        )
      : undefined;
  return { query, ...(extensions ? { extensions } : {}) };
}
