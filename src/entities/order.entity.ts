import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Address } from './address.entity';
import { Buyer } from './buyer.entity';
import { TIMESTAMP } from './columns';
import { OrderStatus, ShippingSpeed } from './enums';
import { Seller } from './seller.entity';

@Entity('orders')
@Index(['sellerId', 'placedAt', 'id'])
@Index(['buyerId', 'placedAt', 'id'])
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Marketplace order number shown to people. */
  @Column({ type: 'varchar', length: 40, unique: true })
  number!: string;

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
