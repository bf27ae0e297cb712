import { Field, ObjectType } from 'type-graphql';
import { Role } from '../../entities/enums';
import { BuyerType, SellerType } from './order.type';

@ObjectType('Viewer', { description: 'Who the bearer token belongs to.' })
export class ViewerType {
  @Field(() => Role, { description: 'What the token may act as.' })
  role!: Role;
  @Field(() => SellerType, { nullable: true, description: 'The seller, for a seller token.' })
  seller!: SellerType | null;
  @Field(() => BuyerType, { nullable: true, description: 'The buyer, for a buyer token.' })
  buyer!: BuyerType | null;
}
