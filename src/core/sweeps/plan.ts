/**
 * A range-test sweep (Smith's "disciplined approach", part 1): the same range test once per value of
 * weight decay or batch size. An experiment module takes the value through its field (the run's
 * `weightDecay` / `batchSize` option); a PyTorch script through an argument template the user gives,
 * `--wd {}`, whose `{}` is replaced by the value as the user typed it. Every member's run record is
 * tagged with the sweep (`options.sweep`), so the runs are ordinary records that read as one sweep.
 */

export type SweepParameter = 'weightDecay' | 'batchSize';
export const SWEEP_PARAMETERS: readonly SweepParameter[] = ['weightDecay', 'batchSize'];

/** A value as given: the number, and the text a script receives. */
export interface SweepValue {
  value: number;
  text: string;
}

/** What a member's run record carries in `options.sweep`. */
export interface SweepTag {
  id: string;
  parameter: SweepParameter;
  value: number;
  /** 0-based position in the sweep, and the number of members. */
  index: number;
  count: number;
}

/** One run of the sweep: its value and label, and what changes in the run. */
export interface SweepMember {
  value: SweepValue;
  label: string;
  tag: SweepTag;
  /** An experiment's option override, or a script's whole argument list. */
  change: { kind: 'option'; weightDecay?: number; batchSize?: number } | { kind: 'script-args'; scriptArgs: string[] };
}

/** A sweep the user asked for cannot be run: `field` names what to change. */
export class SweepError extends Error {
  override name = 'SweepError';
  constructor(
    readonly field: 'parameter' | 'values' | 'template',
    message: string,
  ) {
    super(message);
  }
}

/** More than this many runs in one sweep is refused: each is a whole range test. */
export const MAX_SWEEP_VALUES = 16;

/** The placeholder of an argument template. */
export const TEMPLATE_PLACEHOLDER = '{}';

const PARAMETER_NAMES: Record<string, SweepParameter> = {
  'weight-decay': 'weightDecay',
  weightdecay: 'weightDecay',
  wd: 'weightDecay',
  'batch-size': 'batchSize',
  batchsize: 'batchSize',
  bs: 'batchSize',
};

/** `weight-decay` (`wd`, `weightDecay`) or `batch-size` (`bs`, `batchSize`). */
export function parseSweepParameter(name: string): SweepParameter {
  const found = PARAMETER_NAMES[name.trim().toLowerCase()];
  if (!found) throw new SweepError('parameter', `the swept parameter must be weight-decay or batch-size, got '${name}'`);
  return found;
}

/** The parameter in words: `weight decay`, `batch size`. */
export function parameterText(parameter: SweepParameter): string {
  return parameter === 'weightDecay' ? 'weight decay' : 'batch size';
}

/** The short name labels use: `wd`, `bs`. */
export function parameterShort(parameter: SweepParameter): string {
  return parameter === 'weightDecay' ? 'wd' : 'bs';
}

/**
 * The values of `text` (commas and/or spaces between them), checked for `parameter`: weight decays are
 * numbers ≥ 0, batch sizes whole numbers ≥ 1; two to `MAX_SWEEP_VALUES` values, none twice.
 */
export function parseSweepValues(text: string, parameter: SweepParameter): SweepValue[] {
  const words = text.split(/[\s,]+/).filter((w) => w !== '');
  const what = parameterText(parameter);
  if (words.length < 2) throw new SweepError('values', `a sweep needs two or more ${what} values (e.g. ${parameter === 'weightDecay' ? '0,1e-4,1e-3' : '32,64,128'}), got ${words.length}`);
  if (words.length > MAX_SWEEP_VALUES) throw new SweepError('values', `a sweep takes at most ${MAX_SWEEP_VALUES} values (each is a whole range test), got ${words.length}`);
  const seen = new Set<number>();
  return words.map((word) => {
    const value = Number(word);
    if (!Number.isFinite(value)) throw new SweepError('values', `'${word}' is not a number`);
    if (parameter === 'weightDecay' && value < 0) throw new SweepError('values', `a weight decay must be ≥ 0, got ${word}`);
    if (parameter === 'batchSize' && !(Number.isInteger(value) && value >= 1)) throw new SweepError('values', `a batch size must be a whole number ≥ 1, got ${word}`);
    if (seen.has(value)) throw new SweepError('values', `${word} is given twice`);
    seen.add(value);
    return { value, text: word };
  });
}

/**
 * The words of an argument template (split at white space, as a shell would without quotes); it must
 * hold `{}` where the value goes.
 */
export function templateWords(template: string): string[] {
  const words = template.split(/\s+/).filter((w) => w !== '');
  if (!words.some((w) => w.includes(TEMPLATE_PLACEHOLDER))) {
    throw new SweepError('template', `the script argument template must hold {} where the value goes, e.g. "--wd {}", got '${template}'`);
  }
  return words;
}

/** A script's arguments for one value: its own arguments, then the template with `{}` replaced. */
export function scriptArgsFor(words: readonly string[], value: SweepValue, baseArgs: readonly string[] = []): string[] {
  return [...baseArgs, ...words.map((w) => w.replaceAll(TEMPLATE_PLACEHOLDER, value.text))];
}

/** A swept value in a label: `0`, `64`, `1e-4`, `5e-4`, `0.01`. */
export function formatSweepValue(value: number): string {
  if (value === 0 || Number.isInteger(value)) return String(value);
  const plain = String(Number(value.toPrecision(6)));
  const exponent = value.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  return exponent.length < plain.length ? exponent : plain;
}

/** `wd=1e-4`, `bs=64`. */
export function sweepLabel(parameter: SweepParameter, value: number): string {
  return `${parameterShort(parameter)}=${formatSweepValue(value)}`;
}

export interface SweepRequest {
  id: string;
  parameter: SweepParameter;
  values: readonly SweepValue[];
  /** An experiment takes the value as an option; a script through the template, after its own arguments. */
  target: { kind: 'experiment' } | { kind: 'script'; template: string; scriptArgs?: readonly string[] };
}

/** The members of a sweep, in the order given; throws `SweepError` for a bad template. */
export function planSweep(request: SweepRequest): SweepMember[] {
  const { id, parameter, values, target } = request;
  const words = target.kind === 'script' ? templateWords(target.template) : [];
  return values.map((value, index) => ({
    value,
    label: sweepLabel(parameter, value.value),
    tag: { id, parameter, value: value.value, index, count: values.length },
    change:
      target.kind === 'script'
        ? { kind: 'script-args', scriptArgs: scriptArgsFor(words, value, target.scriptArgs) }
        : { kind: 'option', [parameter]: value.value },
  }));
}

/** The sweep tag of a record's options, when it has a well-formed one. */
export function sweepTagOf(options: Record<string, unknown>): SweepTag | undefined {
  const t = options.sweep;
  if (typeof t !== 'object' || t === null) return undefined;
  const s = t as Record<string, unknown>;
  if (typeof s.id !== 'string' || !(SWEEP_PARAMETERS as readonly unknown[]).includes(s.parameter)) return undefined;
  if (typeof s.value !== 'number' || !Number.isFinite(s.value) || !Number.isInteger(s.index) || !Number.isInteger(s.count)) return undefined;
  return { id: s.id, parameter: s.parameter as SweepParameter, value: s.value, index: s.index as number, count: s.count as number };
}
