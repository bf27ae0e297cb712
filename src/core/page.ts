/** Relay pagination state of one page of a list. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** One page of a list as services return it; the GraphQL layer exposes it as a connection. */
export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A function is called only when the field is selected. */
  totalCountOf: number | (() => Promise<number>);
}

/** Which way a list runs by its natural (time) order. */
export type SortDirection = 'ASC' | 'DESC';

/**
 * Relay pagination of a list request: `first` items after `after`, or the `last` items before
 * `before` (backwards), and which way the list runs (default newest first).
 */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  direction?: SortDirection | null;
}
