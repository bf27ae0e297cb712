/**
 * `live` preceded by what `first` reads. The live listener is registered before `first` reads, so a
 * change committed meanwhile is not lost (it may arrive as well as be read). Not an async
 * generator: a generator's `return` waits for a pending `next`, and an unsubscribe must drop the
 * listener at once.
 */
export function startWith<T>(
  live: AsyncIterable<T>,
  first: () => Promise<T[]>,
): AsyncIterableIterator<T> {
  const iterator = live[Symbol.asyncIterator]();
  let backlog: Promise<T[]> | null = null;
  const done = (): IteratorResult<T> => ({ done: true, value: undefined });
  return {
    async next() {
      const pending = await (backlog ??= first());
      const value = pending.shift();
      return value !== undefined ? { done: false, value } : iterator.next();
    },
    async return() {
      await iterator.return?.();
      return done();
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
