/**
 * What a schedule's TS/JS source is: `lrAt(step)` (and `momentumAt(step)` when the spec cycles momentum),
 * written with plain Math in the canonical template style (the code generator restyles it). Each flavor
 * module writes its own; pure string builders.
 */

export type ScriptLanguage = 'ts' | 'js';

export interface ScheduleSource {
  /** Template lines defining `lrAt` (and `momentumAt` and their helpers). */
  lines: string[];
  /** Whether `momentumAt` is defined. */
  cyclesMomentum: boolean;
  /** Whether the schedule holds its last value past its end (every flavor but optax, which has its own tail). */
  holdsEnd: boolean;
  /** The number of optimizer updates the schedule covers, when it has an end. */
  length: number | null;
  /** One phrase describing the schedule, for comments and summaries. */
  description: string;
}

/** Type annotation helper: `t(': number')` is the annotation in TS and nothing in JS. */
export type Annotate = (annotation: string) => string;

export function annotate(language: ScriptLanguage): Annotate {
  return (annotation) => (language === 'ts' ? annotation : '');
}

/** A number literal in TS/JS (the shortest form that round-trips). */
export const num = (value: number): string => String(value);
