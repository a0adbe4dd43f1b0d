/**
 * `LogWatch` follows a growing LR log file (`FileTail`) through the core's `createLogFollower` and
 * reports the new points — the user's own PyTorch/Keras/fastai training writes two numbers per batch
 * while the plot updates. Without vscode.
 */
import { basename } from 'node:path';
import type { RangePoint } from '../../core/analysis/index';
import { createLogFollower, LogParseError, type LogFollower, type LogFormat } from '../../core/logs/index';
import { logStepPoints } from '../../core/logs/log-record';
import type { StepPoint } from '../../core/runs/record';
import { FileTail } from './file-tail';

export interface LogWatchEvents {
  /** New points at the end of the log (steps continue from the previous ones). */
  points(points: StepPoint[]): void;
  /** The file was rewritten: start from nothing. */
  reset(): void;
  /** A row that cannot be read (the watch stops) or the file is unreadable (the watch goes on). */
  error(err: Error, fatal: boolean): void;
  /** The file grew (a whole line or part of one). */
  grew?(): void;
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
        this.events.grew?.();
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

  /** The log's format, once its first record is read. */
  get format(): LogFormat | null {
    return this.follower.format;
  }

  /** Starts following (fs.watch + polling). */
  start(intervalMs?: number): void {
    this.tail.start(intervalMs);
  }

  /** Reads what was appended since the last read (tests call this instead of `start`). */
  poll(): Promise<void> {
    return this.tail.poll();
  }

  /** Stops following at once, reading nothing more. */
  halt(): void {
    this.stopped = true;
    this.tail.stop();
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
