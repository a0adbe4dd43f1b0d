/**
 * When a watched log is over without anyone saying so: it stopped growing for `idleMs` (the user's
 * training ended, or hangs), or its curve diverged (the range test's own stop rule, on the log's
 * points). Pure: the caller gives the time.
 */
import { createStopRule, describeStop, type StopRule } from '../analysis/stop-rule';

export type WatchEnd = { reason: 'idle'; detail: string } | { reason: 'diverged'; detail: string };

export interface WatchEndOptions {
  /** End after this long without a new point; null never ends on idleness. */
  idleMs: number | null;
  /** The stop rule's EMA factor and divergence factor (null: never ends on divergence). */
  beta: number;
  divergeFactor: number | null;
}

/** Idle time in words: `60 s`, `2 min`, `250 ms`. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

export class WatchEndRule {
  private stop: StopRule;
  private lastGrowth: number;

  constructor(
    private options: WatchEndOptions,
    now: number,
  ) {
    this.stop = createStopRule({ beta: options.beta, divergeFactor: options.divergeFactor });
    this.lastGrowth = now;
  }

  /** New points at `now`: the log grew; ends when one of them trips the stop rule. */
  points(points: readonly { step: number; lr: number; loss: number }[], now: number): WatchEnd | null {
    if (points.length > 0) this.lastGrowth = now;
    for (const p of points) {
      const decision = this.stop.step(p.loss);
      if (decision.stop) {
        return { reason: 'diverged', detail: `the log's curve ${describeStop(decision.reason, p.step, p.lr, p.loss, this.options.divergeFactor)}` };
      }
    }
    return null;
  }

  /** Ends when nothing new came for `idleMs` up to `now`. */
  idle(now: number): WatchEnd | null {
    const { idleMs } = this.options;
    if (idleMs === null || now - this.lastGrowth < idleMs) return null;
    return { reason: 'idle', detail: `the log stopped growing for ${durationText(idleMs)}` };
  }

  /** The file was rewritten (or its losses turned out smoothed already: `beta`): everything starts again at `now`. */
  reset(now: number, beta: number = this.options.beta): void {
    this.options = { ...this.options, beta };
    this.stop = createStopRule({ beta: this.options.beta, divergeFactor: this.options.divergeFactor });
    this.lastGrowth = now;
  }

  /** The file's text grew at `now` without completing a point (a partial line, a header). */
  grew(now: number): void {
    this.lastGrowth = now;
  }
}
