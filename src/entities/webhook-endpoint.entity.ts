import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from './columns';
import { WebhookEndpointStatus } from './enums';

/**
 * A URL a seller (or, with no seller, the platform) registered for outgoing webhooks. The secret
 * signs every delivery, so it is stored as given (a hash could not sign); it is shown once, at
 * creation, and never returned by a query.
 */
@Entity('webhook_endpoints')
@Index(['sellerId', 'status'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Null: a platform endpoint, managed by staff, that receives every seller's events. */
  @Column({ type: 'integer', nullable: true })
  sellerId!: number | null;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** Event types it subscribes to, e.g. ["label.purchased"]. */
  @Column({ type: 'simple-json' })
  events!: string[];

  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: WebhookEndpointStatus;

  /** Deliveries that ended FAILED in a row; a success resets it. */
  @Column({ type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ ...TIMESTAMP, nullable: true })
  disabledAt!: Date | null;

  /** The notice to the owner: why the endpoint was turned off. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  disabledReason!: string | null;

  @Column({ ...TIMESTAMP })
  createdAt!: Date;
}
