/**
 * How long a label purchase or void waits for the carrier. Both call the carrier outside any
 * transaction, between a transaction that records the operation and one that commits its outcome,
 * so a hung carrier holds only that request (which answers CARRIER_UNAVAILABLE), never the write
 * lock or a database connection.
 */
export const CARRIER_CALL_TIMEOUT_MS = 10_000;

/**
 * How long a purchase waits for the label's documents (before its transaction, like the sale).
 * Longer than a sale: drawing a PDF and a PNG is heavier work than selling the label (the
 * sandbox draws them on this process's CPU, about 0.1–1 s, more on a loaded machine); a hung
 * carrier is still cut off. The longer of this and the carrier timeout applies.
 */
export const DOCUMENT_CALL_TIMEOUT_MS = 30_000;

/** The carrier did not answer within the timeout. */
export class CarrierTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`The carrier did not answer the ${what} within ${ms} ms`);
    this.name = 'CarrierTimeoutError';
  }
}

/** `call`, or a CarrierTimeoutError after `ms`; the timer never keeps the process alive. */
export function withCarrierTimeout<T>(
  call: Promise<T>,
  what: string,
  ms: number = CARRIER_CALL_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CarrierTimeoutError(what, ms)), ms);
    timer.unref();
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
