/**
 * At most one call per interval, the first at once after a quiet period, the last never lost: how the
 * host paces what it shows of a streaming run (points to the panel, the status bar and the progress
 * notification), all at the same interval. Clock and timers are injected, so it is tested without
 * waiting.
 */
export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The host's pace for a streaming run: ≤ 10 updates/s. */
export const UPDATE_INTERVAL_MS = 100;

export class Pace {
  private timer: unknown;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly run: () => void,
    private readonly scheduler: Scheduler = realScheduler,
    readonly intervalMs = UPDATE_INTERVAL_MS,
  ) {}

  /** Asks for a call: no sooner than `intervalMs` after the previous one. Cheap to call any number of times. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.scheduler.now());
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.call();
    }, wait);
  }

  /** Calls now when a call is pending (before something that must follow it). */
  flush(): void {
    if (this.timer === undefined) return;
    this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.call();
  }

  /** Calls now, pending or not (a change that must show at once: started, stopping). */
  runNow(): void {
    this.clear();
    this.call();
  }

  /** Drops the pending call. */
  clear(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private call(): void {
    this.last = this.scheduler.now();
    this.run();
  }
}
