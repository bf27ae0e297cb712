import type http from 'node:http';
import { execute, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';

/** Reads a request body as a string (the baselines accept small JSON bodies only). */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * GraphQL over bare `node:http` with raw graphql-js `execute`. Parsed and validated documents are
 * cached by query text, as Apollo's document store does; without the cache the baseline would
 * pay for parse+validate on every request and flatter the product.
 */
export function bareGraphqlHandler<TContext>(
  schema: GraphQLSchema,
  contextFor: (authorization: string | undefined) => Promise<TContext>,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const documents = new Map<string, DocumentNode>();
  return async (req, res) => {
    const { query, variables } = JSON.parse(await readBody(req)) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    let document = documents.get(query);
    if (!document) {
      document = parse(query);
      const errors = validate(schema, document);
      if (errors.length > 0) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors }));
        return;
      }
      documents.set(query, document);
    }
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      contextValue: await contextFor(req.headers.authorization),
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(result));
  };
}
