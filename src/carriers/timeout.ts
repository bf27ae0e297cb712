/**
 * How long a label purchase or void waits for the carrier. Both call the carrier outside any
 * transaction, between a transaction that records the operation and one that commits its outcome,
 * so a hung carrier holds only that request (which answers CARRIER_UNAVAILABLE), never the write
 * lock or a database connection.
 */
export const CARRIER_CALL_TIMEOUT_MS = 10_000;

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
