import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ApiToken as ApiTokenEntity } from '../../entities';
import { Role } from '../../entities/enums';
import { Connection } from './connection.type';
import { Node, exposeAs } from './node.type';
import { BuyerType, SellerType } from './order.type';
import { UserErrorInterface } from './user-error.type';

@ObjectType('ApiToken', {
  implements: Node,
  description:
    'A bearer token, without its secret: only its SHA-256 is stored, and createApiToken shows the secret once.',
})
export class ApiTokenType extends Node {
  @Field(() => Role, { description: 'What the token may act as.' })
  role!: Role;
  @Field({ description: 'Whose or what it is, for people: e.g. "Shopfront sync (prod)".' })
  name!: string;
  @Field(() => SellerType, { nullable: true, description: 'The seller, for a SELLER token.' })
  seller!: SellerType | null;
  @Field(() => BuyerType, { nullable: true, description: 'The buyer, for a BUYER token.' })
  buyer!: BuyerType | null;
  @Field({ description: 'When it was issued.' })
  createdAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When it was revoked; from then on it authenticates nothing.',
  })
  revokedAt!: Date | null;
}
exposeAs(ApiTokenEntity, 'ApiToken');

export const ApiTokenConnection = Connection(ApiTokenType, 'ApiToken');

@InputType('CreateApiTokenInput', { description: 'What the new token is for.' })
export class CreateApiTokenInput {
  @Field(() => Role, {
    description: 'Staff may issue any role; a PLATFORM integration SELLER and BUYER tokens.',
  })
  role!: Role;
  @Field({ description: 'A name for people (1 to 120 characters), e.g. "Harbor & Pine (prod)".' })
  name!: string;
  @Field(() => ID, { nullable: true, description: 'The seller of a SELLER token (required).' })
  sellerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The buyer of a BUYER token (required).' })
  buyerId?: string | null;
}

@ObjectType('CreateApiTokenPayload', { description: 'Result of createApiToken.' })
export class CreateApiTokenPayload {
  @Field(() => ApiTokenType, { nullable: true, description: 'The token issued (no secret).' })
  token!: ApiTokenEntity | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The bearer token: shown here once and never again (only its hash is kept). Send it as `Authorization: Bearer …`.',
  })
  secret!: string | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was issued.' })
  userErrors!: UserErrorInterface[];
}

@InputType('RevokeApiTokenInput', { description: 'The token to revoke.' })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: 'Global id of the token (ApiToken.id).' })
  id!: string;
}

@ObjectType('RevokeApiTokenPayload', { description: 'Result of revokeApiToken.' })
export class RevokeApiTokenPayload {
  @Field(() => ApiTokenType, {
    nullable: true,
    description: 'The token, revoked: requests and open subscriptions with it are refused.',
  })
  token!: ApiTokenEntity | null;
  @Field(() => [UserErrorInterface], { description: 'Why nothing was revoked.' })
  userErrors!: UserErrorInterface[];
}
