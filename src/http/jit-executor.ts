import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  BREAK,
  GraphQLError,
  TypeInfo,
  execute,
  getNamedType,
  getVariableValues,
  isAbstractType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { CompiledQuery } from 'graphql-jit';

// The gateway seam's types, as @apollo/server states them (no second copy of the interface).
type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type GatewayRequest = Parameters<GatewayExecutor>[0];

/** An operation seen once (not compiled yet), compiled, or left to graphql-js for good. */
type Plan = 'seen-once' | 'graphql-js' | CompiledQuery;

/**
 * Apollo Server through the seam its migration guide names for custom executors (`gateway`):
 * Apollo still parses, validates, runs every plugin and formats errors; only execution changes.
 * Queries and mutations run compiled by graphql-jit, which skips graphql-js's per-field work
 * (argument maps, a promise and a result object per field): most of a large page's CPU.
 *
 * Compiling costs far more than one execution and any client can send a new document, so an
 * operation is compiled only when the same document runs a second time; the first run, a
 * subscription (over HTTP only reachable through executeOperation) and whatever graphql-jit
 * cannot compile go through graphql-js `execute`, as Apollo itself would run them. So do the
 * documents graphql-jit would answer differently (see `jitAnswersAlike`).
 *
 * Plans hang off the DocumentNode in a WeakMap. Apollo hands the same node for the same query
 * text from its document store, an LRU bounded by size (Apollo's default, ~30 MiB): when it drops
 * a document, the document's plans go with it, so memory is bounded by that store.
 */
export function jitGateway(schema: GraphQLSchema): Gateway {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();

  const planFor = (request: GatewayRequest): Plan => {
    const { document, operation } = request;
    if (!operation || operation.operation === 'subscription') return 'graphql-js';
    const name = request.request.operationName ?? '';
    let byName = plans.get(document);
    if (!byName) {
      byName = new Map();
      plans.set(document, byName);
    }
    const plan = byName.get(name);
    if (plan === undefined) {
      byName.set(name, 'seen-once');
      return 'seen-once';
    }
    if (plan !== 'seen-once') return plan;
    if (!jitAnswersAlike(schema, document)) {
      byName.set(name, 'graphql-js');
      return 'graphql-js';
    }
    const compiled = compileQuery(schema, document, request.request.operationName, {
      // Stacks are never sent to clients (includeStacktraceInErrorResponses is off); capturing
      // one for every null-bubbling error is wasted work.
      disablingCapturingStackErrors: true,
    });
    const next: Plan = isCompiledQuery(compiled) ? compiled : 'graphql-js';
    byName.set(name, next);
    return next;
  };

  const executor: GatewayExecutor = async (request) => {
    const plan = planFor(request);
    if (typeof plan === 'string') {
      return execute({
        schema,
        document: request.document,
        contextValue: request.context,
        variableValues: request.request.variables,
        operationName: request.request.operationName,
      });
    }
    // graphql-js coerces the variables first, so a bad variable fails exactly as uncompiled (same
    // messages, and the VariableDefinition node Apollo reads to answer 400 BAD_USER_INPUT).
    const variables = request.request.variables ?? {};
    if (request.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, request.operation.variableDefinitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    const result = await plan.query(undefined, request.context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
  };

  const listeners = new Set<Parameters<Gateway['onSchemaLoadOrUpdate']>[0]>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    // The schema is fixed for the process: announced once, when Apollo starts.
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {},
  };
}

const AsyncFunction = (async () => undefined).constructor;

/**
 * False for what graphql-jit 0.8 answers unlike graphql-js (the whole suite runs compiled with
 * these excluded):
 * - a field of an interface or union whose resolveType is async (type-graphql makes every
 *   declared resolveType async: `node`, `nodes`, `userErrors`): graphql-jit calls resolveType
 *   synchronously and fails on the promise;
 * - a variable or alias named like a property of Object.prototype (`$constructor`, `__proto__`):
 *   graphql-jit reads variables through the prototype (an absent `$constructor` is the Object
 *   function, not its default) and builds results as plain objects (a `__proto__` alias is lost).
 */
function jitAnswersAlike(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let alike = true;
  const differ = () => {
    alike = false;
    return BREAK;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Variable(node) {
        return node.name.value in Object.prototype ? differ() : undefined;
      },
      Field(node) {
        if (node.alias && node.alias.value in Object.prototype) return differ();
        const type = getNamedType(typeInfo.getType());
        if (isAbstractType(type) && type.resolveType instanceof AsyncFunction) return differ();
        return undefined;
      },
    }),
  );
  return alike;
}

/**
 * graphql-jit's errors inherit from GraphQLError without its constructor: no `extensions` object
 * when the thrown error had none (Apollo reads `extensions.code` and would answer a bare 500).
 * Rebuilt as graphql-js builds a located error: the thrown error as `originalError` (which
 * formatError unwraps), its extensions, the same path and locations.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if (error.constructor === GraphQLError) return error;
  // graphql-js's constructor copies the thrown error's extensions, as its locatedError does.
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
  });
  // graphql-jit keeps the locations but not the AST nodes graphql-js derives them from.
  Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: true });
  return rebuilt;
}
