/**
 * How many steps' values LR Scope keeps on their way to the probe, ahead of the last step it judged.
 * The probe writes its step events when the steps it made outnumber the values it still holds (or
 * every 0.1 s), so the lookahead also sets how often it writes: one value ahead is lock-step (every
 * step written and answered before the next update), more lets the script's steps go by in batches.
 *
 * A schedule's values do not depend on the losses: they go 64 ahead, and a stop overtakes the queued
 * values at the next step (several ranks: the stop takes effect at the first step not yet given values).
 * A range test's stop rule needs the losses, so its lookahead covers about RANGE_AHEAD_MS of the
 * script's steps, measured as the run goes: a step of 200 ms or more goes in lock-step (the stop lands
 * before the next update); faster steps go in batches, and the stop lands within about that time
 * (every rank stopping at the same step), instead of costing each step a round trip to LR Scope.
 */
export const SCHEDULE_LOOKAHEAD = 64;
export const RANGE_AHEAD_MS = 200;
export const RANGE_LOOKAHEAD_MAX = 32;

export class Lookahead {
  /** When step 1 was judged (step 0 carries the script's warm-up). */
  private from: { step: number; at: number } | null = null;
  private steps = 1;

  constructor(private readonly mode: 'range' | 'schedule') {}

  /** Values to send ahead of step `step`, judged at time `now` (ms). */
  after(step: number, now: number): number {
    if (this.mode === 'schedule') return SCHEDULE_LOOKAHEAD;
    if (step === 1) this.from = { step, at: now };
    else if (this.from && step > this.from.step && now > this.from.at) {
      const msPerStep = (now - this.from.at) / (step - this.from.step);
      this.steps = Math.max(1, Math.min(RANGE_LOOKAHEAD_MAX, Math.floor(RANGE_AHEAD_MS / msPerStep)));
    }
    return this.steps;
  }

  /** Values to send before the first step. */
  get initial(): number {
    return this.mode === 'schedule' ? SCHEDULE_LOOKAHEAD : 1;
  }
}
