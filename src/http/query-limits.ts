import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorConfig } from '@escape.tech/graphql-armor-types';
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, specifiedRules } from 'graphql';
import type {
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { MAX_BATCH_ITEMS, MAX_PURCHASES_PER_OPERATION } from '../config/security';
import type { QueryLimits } from '../config/security';

/** Which limit refused a document: `extensions.limit` of the error. */
export type LimitName =
  'CHARACTERS' | 'TOKENS' | 'DEPTH' | 'COST' | 'ALIASES' | 'DIRECTIVES' | 'PURCHASES_PER_OPERATION';

export const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';
export const PARSE_FAILED = 'GRAPHQL_PARSE_FAILED';
export const PURCHASE_FIELD = 'purchaseLabel';
/** Buys up to MAX_BATCH_ITEMS labels: a purchase request, and items of the batch item budget. */
export const BATCH_FIELD = 'createLabelBatch';
const PAID_FIELDS = new Set([PURCHASE_FIELD, BATCH_FIELD]);

export function limitError(message: string, limit: LimitName, code = VALIDATION_FAILED) {
  return new GraphQLError(message, { extensions: { code, limit } });
}

/**
 * graphql-armor's depth, alias and directive rules. They report (not throw) so a refusal is an
 * ordinary validation error with a code, on HTTP and on WebSocket alike.
 */
function armorRules(limits: QueryLimits): ValidationRule[] {
  const report =
    (limit: LimitName) =>
    (ctx: ValidationContext | null, error: GraphQLError): void => {
      ctx?.reportError(limitError(error.message.replace(/^Syntax Error: /, ''), limit));
    };
  const common = (limit: LimitName, hidden: string) => ({
    exposeLimits: limits.exposeLimits,
    errorMessage: hidden,
    propagateOnRejection: false,
    onReject: [report(limit)],
  });
  const config: GraphQLArmorConfig = {
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      ...common('DEPTH', 'The query is nested too deeply.'),
    },
    // Cost needs the variables (a page size is often one): ./query-cost.ts, once they are known.
    costLimit: { enabled: false },
    maxAliases: { n: limits.maxAliases, ...common('ALIASES', 'The query has too many aliases.') },
    maxDirectives: {
      n: limits.maxDirectives,
      ...common('DIRECTIVES', 'The query has too many directives.'),
    },
    // Tokens are counted by graphql-js itself (`parse(…, { maxTokens })`) on both transports;
    // suggestions are stripped where errors are formatted.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  };
  return new ApolloArmor(config).protect().validationRules;
}

/** Root fields named in `names` by response key, through inline fragments and named ones. */
function rootFields(
  operation: OperationDefinitionNode,
  fragmentOf: (name: string) => FragmentDefinitionNode | null | undefined,
  names: ReadonlySet<string>,
): Map<string, FieldNode> {
  const fields = new Map<string, FieldNode>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        // Same response key means graphql-js merges the fields and runs the resolver once.
        if (names.has(selection.name.value)) {
          fields.set(selection.alias?.value ?? selection.name.value, selection);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragmentOf(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  if (operation.operation === 'mutation') walk(operation.selectionSet);
  return fields;
}

/** Response keys of root paid fields (`purchaseLabel`, `createLabelBatch`). */
export function purchaseKeys(
  operation: OperationDefinitionNode,
  fragmentOf: (name: string) => FragmentDefinitionNode | null | undefined,
): Set<string> {
  return new Set(rootFields(operation, fragmentOf, PAID_FIELDS).keys());
}

/**
 * Items a `createLabelBatch` of the operation asks for (0 without one), from the literal or the
 * variables, capped at MAX_BATCH_ITEMS (more is refused by the service); what cannot be read
 * counts as a full batch.
 */
export function batchItemCount(
  operation: OperationDefinitionNode,
  fragmentOf: (name: string) => FragmentDefinitionNode | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const [field] = rootFields(operation, fragmentOf, new Set([BATCH_FIELD])).values();
  if (!field) return 0;
  const variable = (name: string) => variables?.[name];
  const input = field.arguments?.find((a) => a.name.value === 'input')?.value;
  let items: unknown = undefined;
  if (input?.kind === Kind.VARIABLE) {
    items = (variable(input.name.value) as { items?: unknown } | undefined)?.items;
  } else if (input?.kind === Kind.OBJECT) {
    const value = input.fields.find((f) => f.name.value === 'items')?.value;
    if (value?.kind === Kind.LIST) items = value.values;
    else if (value?.kind === Kind.VARIABLE) items = variable(value.name.value);
    else if (value?.kind === Kind.OBJECT) items = [value];
  }
  const count = Array.isArray(items) ? items.length : items ? 1 : MAX_BATCH_ITEMS;
  return Math.max(1, Math.min(count, MAX_BATCH_ITEMS));
}

/** At most one paid label per operation: aliases must not turn one request into a batch. */
export const singlePurchaseRule: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    const count = purchaseKeys(operation, (name) => context.getFragment(name)).size;
    if (count > MAX_PURCHASES_PER_OPERATION) {
      context.reportError(
        limitError(
          `At most ${MAX_PURCHASES_PER_OPERATION} ${PURCHASE_FIELD} or ${BATCH_FIELD} per operation; found ${count}.`,
          'PURCHASES_PER_OPERATION',
        ),
      );
    }
  },
});

/** Rules Apollo adds to graphql-js's own (it adds introspection blocking itself). */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [...armorRules(limits), singlePurchaseRule];
}

/** Everything the WebSocket path validates with: graphql-js's rules, ours, and introspection. */
export function wsValidationRules(limits: QueryLimits, introspection: boolean): ValidationRule[] {
  return [
    ...specifiedRules,
    ...limitRules(limits),
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/** Removes "Did you mean …?" from a message: suggestions leak the schema without introspection. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}
