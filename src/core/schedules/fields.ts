/**
 * Reading the fields of an untrusted spec object: `Fields` checks one field at a time and throws a
 * `SpecError` that names the policy/flavor, the field, what is allowed and what was given. Shared by
 * `validateSpec` and every flavor's own `validate`.
 */
import { SpecError } from './errors';

/**
 * The longest schedule a spec may describe, in optimizer steps (every length field: `steps`,
 * `totalSteps`, `transitionSteps`, `stepSize`, `stepSizeUp`, `stepSizeDown`). A run record keeps a
 * point per step; a million points is what the analysis, the plots and a record file handle well.
 */
export const MAX_SCHEDULE_STEPS = 1_000_000;

export interface NumberRange {
  min?: number;
  minOpen?: boolean;
  max?: number;
  maxOpen?: boolean;
}

/** Reads the fields of one (sub)object and produces the messages. */
export class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    readonly where: string,
    allowed: readonly string[],
    private readonly prefix = '',
  ) {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      throw new SpecError(prefix + key, `${where}: unknown field "${prefix + key}"${hint}; allowed fields: ${allowed.map((a) => prefix + a).join(', ')}`);
    }
  }

  /** Throws `<where>: field "<field>" <rule>, got <value>`. */
  fail(field: string, rule: string, got: unknown): never {
    throw new SpecError(this.prefix + field, `${this.where}: field "${this.prefix + field}" ${rule}, got ${describe(got)}`);
  }

  raw(field: string): unknown {
    return this.obj[field];
  }

  private present(field: string, required: boolean, what: string): boolean {
    if (this.obj[field] !== undefined) return true;
    if (required) throw new SpecError(this.prefix + field, `${this.where}: field "${this.prefix + field}" is missing (${what})`);
    return false;
  }

  number(field: string, range: NumberRange, required: true): number;
  number(field: string, range: NumberRange, required: boolean): number | undefined;
  number(field: string, range: NumberRange, required: boolean): number | undefined {
    const what = describeRange(range);
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be ${what}`, v);
    const { min, max } = range;
    const belowMin = min !== undefined && (range.minOpen ? v <= min : v < min);
    const aboveMax = max !== undefined && (range.maxOpen ? v >= max : v > max);
    if (belowMin || aboveMax) this.fail(field, `must be ${what}`, v);
    return v;
  }

  lr(field: string, required: true): number;
  lr(field: string, required: boolean): number | undefined;
  lr(field: string, required: boolean): number | undefined {
    return this.number(field, { min: 0, minOpen: true }, required);
  }

  fraction(field: string, required: boolean): number | undefined {
    const what = 'in (0, 1)';
    if (!this.present(field, required, `a number ${what}`)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a number ${what}`, v);
    if (!(v > 0 && v < 1)) this.fail(field, `must be ${what}`, v);
    return v;
  }

  momentum(field: string, required: true): number;
  momentum(field: string, required: boolean): number | undefined;
  momentum(field: string, required: boolean): number | undefined {
    return this.number(field, { min: 0, max: 1, maxOpen: true }, required);
  }

  /** A number of steps: an integer in [min, MAX_SCHEDULE_STEPS]. */
  integer(field: string, min: number, required: true): number;
  integer(field: string, min: number, required: boolean): number | undefined;
  integer(field: string, min: number, required: boolean): number | undefined {
    const what = `an integer ≥ ${min}`;
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(field, `must be ${what}`, v);
    if (v > MAX_SCHEDULE_STEPS) this.fail(field, `must be at most ${MAX_SCHEDULE_STEPS} (the longest schedule LR Scope runs and records, one point per step)`, v);
    return v;
  }

  boolean(field: string, required: boolean): boolean | undefined {
    if (!this.present(field, required, 'true or false')) return undefined;
    const v = this.obj[field];
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false', v);
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[], required: true): T;
  oneOf<T extends string>(field: string, values: readonly T[], required: boolean): T | undefined;
  oneOf<T extends string>(field: string, values: readonly T[], required: boolean): T | undefined {
    const what = `one of ${list(values)}`;
    if (!this.present(field, required, what)) return undefined;
    const v = this.obj[field];
    if (!includes(values, v)) this.fail(field, `must be ${what}`, v);
    return v;
  }

  moms(field: string): [number, number, number] | undefined {
    const what = 'an array of 3 momentums [start, middle, end], each in [0, 1)';
    if (!this.present(field, false, what)) return undefined;
    const v = this.obj[field];
    if (!Array.isArray(v) || v.length !== 3) this.fail(field, `must be ${what}`, v);
    const out = v.map((m: unknown, k: number) => {
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0 || m >= 1) this.fail(`${field}[${k}]`, 'must be a number in [0, 1)', m);
      return m;
    });
    return [out[0], out[1], out[2]];
  }

  /** `upper` must be strictly greater than `lower`. */
  greater(upperField: string, upper: number, lowerField: string, lower: number): void {
    if (!(upper > lower)) this.fail(upperField, `must be greater than ${this.prefix + lowerField} (${fmt(lower)})`, upper);
  }

  /** `upper` must be ≥ `lower`. */
  notBelow(upperField: string, upper: number, lowerField: string, lower: number): void {
    if (!(upper >= lower)) this.fail(upperField, `must be ≥ ${this.prefix + lowerField} (${fmt(lower)})`, upper);
  }
}

export function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function includes<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

export function list(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

export function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `${String(v)} (${typeof v})`;
}

function describeRange(r: NumberRange): string {
  if (r.min === 0 && r.minOpen && r.max === undefined) return 'a finite number > 0';
  const lo = r.min === undefined ? '' : `${r.minOpen ? '>' : '≥'} ${r.min}`;
  const hi = r.max === undefined ? '' : `${r.maxOpen ? '<' : '≤'} ${r.max}`;
  if (lo && hi) return `a number in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
  return `a finite number ${lo || hi}`;
}

/** The allowed name a typo most likely meant (case-insensitive match or edit distance ≤ 2). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of allowed) {
    const d = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
