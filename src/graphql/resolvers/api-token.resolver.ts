import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import { toGlobalId } from '../../core/global-id';
import type { Page } from '../../core/page';
import type { ApiToken, Buyer, Seller } from '../../entities';
import {
  ApiTokenConnection,
  ApiTokenType,
  CreateApiTokenInput,
  CreateApiTokenPayload,
  RevokeApiTokenInput,
  RevokeApiTokenPayload,
} from '../types/api-token.type';
import { ConnectionArgs } from '../types/connection.type';
import { BuyerType, SellerType } from '../types/order.type';

@Resolver(() => ApiTokenType)
export class ApiTokenResolver {
  @Query(() => ApiTokenConnection, {
    description: 'Every API token, newest first, revoked ones included (staff only; no secrets).',
  })
  apiTokens(@Args() args: ConnectionArgs, @Ctx() ctx: GraphQLContext): Promise<Page<ApiToken>> {
    return ctx.services.apiTokens.list(ctx, args);
  }

  @Mutation(() => CreateApiTokenPayload, {
    description:
      'Issues a bearer token; the payload shows its secret, once. Staff: any role; a PLATFORM integration: SELLER and BUYER tokens.',
  })
  createApiToken(
    @Arg('input', () => CreateApiTokenInput, { description: 'Role, name and owner.' })
    input: CreateApiTokenInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.apiTokens.create(ctx, input));
  }

  @Mutation(() => RevokeApiTokenPayload, {
    description:
      'Revokes a token at once, open subscriptions included. Same policy as createApiToken.',
  })
  revokeApiToken(
    @Arg('input', () => RevokeApiTokenInput, { description: 'The token.' })
    input: RevokeApiTokenInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.apiTokens.revoke(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() token: ApiToken): string {
    return toGlobalId('ApiToken', token.id);
  }

  @FieldResolver(() => String)
  name(@Root() token: ApiToken): string {
    return token.label;
  }

  @FieldResolver(() => SellerType, { nullable: true })
  seller(@Root() token: ApiToken, @Ctx() ctx: GraphQLContext): Promise<Seller | null> | null {
    return token.sellerId === null ? null : ctx.loaders.sellerById.load(token.sellerId);
  }

  @FieldResolver(() => BuyerType, { nullable: true })
  buyer(@Root() token: ApiToken, @Ctx() ctx: GraphQLContext): Promise<Buyer | null> | null {
    return token.buyerId === null ? null : ctx.loaders.buyerById.load(token.buyerId);
  }
}
