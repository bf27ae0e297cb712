import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Address } from './address.entity';
import { Buyer } from './buyer.entity';
import { TIMESTAMP } from './columns';
import { OrderStatus, ShippingSpeed } from './enums';
import { Seller } from './seller.entity';

@Entity('orders')
@Index(['sellerId', 'placedAt', 'id'])
@Index(['buyerId', 'placedAt', 'id'])
// The platform's key: re-sending an order finds it instead of creating a second one, and
// concurrent imports of one order make one row (the loser's INSERT fails on this index).
@Index(['source', 'externalId'], { unique: true })
// Numbers are the marketplace's own: two marketplaces may both have an order "1001", but within
// one marketplace a number names one order to the people who read it.
@Index(['source', 'number'], { unique: true })
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Marketplace order number shown to people; unique within its source. */
  @Column({ type: 'varchar', length: 40 })
  number!: string;

  /** The marketplace or channel the order came from (e.g. "shopify-main"), as the importer names it. */
  @Column({ type: 'varchar', length: 40 })
  source!: string;

  /** The order's id in its source. */
  @Column({ type: 'varchar', length: 64 })
  externalId!: string;

  /**
   * SHA-256 of the last imported content (canonical JSON): the same order sent again is
   * recognised as unchanged without comparing every column and row.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  importDigest!: string | null;

  @Column({ type: 'integer' })
  sellerId!: number;
  @ManyToOne(() => Seller, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sellerId' })
  seller?: Seller;

  @Column({ type: 'integer' })
  buyerId!: number;
  @ManyToOne(() => Buyer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'buyerId' })
  buyer?: Buyer;

  @Column({ type: 'integer' })
  shipToAddressId!: number;
  @ManyToOne(() => Address)
  @JoinColumn({ name: 'shipToAddressId' })
  shipToAddress?: Address;

  @Column({ type: 'integer' })
  billingAddressId!: number;
  @ManyToOne(() => Address)
  @JoinColumn({ name: 'billingAddressId' })
  billingAddress?: Address;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Money in integer minor units. */
  @Column({ type: 'integer' })
  subtotalMinor!: number;
  @Column({ type: 'integer' })
  shippingMinor!: number;
  @Column({ type: 'integer' })
  taxMinor!: number;
  @Column({ type: 'integer' })
  totalMinor!: number;

  @Column({ type: 'varchar', length: 12 })
  shippingSpeed!: ShippingSpeed;

  @Column({ type: 'boolean', default: false })
  addressChangedAfterCheckout!: boolean;

  @Column({ type: 'boolean', default: false })
  onHold!: boolean;

  /** Default parcel: weight in ounces, dimensions in inches. */
  @Column({ type: 'integer' })
  parcelWeightOz!: number;
  @Column({ type: 'integer' })
  parcelLengthIn!: number;
  @Column({ type: 'integer' })
  parcelWidthIn!: number;
  @Column({ type: 'integer' })
  parcelHeightIn!: number;

  @Column({ ...TIMESTAMP })
  placedAt!: Date;

  @Column({ ...TIMESTAMP })
  updatedAt!: Date;
}
