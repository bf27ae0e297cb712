import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque id that `node(id:)` can fetch again.',
  // Concrete types are resolved from the entity class the service returned.
  resolveType: (value: object) => nodeTypeName(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id.' })
  id!: string;
}

type EntityClass = abstract new (...args: never[]) => object;

const typeNames = new Map<unknown, string>();

/** Registers which GraphQL type an entity class is exposed as. */
export function exposeAs(entity: EntityClass, typeName: string): void {
  typeNames.set(entity, typeName);
}

export function nodeTypeName(value: object): string | undefined {
  return typeNames.get(value.constructor);
}
