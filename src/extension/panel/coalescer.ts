/**
 * Streams points to the webview at most once per interval (≤ 10 updates/s at 100 ms): points
 * pushed in between are buffered per run and sent together. Clock and timers are injected, so the
 * behaviour is tested without waiting.
 */
import type { StepPoint } from '../../core/runs/record';

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

/** One batch of points of one run, in step order. */
export interface PointBatch {
  runId: string;
  points: StepPoint[];
}

export class PointCoalescer {
  private buffer = new Map<string, StepPoint[]>();
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;

  /**
   * @param send receives each flushed batch (one per run with pending points).
   * @param intervalMs minimum time between two flushes.
   */
  constructor(
    private readonly send: (batch: PointBatch) => void,
    private readonly scheduler: Scheduler = realScheduler,
    readonly intervalMs = 100,
  ) {}

  /** Buffers a point; schedules a flush no sooner than `intervalMs` after the previous one. */
  push(runId: string, point: StepPoint): void {
    const list = this.buffer.get(runId);
    if (list) list.push(point);
    else this.buffer.set(runId, [point]);
    if (this.timer === undefined) {
      const wait = Math.max(0, this.lastFlush + this.intervalMs - this.scheduler.now());
      this.timer = this.scheduler.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
    }
  }

  /** Sends everything buffered now (before a message that must follow the points, e.g. status). */
  flush(): void {
    if (this.timer !== undefined) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.size === 0) return;
    const batches = [...this.buffer].map(([runId, points]) => ({ runId, points }));
    this.buffer.clear();
    this.lastFlush = this.scheduler.now();
    for (const batch of batches) this.send(batch);
  }

  /** Drops what is buffered (a full state replay already contains it). */
  clear(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer.clear();
  }

  get pending(): number {
    let n = 0;
    for (const list of this.buffer.values()) n += list.length;
    return n;
  }
}
