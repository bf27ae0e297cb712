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

/** `first` and `after` of a list request. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}
