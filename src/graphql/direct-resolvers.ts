import { isObjectType } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { ContainerType } from 'type-graphql';

type Method = (...params: unknown[]) => unknown;
type Class = new () => object;

/**
 * One instance per resolver class, found by a Map lookup. type-graphql's default container (its
 * documented `container` option replaces it) searches an array of instances on every resolved
 * field.
 */
export function resolverContainer(): ContainerType {
  const instances = new Map<Class, object>();
  return {
    get: (someClass: Class) => {
      let instance = instances.get(someClass);
      if (!instance) instances.set(someClass, (instance = new someClass()));
      return instance;
    },
  } as ContainerType;
}

/**
 * Calls plain `@FieldResolver` methods directly. For every call type-graphql builds resolver
 * data, looks the instance up, re-sorts and maps the parameter metadata and checks each value
 * for a promise — on W1's 50-order page, hundreds of calls and about a tenth of its garbage. A
 * field resolver qualifies when it has no middlewares or roles (none here: the schema sets no
 * authChecker or global middlewares) and takes only `@Root()`, `@Ctx()` and `@Info()` without
 * property names, so the direct call passes exactly what type-graphql would. Anything else
 * (arguments, custom decorators) keeps type-graphql's resolver.
 */
export function callFieldResolversDirectly(
  schema: GraphQLSchema,
  resolvers: readonly object[],
  container: ContainerType,
): void {
  const storage = getMetadataStorage();
  for (const def of storage.fieldResolvers) {
    // Only the classes this schema was built from (type-graphql's metadata is global).
    if (def.kind !== 'external' || !def.getObjectType || !resolvers.includes(def.target)) continue;
    if (def.middlewares?.length || def.roles?.length) continue;
    const params = [...(def.params ?? [])].sort((a, b) => a.index - b.index);
    const plain = params.every(
      (p) =>
        p.kind === 'info' ||
        (p.kind === 'context' && !p.propertyName) ||
        (p.kind === 'root' && !p.propertyName),
    );
    if (!plain) continue;
    // A root typed with a class (`@Root() order: Order`, the type reflected) is converted by
    // type-graphql unless it already is an instance: an instance can be passed as it is.
    const rootType = params.find((p) => p.kind === 'root')?.getType?.();
    if (rootType !== undefined && typeof rootType !== 'function') continue;
    const typeClass = def.getObjectType();
    const typeName = storage.objectTypes.find((t) => t.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[def.schemaName] : undefined;
    if (!field) continue;
    const instance = container.get(def.target, {} as never) as Record<string, Method>;
    const method = instance[def.methodName].bind(instance);
    const kinds = params.map((p) => p.kind);
    const direct = directResolver(method, kinds);
    const converting = field.resolve;
    field.resolve =
      rootType === undefined || !converting
        ? direct
        : (root, args, ctx, info) =>
            root instanceof (rootType as Class)
              ? direct(root, args, ctx, info)
              : converting(root, args, ctx, info);
  }
  readPropertiesDirectly(schema, resolvers);
}

/**
 * Plain property fields of types without `simpleResolvers` get type-graphql's basic resolver:
 * resolver data, its middleware runner and a closure per call, only to read `root[name]`.
 * Where a field has no middlewares, roles or field resolver, reading the property is all it
 * does, so that is what it now does (the same choice type-graphql makes for each field).
 */
function readPropertiesDirectly(schema: GraphQLSchema, resolvers: readonly object[]): void {
  const storage = getMetadataStorage();
  // (type class, method) pairs that have a field resolver, as type-graphql matches them.
  const resolved = new Map<unknown, Set<string>>();
  for (const def of storage.fieldResolvers) {
    if (def.kind !== 'internal' && !resolvers.includes(def.target)) continue;
    const typeClass = def.getObjectType?.();
    if (!resolved.has(typeClass)) resolved.set(typeClass, new Set());
    resolved.get(typeClass)?.add(def.methodName);
  }
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const inherited = storage.interfaceTypes
      .filter((it) => objectType.interfaceClasses?.includes(it.target))
      .flatMap((it) => it.fields ?? []);
    // As type-graphql builds the type: the type's own field wins over an interface's.
    const bySchemaName = new Map(
      [...inherited, ...(objectType.fields ?? [])].map((meta) => [meta.schemaName, meta]),
    );
    for (const meta of bySchemaName.values()) {
      const simple = meta.simple ?? objectType.simpleResolvers ?? false;
      if (simple || meta.middlewares?.length || meta.roles?.length) continue;
      if (resolved.get(meta.target)?.has(meta.name)) continue;
      const field = type.getFields()[meta.schemaName];
      if (!field?.resolve) continue;
      const name = meta.name;
      field.resolve = (root: Record<string, unknown>) => root[name];
    }
  }
}

/** The resolver for one parameter shape; the common shapes avoid building an argument list. */
function directResolver(method: Method, kinds: string[]): GraphQLFieldResolver<unknown, unknown> {
  const shape = kinds.join(',');
  if (shape === 'root') return (root) => method(root);
  if (shape === 'root,context') return (root, _args, ctx) => method(root, ctx);
  if (shape === 'context') return (_root, _args, ctx) => method(ctx);
  return (root, _args, ctx, info) =>
    method(...kinds.map((kind) => (kind === 'root' ? root : kind === 'context' ? ctx : info)));
}
