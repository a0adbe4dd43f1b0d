/**
 * Streams points to the webview at the host's pace (≤ 10 updates/s at 100 ms): points pushed in
 * between are buffered per run and sent together.
 */
import type { StepPoint } from '../../core/runs/record';
import { Pace, realScheduler, UPDATE_INTERVAL_MS, type Scheduler } from '../pace';

export type { Scheduler } from '../pace';
export { realScheduler } from '../pace';

/** One batch of points of one run, in step order. */
export interface PointBatch {
  runId: string;
  points: StepPoint[];
}

export class PointCoalescer {
  private buffer = new Map<string, StepPoint[]>();
  private readonly pace: Pace;

  /**
   * @param send receives each flushed batch (one per run with pending points).
   * @param intervalMs minimum time between two flushes.
   */
  constructor(
    private readonly send: (batch: PointBatch) => void,
    scheduler: Scheduler = realScheduler,
    intervalMs = UPDATE_INTERVAL_MS,
  ) {
    this.pace = new Pace(() => this.sendBuffered(), scheduler, intervalMs);
  }

  /** Buffers a point; schedules a flush no sooner than `intervalMs` after the previous one. */
  push(runId: string, point: StepPoint): void {
    const list = this.buffer.get(runId);
    if (list) list.push(point);
    else this.buffer.set(runId, [point]);
    this.pace.request();
  }

  /** Sends everything buffered now (before a message that must follow the points, e.g. status). */
  flush(): void {
    this.pace.flush();
  }

  /** Drops what is buffered (a full state replay already contains it). */
  clear(): void {
    this.pace.clear();
    this.buffer.clear();
  }

  get pending(): number {
    let n = 0;
    for (const list of this.buffer.values()) n += list.length;
    return n;
  }

  private sendBuffered(): void {
    const batches = [...this.buffer].map(([runId, points]) => ({ runId, points }));
    this.buffer.clear();
    for (const batch of batches) this.send(batch);
  }
}
