import { Kind, getNamedType, getVariableValues, isCompositeType, valueFromAST } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../config/security';

/** graphql-armor's cost model (its defaults): objects 2, scalars 1, children ×1.5 per level. */
export const COST_WEIGHTS = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 } as const;

/** The least any operation costs, `{ __typename }` and introspection included. */
export const MIN_OPERATION_COST = 1;

/**
 * Cost of the operation that will run, in graphql-armor's model, with one difference: a page
 * size multiplies its subtree whether it is a literal, a variable or the default. armor reads
 * only literals, so `orders(first: $n)` would count as one order and a variable would slip
 * any page size past the limit. Fragments are flattened (they add no depth), fields a directive
 * may skip are counted, introspection fields are free, and an operation costs at least
 * MIN_OPERATION_COST.
 *
 * `variables` are the raw inputs the client sent; they are coerced here as graphql-js coerces
 * them for execution (defaults applied), and a page size is read from the coerced values' OWN
 * properties only, as execution reads them: `name in vars` would find Object.prototype's
 * `constructor` for a `$constructor` and cost its page as one item. One function for HTTP,
 * WebSocket and the per-token budget (src/http/security.ts `admit`).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): number {
  return walkCost(schema, document, operation, variables, STATIC);
}

/**
 * What the operation really cost, read from the `data` it returned: the same model as
 * operationCost, but a page is charged for the items it returned (at least one), not for
 * `first`/`last`, and an object that came back null is charged for itself, not its selection.
 * Below a plain list (or a page's items) the rest is priced as operationCost prices it, so the
 * actual cost never exceeds the requested one. With no data (nothing ran) it is the minimum.
 */
export function actualCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  data: Record<string, unknown> | null | undefined,
): number {
  if (!data) return MIN_OPERATION_COST;
  return walkCost(schema, document, operation, variables, data);
}

/** Marks a walk (or a subtree of one) priced from the document alone. */
const STATIC = Symbol('static');

function walkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  rootData: unknown,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const vars = coercedVariables(schema, operation, variables);

  /** Sum of a selection set's fields, fragments spread in place (each named one once per path). */
  const setCost = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    visiting: Set<string>,
    data: unknown,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, visiting, data);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (on && isCompositeType(on)) total += setCost(selection.selectionSet, on, visiting, data);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (!on || !isCompositeType(on)) continue;
        visiting.add(fragment.name.value);
        total += setCost(fragment.selectionSet, on, visiting, data);
        visiting.delete(fragment.name.value);
      }
    }
    return total;
  };

  const fieldCost = (
    node: FieldNode,
    parent: GraphQLCompositeType,
    visiting: Set<string>,
    data: unknown,
  ): number => {
    if (node.name.value.startsWith('__')) return 0;
    const def = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
    if (!node.selectionSet) return COST_WEIGHTS.scalarCost;
    const type = def ? getNamedType(def.type) : undefined;
    let value: unknown = STATIC;
    if (data !== STATIC) {
      value = (data as Record<string, unknown> | null)?.[node.alias?.value ?? node.name.value];
      // Not resolved (null, or an error above it): the field is charged, its selection is not.
      if (value === null || value === undefined) return COST_WEIGHTS.objectCost;
    }
    const size = pageSizeOf(node, def);
    // A page is charged for what came back; below a list, as the document prices it.
    const returned = value === STATIC || size === 1 ? size : Math.max(1, itemsIn(value));
    const below = value === STATIC || Array.isArray(value) ? STATIC : value;
    const children =
      type && isCompositeType(type) ? setCost(node.selectionSet, type, visiting, below) : 0;
    const own = COST_WEIGHTS.objectCost + COST_WEIGHTS.depthCostFactor * children;
    return own * returned;
  };

  /**
   * How many items a field may return: a connection's `first`/`last` however given, else the
   * default; `nodes(ids:)` as many as ids.
   */
  const pageSizeOf = (node: FieldNode, def: GraphQLField<unknown, unknown> | undefined): number => {
    const idsDef = def?.args.find((a) => a.name === 'ids');
    if (idsDef) {
      const arg = node.arguments?.find((a) => a.name.value === 'ids');
      const ids =
        arg?.value.kind === Kind.VARIABLE
          ? vars[arg.value.name.value]
          : arg && valueFromAST(arg.value, idsDef.type);
      return Array.isArray(ids) && ids.length > 0 ? ids.length : 1;
    }
    const argDef = def?.args.find((a) => a.name === 'first' || a.name === 'last');
    if (!argDef) return 1;
    let value: unknown;
    for (const arg of node.arguments ?? []) {
      if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
      if (arg.value.kind === Kind.VARIABLE) {
        const name = arg.value.name.value;
        // Absent (not sent, no default): execution then uses the argument's default, as below.
        value = Object.hasOwn(vars, name) ? vars[name] : undefined;
      } else {
        value = valueFromAST(arg.value, argDef.type);
      }
    }
    value ??= argDef.defaultValue ?? DEFAULT_PAGE_SIZE;
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
  };

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const cost = root ? setCost(operation.selectionSet, root, new Set(), rootData) : 0;
  return Math.max(MIN_OPERATION_COST, cost);
}

/** How many items a returned page (or list) holds: the longest list among its own fields. */
function itemsIn(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (!value || typeof value !== 'object') return 1;
  let most = 0;
  for (const field of Object.values(value)) {
    if (Array.isArray(field)) most = Math.max(most, field.length);
  }
  return most;
}

/**
 * The variable values execution will see (graphql-js's own coercion, defaults applied). When
 * they do not coerce nothing executes (the transport answers BAD_USER_INPUT); the cost is then
 * that of the document with every variable absent.
 */
function coercedVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const inputs = variables && typeof variables === 'object' ? variables : {};
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, {
    maxErrors: 1,
  });
  return result.coerced ?? {};
}
