/**
 * External LR logs (J7) without vscode: the panel snapshot of a parsed log, and `LogWatch`, which
 * follows a growing log file (`FileTail`) through the core's `createLogFollower` and reports the
 * new points — the user's own PyTorch/Keras/fastai training writes two numbers per batch while the
 * plot updates.
 */
import { basename } from 'node:path';
import type { RangePoint } from '../../core/analysis/index';
import { createLogFollower, LogParseError, type LogFollower } from '../../core/logs/index';
import type { StepPoint } from '../../core/runs/record';
import type { RangeSpec } from '../../core/schedules/spec';
import type { RunSnapshot } from '../../protocol/webview';
import { FileTail } from './file-tail';
import { maxOf, minOf } from '../../core/extent';
import { MAX_SCHEDULE_STEPS } from '../../core/schedules/validate';

/** The run id under which a log file is shown. */
export function logRunId(path: string): string {
  return `log:${path}`;
}

/** Points of a log as step points (step = row order). */
export function logStepPoints(points: readonly RangePoint[], firstStep = 0): StepPoint[] {
  return points.map((p, i) => ({ step: firstStep + i, lr: p.lr, loss: p.loss }));
}

/** The range spec a log covers (its LR span); a placeholder span while it has no points yet. */
export function logRangeSpec(points: readonly { lr: number }[]): RangeSpec {
  const lrs = points.map((p) => p.lr).filter((lr) => Number.isFinite(lr) && lr > 0);
  if (lrs.length === 0) return { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 };
  const startLr = minOf(lrs);
  const endLr = maxOf(lrs);
  return { policy: 'range', mode: 'exp', startLr, endLr: endLr > startLr ? endLr : startLr * 10, steps: Math.min(MAX_SCHEDULE_STEPS, Math.max(2, points.length)) };
}

/** The panel's run for a log: losses already smoothed by the tool are analysed with β = 0. */
export function logSnapshot(path: string, points: readonly RangePoint[], smoothedLoss: boolean, status: RunSnapshot['status']): RunSnapshot {
  return {
    id: logRunId(path),
    kind: 'range-test',
    label: basename(path),
    status,
    ...(status === 'running' ? { statusDetail: 'watching the file for new lines' } : {}),
    schedule: logRangeSpec(points),
    ...(smoothedLoss ? { beta: 0 } : {}),
    backend: 'external log',
    points: logStepPoints(points),
    epochs: [],
  };
}

export interface LogWatchEvents {
  /** New points at the end of the log (steps continue from the previous ones). */
  points(points: StepPoint[]): void;
  /** The file was rewritten: start from nothing. */
  reset(): void;
  /** A row that cannot be read (the watch stops) or the file is unreadable (the watch goes on). */
  error(err: Error, fatal: boolean): void;
}

export class LogWatch {
  private follower: LogFollower;
  private readonly tail: FileTail;
  private count = 0;
  private stopped = false;

  constructor(
    readonly path: string,
    private readonly events: LogWatchEvents,
  ) {
    this.follower = createLogFollower(basename(path));
    this.tail = new FileTail(path, {
      // Line by line, so the rows before a bad one still count.
      chunk: (text) => {
        for (const piece of text.split(/(?<=\n)/)) this.take(() => this.follower.push(piece));
      },
      reset: () => {
        this.follower = createLogFollower(basename(path));
        this.count = 0;
        this.events.reset();
      },
      error: (err) => this.events.error(err, false),
    });
  }

  /** Points seen so far. */
  get pointCount(): number {
    return this.count;
  }

  /** True when losses in the log are smoothed already (known once the header is read). */
  get smoothedLoss(): boolean {
    return this.follower.smoothedLoss;
  }

  /** Starts following (fs.watch + polling). */
  start(intervalMs?: number): void {
    this.tail.start(intervalMs);
  }

  /** Reads what was appended since the last read (tests call this instead of `start`). */
  poll(): Promise<void> {
    return this.tail.poll();
  }

  /** Stops following and reads a last line that has no line break yet. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.tail.stop();
    await this.tail.poll();
    this.take(() => this.follower.end());
    this.stopped = true;
  }

  private take(read: () => RangePoint[]): void {
    if (this.stopped) return;
    let points: RangePoint[];
    try {
      points = read();
    } catch (err) {
      if (err instanceof LogParseError) {
        this.stopped = true;
        this.tail.stop();
        this.events.error(err, true);
        return;
      }
      throw err;
    }
    if (points.length === 0) return;
    const steps = logStepPoints(points, this.count);
    this.count += points.length;
    this.events.points(steps);
  }
}
