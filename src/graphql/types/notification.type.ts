import { Field, ObjectType } from 'type-graphql';
import { Notification as NotificationEntity } from '../../entities';
import { NotificationChannel, NotificationKind, NotificationStatus } from '../../entities/enums';
import { Connection } from './connection.type';
import { Node, exposeAs } from './node.type';

@ObjectType('Notification', {
  implements: Node,
  description: 'A message to the buyer about their parcel, and whether it has gone out.',
})
export class NotificationType extends Node {
  @Field(() => NotificationKind, { description: 'Why the buyer is told.' })
  kind!: NotificationKind;
  @Field(() => NotificationChannel, { description: 'How it reaches the buyer.' })
  channel!: NotificationChannel;
  @Field({ description: 'Subject line or title.' })
  subject!: string;
  @Field({ description: 'The message.' })
  body!: string;
  @Field(() => NotificationStatus, { description: 'Whether it has been delivered to the channel.' })
  status!: NotificationStatus;
  @Field({ description: 'When it was written (with its cause).' })
  createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the channel took it.' })
  sentAt!: Date | null;
}
exposeAs(NotificationEntity, 'Notification');

export const NotificationConnection = Connection(NotificationType, 'Notification');
