import type { RequestContext } from '../core/request-context';
import type { Services } from '../services/services';

/**
 * The GraphQL context: the request's own context, which resolvers pass to services, and the
 * process's services the resolvers call. Services never see the registry (their parameter is a
 * RequestContext), so a service's collaborators stay visible in its constructor.
 */
export interface GraphQLContext extends RequestContext {
  readonly services: Services;
}
