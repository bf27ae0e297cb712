import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { ViewerType } from '../types/viewer.type';
import { requireViewer } from '../../auth/guards';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, {
    description: 'The caller: role, and the seller or buyer it acts for.',
  })
  async viewer(@Ctx() ctx: GraphQLContext): Promise<object> {
    const viewer = requireViewer(ctx);
    return {
      role: viewer.role,
      seller: viewer.sellerId ? await ctx.loaders.sellerById.load(viewer.sellerId) : null,
      buyer: viewer.buyerId ? await ctx.loaders.buyerById.load(viewer.buyerId) : null,
    };
  }
}
