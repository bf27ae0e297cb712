import { ShipmentStatus } from '../entities/enums';
import type { CapturedSignature } from '../services/tracking/proof-checks';
import { CARRIER_STATUSES } from '../services/tracking/status-machine';
import type { CarrierEventInput } from '../services/tracking/tracking.service';
import { isReservedEventId } from '../services/tracking/event-ids';
import { isSignatureImage } from '../services/tracking/signature-image';

export type ParseResult =
  | { ok: true; event: CarrierEventInput }
  | { ok: false; error: 'INVALID_JSON' | 'INVALID_FIELD' | 'RESERVED_EVENT_ID'; field?: string };

/**
 * How far ahead of our clock an event may claim to be. A carrier clock running fast would
 * otherwise pin the status: every real event after it would look older and be history only.
 */
const MAX_FUTURE_MS = 60 * 60 * 1000;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

class FieldError extends Error {
  constructor(readonly field: string) {
    super(`invalid ${field}`);
  }
}

type Json = Record<string, unknown>;

function text(obj: Json, key: string, path: string, max: number, required: true): string;
function text(obj: Json, key: string, path: string, max: number, required: false): string | null;
function text(obj: Json, key: string, path: string, max: number, required: boolean): string | null {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) throw new FieldError(path);
    return null;
  }
  if (typeof value !== 'string') throw new FieldError(path);
  const trimmed = value.trim();
  if (trimmed.length === 0 && !required) return null;
  if (trimmed.length === 0 || trimmed.length > max || CONTROL.test(trimmed))
    throw new FieldError(path);
  return trimmed;
}

function matching(obj: Json, key: string, pattern: RegExp): string {
  const value = obj[key];
  if (typeof value !== 'string' || !pattern.test(value)) throw new FieldError(key);
  return value;
}

function dateTime(obj: Json, key: string, path: string, required: boolean): Date | null {
  const value = obj[key];
  if ((value === undefined || value === null) && !required) return null;
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) throw new FieldError(path);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new FieldError(path);
  return date;
}

function signature(value: unknown): CapturedSignature {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError('signature');
  }
  const s = value as Json;
  const imageDataUrl = s.imageDataUrl;
  if (typeof imageDataUrl !== 'string' || !isSignatureImage(imageDataUrl)) {
    throw new FieldError('signature.imageDataUrl');
  }
  const adult = s.adultIdVerified;
  if (adult !== undefined && adult !== null && typeof adult !== 'boolean') {
    throw new FieldError('signature.adultIdVerified');
  }
  return {
    signerName: text(s, 'signerName', 'signature.signerName', 120, true),
    imageDataUrl,
    signedAt: dateTime(s, 'signedAt', 'signature.signedAt', true) as Date,
    location: text(s, 'location', 'signature.location', 200, true),
    adultIdVerified: adult ?? null,
  };
}

/** Validates a carrier event body; the first bad field is named in the error. */
export function parseCarrierEvent(raw: Buffer, now = new Date()): ParseResult {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, error: 'INVALID_JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'INVALID_JSON' };
  }
  const b = body as Json;
  try {
    const status = b.status;
    if (typeof status !== 'string' || !CARRIER_STATUSES.includes(status as ShipmentStatus)) {
      throw new FieldError('status');
    }
    const occurredAt = dateTime(b, 'occurredAt', 'occurredAt', true) as Date;
    if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) throw new FieldError('occurredAt');
    const reason =
      b.reason === undefined || b.reason === null
        ? null
        : matching(b, 'reason', /^[A-Z][A-Z0-9_]{0,39}$/);
    // Never a `#`: our own events' ids have one (src/services/tracking/event-ids.ts).
    const eventId = matching(b, 'eventId', /^[A-Za-z0-9._:-]{1,80}$/);
    // Our own events' namespace (`local:label:N`, `local:void:N`): a carrier must not take it.
    if (isReservedEventId(eventId)) {
      return { ok: false, error: 'RESERVED_EVENT_ID', field: 'eventId' };
    }
    const hasSignature = b.signature !== undefined && b.signature !== null;
    if (hasSignature && status !== ShipmentStatus.DELIVERED) throw new FieldError('signature');
    return {
      ok: true,
      event: {
        eventId,
        trackingNumber: matching(b, 'trackingNumber', /^[A-Za-z0-9]{1,40}$/),
        status: status as ShipmentStatus,
        reason,
        description: text(b, 'description', 'description', 300, false),
        location: text(b, 'location', 'location', 200, false),
        occurredAt,
        estimatedDeliveryAt: dateTime(b, 'estimatedDeliveryAt', 'estimatedDeliveryAt', false),
        signature: hasSignature ? signature(b.signature) : null,
      },
    };
  } catch (error) {
    if (error instanceof FieldError)
      return { ok: false, error: 'INVALID_FIELD', field: error.field };
    throw error;
  }
}
