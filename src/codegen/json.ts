/** The `json` framework: the schedule spec itself, validated and with every default written out. */
import { validateSpec, withDefaults, type ScheduleSpec } from '../core/schedules';
import type { InsertionPlan, Snippet } from './types';

/** The validated spec with defaults filled, pretty-printed (2 spaces, LF, final newline). Throws SpecError on a bad spec. */
export function jsonSnippet(spec: ScheduleSpec): Snippet {
  return { framework: 'json', language: 'json', code: formatSpec(spec, '  ', '\n') };
}

/**
 * Replaces the whole content of a .json file with the spec (defaults filled), keeping the file's
 * indentation and line endings. `updatesExisting` is true when the file already held a schedule spec
 * (an object with a "policy").
 */
export function planJsonInsertion(spec: ScheduleSpec, source: { text: string; fileName: string }): InsertionPlan {
  const { text, fileName } = source;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const newText = formatSpec(spec, indent, eol);
  const updatesExisting = holdsSpec(text);
  const edits = newText === text ? [] : [{ start: 0, end: text.length, newText }];
  return {
    framework: 'json',
    edits,
    summary: [`${updatesExisting ? 'replace the schedule spec in' : 'write the schedule spec to'} ${fileName}`],
    updatesExisting,
  };
}

function formatSpec(spec: ScheduleSpec, indent: string, eol: string): string {
  const full = withDefaults(validateSpec(spec));
  return JSON.stringify(full, null, indent).replace(/\n/g, eol) + eol;
}

function holdsSpec(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && 'policy' in parsed;
  } catch {
    return false;
  }
}
