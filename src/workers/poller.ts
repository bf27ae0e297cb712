export interface PollerOptions<R> {
  /** Wait between rounds. */
  intervalMs: number;
  /** A round that was full goes again at once (more may be waiting). */
  full?: (run: R) => boolean;
  /** A round that threw: logged by the worker; polling goes on. */
  onError: (error: unknown) => void;
}

/**
 * The loop every background worker runs: a round now, then one every `intervalMs` (at once again
 * after a full round) until stopped. `runOnce` runs a round on demand and shares the one in
 * progress; `stop` waits for the round in hand. The timer is unref'd: polling alone does not keep
 * the process alive.
 */
export class Poller<R> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<R> | null = null;
  private halted = false;

  constructor(
    private readonly round: () => Promise<R>,
    private readonly options: PollerOptions<R>,
  ) {}

  /** Set once `stop` is called: a round in progress checks it between items. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    if (this.timer || this.halted) return;
    const tick = async () => {
      let again = false;
      try {
        const run = await this.runOnce();
        again = this.options.full?.(run) ?? false;
      } catch (error) {
        this.options.onError(error);
      }
      if (!this.halted) this.schedule(tick, again ? 0 : this.options.intervalMs);
    };
    this.schedule(tick, 0);
  }

  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  runOnce(): Promise<R> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    this.timer = setTimeout(() => void fn(), ms);
    this.timer.unref();
  }
}
