import type { ClassType } from 'type-graphql';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../config/security';
import type { Page, SortDirection } from '../../core/page';

@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field({ description: 'Whether items follow `endCursor` (pass it as `after` to read them).' })
  hasNextPage!: boolean;

  @Field({
    description:
      'Whether items precede `startCursor` (pass it as `before`, with `last`, to read them).',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge; pass it as `after`.',
  })
  endCursor!: string | null;
}

/**
 * Relay's `first`/`after` and `last`/`before` of every connection field; extend it for a
 * field's own arguments. `first` and `last` together are refused (BAD_USER_INPUT).
 */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return from the start: 1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}. Not with \`last\`.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Return the items after this cursor (the previous page's `pageInfo.endCursor`).",
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `How many items to return from the end (backwards): 1 to ${MAX_PAGE_SIZE}. Not with \`first\`.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Return the items before this cursor (the next page's `pageInfo.startCursor`).",
  })
  before?: string | null;
}

/** Which way a list runs (GitHub's `OrderDirection`). */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Which way a list runs by the field it is ordered by.',
  valuesConfig: {
    ASC: { description: 'Ascending: oldest first.' },
    DESC: { description: 'Descending: newest first.' },
  },
});

/** Lists ordered by when their items were created. */
export enum CreatedAtOrderField {
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(CreatedAtOrderField, {
  name: 'CreatedAtOrderField',
  description: 'What a list ordered by creation time is ordered by.',
  valuesConfig: { CREATED_AT: { description: 'When the item was created.' } },
});

@InputType('CreatedAtOrder', { description: 'Order of a list by creation time.' })
export class CreatedAtOrder {
  @Field(() => CreatedAtOrderField, {
    defaultValue: CreatedAtOrderField.CREATED_AT,
    description: 'The field to order by.',
  })
  field!: CreatedAtOrderField;

  @Field(() => OrderDirection, {
    defaultValue: OrderDirection.DESC,
    description: 'Newest first (DESC, the default) or oldest first (ASC).',
  })
  direction!: OrderDirection;
}

/** ConnectionArgs of a list ordered by creation time: adds `orderBy`. */
@ArgsType()
export class CreatedAtConnectionArgs extends ConnectionArgs {
  @Field(() => CreatedAtOrder, {
    nullable: true,
    description: 'Newest first unless `direction: ASC`.',
  })
  orderBy?: CreatedAtOrder | null;
}

/** The service's page arguments from a connection's arguments and its `orderBy`. */
export function pageArgs<
  A extends ConnectionArgs & { orderBy?: { direction: SortDirection } | null },
>(args: A): Omit<A, 'orderBy'> & { direction: SortDirection | null } {
  const { orderBy, ...rest } = args;
  return { ...rest, direction: orderBy?.direction ?? null };
}

/** Builds `<Name>Connection` and `<Name>Edge` types for a node type. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `A ${name} in a connection, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page, in order.' })
    edges!: EdgeType[];

    @Field(() => [nodeType], {
      description: 'The items of this page, in order, without cursors (shortcut for edges.node).',
    })
    nodes(): T[] {
      return this.edges.map((edge) => edge.node);
    }

    @Field(() => PageInfo, { description: 'Where this page sits in the whole list.' })
    pageInfo!: PageInfo;

    /** Services pass a function so the count query runs only when this field is selected. */
    declare totalCountOf: Page<T>['totalCountOf'];

    @Field(() => Int, { description: 'How many items the whole list holds.' })
    totalCount(): number | Promise<number> {
      const value = this.totalCountOf;
      return typeof value === 'function' ? value() : value;
    }
  }
  return ConnectionType;
}
