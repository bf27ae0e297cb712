import type { Viewer } from './auth/viewer';
import type { Loaders } from './loaders/loaders';
import type { Services } from './services/services';

/** Everything a resolver or service needs about the current request. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  services: Services;
}
