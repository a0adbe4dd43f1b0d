/**
 * A watched LR log as a run: `LogWatch` follows the file, the record (backend `log`) grows on disk as
 * the points come (`RunRecordWriter`, as for a range test LR Scope runs), and the watch ends — its
 * record closed with the analysis — when the user stops it, when the log stops growing for the idle
 * time, when its curve diverges, or on a row that cannot be read. Without vscode; the clock is
 * injected so tests move time instead of waiting.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DEFAULT_BETA } from '../../core/analysis/smoothing';
import { DEFAULT_DIVERGE_FACTOR } from '../../core/analysis/stop-rule';
import { closeLogRecord, logRecord } from '../../core/logs/log-record';
import { WatchEndRule } from '../../core/logs/watch-end';
import type { RunRecord, StepPoint } from '../../core/runs/record';
import { newRunId, RunRecordWriter } from '../../engine/run-store';
import { LogWatch } from './log-watch';

/** Time and a periodic tick (`realClock` in the extension; tests pass their own and call `check`). */
export interface WatchClock {
  now(): number;
  every(ms: number, fn: () => void): { cancel(): void };
}

export const realClock: WatchClock = {
  now: () => Date.now(),
  every: (ms, fn) => {
    const handle = setInterval(fn, ms);
    return { cancel: () => clearInterval(handle) };
  },
};

export interface WatchedLogOptions {
  runsDir: string;
  /** End after this long without growth; null: only Stop (or a divergence) ends the watch. */
  idleMs: number | null;
  lrscopeVersion: string;
  clock?: WatchClock;
  /** How often the file is polled besides its change events (ms). */
  pollMs?: number;
}

/** How a watch ended; the record is closed and saved at `path`. */
export interface WatchedLogEnd {
  reason: 'stopped' | 'idle' | 'diverged' | 'failed';
  detail: string;
  record: RunRecord;
  path: string;
}

export interface WatchedLogEvents {
  points(points: StepPoint[]): void;
  /** The file was rewritten: the record starts again from nothing. */
  reset(): void;
  ended(end: WatchedLogEnd): void;
  /** A problem the watch survives (the file is gone for a moment, a save failed). */
  warn(message: string): void;
}

export class WatchedLog {
  private readonly clock: WatchClock;
  private readonly rule: WatchEndRule;
  private readonly watch: LogWatch;
  private ticker: { cancel(): void } | undefined;
  private betaKnown = false;
  /** No more points are taken (the watch is ending, its last line read). */
  private closed = false;
  private ending: Promise<WatchedLogEnd> | undefined;

  private constructor(
    readonly path: string,
    private readonly writer: RunRecordWriter,
    private readonly options: WatchedLogOptions,
    private readonly events: WatchedLogEvents,
  ) {
    this.clock = options.clock ?? realClock;
    this.rule = new WatchEndRule({ idleMs: options.idleMs, beta: DEFAULT_BETA, divergeFactor: DEFAULT_DIVERGE_FACTOR }, this.clock.now());
    this.watch = new LogWatch(path, {
      points: (points) => this.take(points),
      grew: () => this.rule.grew(this.clock.now()),
      reset: () => {
        this.writer.record.points.length = 0;
        this.writer.changed();
        this.rule.reset(this.clock.now());
        this.events.reset();
      },
      error: (err, fatal) => {
        if (fatal) void this.end('failed', err.message);
        else this.events.warn(`watching ${path}: ${err.message}`);
      },
    });
  }

  /** Writes the watch's record (status `running`) and returns the watch, not yet started. */
  static async open(path: string, options: WatchedLogOptions, events: WatchedLogEvents): Promise<WatchedLog> {
    const now = new Date((options.clock ?? realClock).now());
    const record = logRecord({
      id: newRunId('range-test', now),
      path,
      sha256: '',
      label: basename(path),
      startedAt: now.toISOString(),
      points: [],
      smoothedLoss: false,
      format: null,
      source: 'watched',
      lrscopeVersion: options.lrscopeVersion,
    });
    const writer = await RunRecordWriter.open(options.runsDir, record, { onSaveError: (message) => events.warn(message) });
    return new WatchedLog(path, writer, options, events);
  }

  get id(): string {
    return this.writer.record.id;
  }

  get recordPath(): string {
    return this.writer.path;
  }

  /** The record as it is now (it grows). */
  get record(): RunRecord {
    return this.writer.record;
  }

  get pointCount(): number {
    return this.writer.record.points.length;
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** Follows the file (change events and polling) and checks for idleness every second (or the idle time, when shorter). */
  start(): void {
    this.watch.start(this.options.pollMs);
    const idle = this.options.idleMs;
    this.ticker = this.clock.every(Math.max(10, Math.min(1000, idle ?? 1000)), () => void this.check());
  }

  /** Reads what was appended (tests call this instead of waiting for `start`'s polling). */
  poll(): Promise<void> {
    return this.watch.poll();
  }

  /** Ends the watch if the log has not grown for the idle time; the end, or null while it goes on. */
  async check(): Promise<WatchedLogEnd | null> {
    if (this.ending) return null;
    const idle = this.rule.idle(this.clock.now());
    return idle ? this.end('idle', `${idle.detail} after ${this.pointCount} points`) : null;
  }

  /** Stop Watching: reads a last unterminated line, closes the record. */
  stop(): Promise<WatchedLogEnd> {
    return this.end('stopped', '');
  }

  private take(points: StepPoint[]): void {
    if (this.closed) return;
    if (!this.betaKnown) {
      this.betaKnown = true;
      const beta = this.watch.smoothedLoss ? 0 : DEFAULT_BETA;
      this.writer.record.options.beta = beta;
      this.rule.reset(this.clock.now(), beta);
    }
    this.writer.record.points.push(...points);
    this.writer.changed();
    this.events.points(points);
    const end = this.ending ? null : this.rule.points(points, this.clock.now());
    if (end) {
      this.closed = true;
      void this.end('diverged', end.detail);
    }
  }

  private end(reason: WatchedLogEnd['reason'], detail: string): Promise<WatchedLogEnd> {
    this.ending ??= (async () => {
      this.ticker?.cancel();
      this.ticker = undefined;
      if (reason === 'stopped') await this.watch.stop(); // the last line without a line break counts
      else this.watch.halt();
      this.closed = true;
      const record = this.writer.record;
      const said = reason === 'stopped' ? `stopped watching after ${record.points.length} points` : detail;
      record.experiment.sha256 = await readFile(this.path).then(
        (bytes) => createHash('sha256').update(bytes).digest('hex'),
        () => '',
      );
      closeLogRecord(record, reason === 'diverged' ? 'diverged' : reason === 'failed' ? 'failed' : 'completed', said, new Date(this.clock.now()).toISOString(), this.watch.format);
      const path = await this.writer.close();
      const end: WatchedLogEnd = { reason, detail: said, record, path };
      this.events.ended(end);
      return end;
    })();
    return this.ending;
  }
}
