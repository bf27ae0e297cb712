/**
 * Ids of the tracking events the product writes itself, in the `(carrier, carrierEventId)` key
 * they share with carriers' events. They contain `#`, which a carrier's event id may never
 * contain (src/webhooks/carrier-event.ts), so no carrier event, accepted now or before this
 * namespace existed, can take one and make a purchase or a void fail on the unique key.
 */
export const internalEventId = (kind: 'label' | 'void', labelId: number): string =>
  `local#${kind}:${labelId}`;

/**
 * Our own events used `local:label:N` / `local:void:N` before; those rows stay. A carrier event id
 * in that namespace is refused (it would read as a duplicate of ours, or impersonate one).
 */
const RESERVED_PREFIX = /^local[:#]/i;

export const isReservedEventId = (eventId: string): boolean => RESERVED_PREFIX.test(eventId);

/** SQL LIKE patterns of our own event ids, current and older; any other id is a carrier's. */
export const INTERNAL_EVENT_ID_LIKE: readonly string[] = ['local#%', 'local:%'];
