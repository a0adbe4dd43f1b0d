/**
 * The schedule section's form: from a flavor, a max LR, epochs × steps/epoch and the user's raw
 * field edits to a validated schedule spec, with one message per invalid field. Pure; no DOM.
 * The spec is validated by the core (`validateSpec`), so the messages are the core's.
 */
import type { ScheduleSpec } from '../src/core/schedules/spec';
import type { PreviewFlavor } from '../src/protocol/webview';
import { flavorById, proposeSchedule, specProblem, withDefaults, type FlavorField } from './core';

export type { FieldKind } from './core';
/** A field of the form: the flavor's own description of it (core/schedules/flavors). */
export type FieldDef = FlavorField;

export interface FormField extends FieldDef {
  /** Text shown in the input: the user's edit, else the default. */
  value: string;
  /** True when `value` is the user's edit. */
  edited: boolean;
  error: string | null;
}

export interface ScheduleForm {
  /** The validated spec; null while a field is invalid. */
  spec: ScheduleSpec | null;
  /** The spec's own LR field name (`maxLr`, `lrMax`, `peakValue`). */
  maxLrKey: string;
  fields: FormField[];
  /** Errors of the common inputs (max LR, epochs, steps/epoch) and of the spec as a whole. */
  errors: { maxLr: string | null; epochs: string | null; stepsPerEpoch: string | null; spec: string | null };
}

export interface ScheduleInputs {
  flavor: PreviewFlavor;
  /** Raw text of the max LR input. */
  maxLr: string;
  epochs: string;
  stepsPerEpoch: string;
  /** The user's edits of the flavor's fields, raw text by key. */
  params: Readonly<Record<string, string>>;
}

/** The editable fields of a flavor (besides max LR and the length). */
export function flavorFields(flavor: PreviewFlavor): readonly FieldDef[] {
  return flavorById(flavor).fields;
}

/** The name of the flavor's peak-LR field in its spec. */
export function maxLrKey(flavor: PreviewFlavor): string {
  return flavorById(flavor).lrField;
}

/** Shortest readable text for a number (`0.0003` → `3e-4`, `0.3` → `0.3`), ≤ 6 significant digits. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return v === v ? String(v) : '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(6)));
  const [m, e] = v.toExponential(4).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

/** A number for reading, not editing: four significant digits (`0.621204` → `0.6212`). */
export function formatShort(v: number): string {
  return Number.isFinite(v) ? formatNumber(Number(v.toPrecision(4))) : '—';
}

function display(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))).join(', ');
  return String(v ?? '');
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseField(def: FieldDef, raw: string): Parsed {
  const text = raw.trim();
  switch (def.kind) {
    case 'number':
    case 'integer': {
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) return { ok: false, error: `${def.label}: enter a number` };
      if (def.kind === 'integer' && !Number.isInteger(v)) return { ok: false, error: `${def.label}: enter a whole number` };
      return { ok: true, value: v };
    }
    case 'choice':
      return def.choices?.includes(text) ? { ok: true, value: text } : { ok: false, error: `${def.label}: one of ${def.choices?.join(', ')}` };
    case 'boolean':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, error: `${def.label}: true or false` };
    case 'list': {
      const parts = text.split(/[\s,]+/).filter(Boolean).map(Number);
      if (parts.length === 0 || parts.some((p) => !Number.isFinite(p))) return { ok: false, error: `${def.label}: numbers separated by commas` };
      return { ok: true, value: parts };
    }
  }
}

function positive(raw: string, label: string, integer: boolean): { value: number | null; error: string | null } {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) return { value: null, error: `${label} must be a number > 0` };
  if (integer && !Number.isInteger(v)) return { value: null, error: `${label} must be a whole number` };
  return { value: v, error: null };
}

/**
 * Builds the form and, when every input is valid, the spec. Errors of the spec as a whole are
 * attributed to the field the core names (`moms[1]` → `moms`), else to the max LR input when the
 * core names the LR field, else reported as `errors.spec`.
 */
export function buildScheduleForm(inputs: ScheduleInputs): ScheduleForm {
  const { flavor } = inputs;
  const lrKey = maxLrKey(flavor);
  const maxLr = positive(inputs.maxLr, 'max LR', false);
  const epochs = positive(inputs.epochs, 'epochs', true);
  const steps = positive(inputs.stepsPerEpoch, 'steps/epoch', true);
  const errors: ScheduleForm['errors'] = { maxLr: maxLr.error, epochs: epochs.error, stepsPerEpoch: steps.error, spec: null };

  // Defaults shown in the fields come from a nominal spec while the common inputs are invalid.
  const proposed = proposeSchedule(flavor, maxLr.value ?? 1e-3, epochs.value ?? 1, steps.value ?? 1);
  const nominal = proposed.spec ?? proposeSchedule(flavor, maxLr.value ?? 1e-3, 10, 100).spec;
  if (!nominal) throw new Error(`no ${flavor} schedule for nominal inputs`);
  if (proposed.error && !errors.epochs && !errors.stepsPerEpoch) errors.epochs = proposed.error;
  const base = nominal;
  const defaults = withDefaults(base) as unknown as Record<string, unknown>;

  const candidate: Record<string, unknown> = { ...base };
  const fields: FormField[] = flavorFields(flavor).map((def) => {
    const edit = inputs.params[def.key];
    const edited = edit !== undefined;
    const value = edited ? edit : display(defaults[def.key]);
    let error: string | null = null;
    if (edited) {
      const parsed = parseField(def, edit);
      if (parsed.ok) candidate[def.key] = parsed.value;
      else error = parsed.error;
    }
    return { ...def, value, edited, error };
  });

  const anyError = errors.maxLr || errors.epochs || errors.stepsPerEpoch || fields.some((f) => f.error);
  if (anyError) return { spec: null, maxLrKey: lrKey, fields, errors };

  const spec = candidate as unknown as ScheduleSpec;
  const problem = specProblem(spec);
  if (problem) {
    const key = problem.field.replace(/[[.].*$/, '');
    const field = fields.find((f) => f.key === key);
    if (field) field.error = problem.message;
    else if (key === lrKey) errors.maxLr = problem.message;
    else if (key === 'totalSteps' || key === 'transitionSteps' || key === 'steps') errors.epochs = problem.message;
    else errors.spec = problem.message;
    return { spec: null, maxLrKey: lrKey, fields, errors };
  }
  return { spec, maxLrKey: lrKey, fields, errors };
}
