import { badInput } from './errors';

/** Types that have global ids. */
export type NodeTypeName =
  | 'Order'
  | 'LineItem'
  | 'Seller'
  | 'Buyer'
  | 'CarrierService'
  | 'LabelQuote'
  | 'Label'
  | 'Shipment'
  | 'TrackingEvent'
  | 'DeliveryProof'
  | 'Notification'
  | 'LabelBatch'
  | 'WebhookEndpoint'
  | 'WebhookDelivery'
  | 'Claim'
  | 'ApiToken'
  | 'ShipFromLocation';

/** Largest value of a PostgreSQL `integer` / SERIAL key. */
export const MAX_SERIAL = 2147483647;

/** Opaque Relay id: base64url of `Type:pk`. */
export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Decodes any global id; null when it is not one of ours. */
export function parseGlobalId(id: string): { type: string; id: number } | null {
  if (typeof id !== 'string' || id.length > 100) return null;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,14})$/.exec(decoded);
  if (!match || Buffer.from(decoded, 'utf8').toString('base64url') !== id) return null;
  const pk = Number(match[2]);
  // Keys are SERIAL (32-bit) columns: a larger number names no row, and PostgreSQL would reject
  // it as out of range (an internal error) where SQLite just finds nothing.
  if (pk > MAX_SERIAL) return null;
  return { type: match[1], id: pk };
}

/** Decodes an id that must be of `type`; null when malformed or of another type (mutations report INVALID_ID). */
export function globalIdOf(id: string, type: NodeTypeName): number | null {
  const parsed = parseGlobalId(id);
  return parsed && parsed.type === type ? parsed.id : null;
}

/** Decodes an id that must be of `type`; a malformed id or another type is a user input error. */
export function fromGlobalId(id: string, type: NodeTypeName, field = 'id'): number {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.type !== type) throw badInput(`${field} is not a valid ${type} id`, field);
  return parsed.id;
}
