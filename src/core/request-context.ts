import type { Viewer } from '../auth/viewer';
import type { Loaders } from '../loaders/loaders';

/**
 * What a service needs about the current request, passed first to every service method (the
 * way Vendure's services take a RequestContext). Read-only: a service reads who is asking and
 * the request's loaders; it reaches other services through its constructor, not through here.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly viewer: Viewer | null;
  readonly loaders: Loaders;
}
