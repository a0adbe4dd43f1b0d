/**
 * What the run verbs (`range-test`, `train`, `demo`) share: their option tables for
 * `parseVerbArgs`, the checks that turn option strings into engine options (every error names
 * the option), the run's target (an experiment module or a PyTorch script for the probe), the
 * mapping of engine and probe errors to exit codes, the script's output, and the runs folder check.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { BackendError } from '../engine/backend/errors';
import { EngineRunError, ExperimentError, runsDirFor, type BackendChoice, type RangeTestOptions } from '../engine/index';
import { checkRunsFolder } from '../engine/run-store';
import { rangeSpecOf } from '../core/runs/range-test-spec';
import { MAX_SCHEDULE_STEPS } from '../core/schedules/index';
import { DEFAULT_FIRST_STEP_TIMEOUT_MS, DEFAULT_PYTHON, isPythonScript, parseLauncher, ProbeError, type ProbeErrorKind } from '../engine/probe/index';
import { UsageError, numberOption, type CliIO } from './verb';

export const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Extensions an experiment module may have (DESIGN.md, "Experiment module"). */
export const EXPERIMENT_EXTENSIONS = ['.ts', '.js', '.mjs'] as const;

/** Options every run verb takes (`parseVerbArgs` config). */
export const RUN_OPTIONS = {
  backend: { type: 'string' },
  'runs-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  out: { type: 'string' },
} as const;

/** Options that shape the model's training, shared by `range-test` and `train`. */
export const TRAINING_OPTIONS = {
  'batch-size': { type: 'string' },
  'weight-decay': { type: 'string' },
  seed: { type: 'string' },
} as const;

/** The range test's own options (issue 3 §3). */
export const RANGE_TEST_OPTIONS = {
  'start-lr': { type: 'string' },
  'end-lr': { type: 'string' },
  steps: { type: 'string' },
  mode: { type: 'string' },
  beta: { type: 'string' },
  'diverge-factor': { type: 'string' },
  'validation-batches': { type: 'string' },
} as const;

/** Help text for `RUN_OPTIONS` and `TRAINING_OPTIONS`, aligned like the verbs' own lines. */
export const RUN_OPTIONS_HELP = `  --batch-size N         override the experiment's batch size
  --weight-decay W       decoupled weight decay (default: the experiment's, else 0)
  --seed S               integer seed (default: the experiment's, else 42); same seed, same curve
  --backend B            auto | tensorflow | wasm | cpu (default auto: tfjs-node when your project
                         has it, else wasm)
  --runs-dir DIR         where run records go (default .lrscope/runs under the current folder)
  --json                 machine-readable: the last line of stdout is one JSON object
  --out FILE             also write the run record to FILE`;

/** Options of a PyTorch script target (the probe), shared by `range-test` and `train`. */
export const PYTHON_OPTIONS = {
  python: { type: 'string' },
  launcher: { type: 'string' },
  'first-step-timeout': { type: 'string' },
} as const;

/** Help text for `PYTHON_OPTIONS` and the script's arguments. */
export const PYTHON_OPTIONS_HELP = `PyTorch script (train.py):
  --python PATH          the interpreter that runs the script (default ${DEFAULT_PYTHON}); it needs torch
  --launcher "CMD"       run every rank under a launcher, e.g. "torchrun --standalone --nproc-per-node 2"
                         (LR Scope appends -m lrscope_probe … -- train.py args; one machine)
  --first-step-timeout S seconds the script may take to reach its first optimizer step (default ${DEFAULT_FIRST_STEP_TIMEOUT_MS / 1000})
  -- ARGS …              everything after -- goes to the script (its sys.argv[1:])`;

/** Raw option values as `parseVerbArgs` returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function stringValue(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A number option that must be > 0 (or ≥ 0 with `allowZero`), naming the option when it is not. */
export function positiveNumber(verb: string, name: string, value: string | undefined, allowZero = false): number | undefined {
  const n = numberOption(verb, name, value);
  if (n === undefined) return undefined;
  if (allowZero ? n < 0 : n <= 0) throw new UsageError(`lrscope ${verb}: --${name} must be ${allowZero ? '≥ 0' : '> 0'}, got ${value}`);
  return n;
}

/** An integer option in [min, max] (default max: the longest schedule, `MAX_SCHEDULE_STEPS`), naming the option when it is not. */
export function integerOption(verb: string, name: string, value: string | undefined, min: number, max: number = MAX_SCHEDULE_STEPS): number | undefined {
  const n = numberOption(verb, name, value);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) throw new UsageError(`lrscope ${verb}: --${name} must be a whole number ≥ ${min}, got ${value}`);
  if (n > max) throw new UsageError(`lrscope ${verb}: --${name} must be at most ${max}, got ${value}`);
  return n;
}

/** `--backend`, checked against the four choices. */
export function backendOption(verb: string, values: OptionValues): BackendChoice {
  const value = stringValue(values, 'backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new UsageError(`lrscope ${verb}: --backend must be one of ${BACKENDS.join(', ')}, got '${value}'`);
  }
  return value as BackendChoice;
}

/** `--runs-dir` made absolute against the CLI's folder; default `<cwd>/.lrscope/runs`. */
export function runsDirOption(values: OptionValues, io: CliIO): string {
  const dir = stringValue(values, 'runs-dir');
  return dir === undefined ? runsDirFor(io.cwd) : resolve(io.cwd, dir);
}

/** `--out FILE` made absolute, or undefined. */
export function outOption(values: OptionValues, io: CliIO, name = 'out'): string | undefined {
  const file = stringValue(values, name);
  return file === undefined ? undefined : resolve(io.cwd, file);
}

/** Batch size, weight decay and seed, checked; only the options given. */
export function trainingOptions(verb: string, values: OptionValues): { batchSize?: number; weightDecay?: number; seed?: number } {
  const batchSize = integerOption(verb, 'batch-size', stringValue(values, 'batch-size'), 1);
  const weightDecay = positiveNumber(verb, 'weight-decay', stringValue(values, 'weight-decay'), true);
  const seed = integerOption(verb, 'seed', stringValue(values, 'seed'), 0, 2 ** 32 - 1);
  return {
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(weightDecay !== undefined ? { weightDecay } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/**
 * The range-test options given on the command line, checked one by one so that a mistake names
 * its option (the engine checks them again, in terms of the spec's fields). Includes the
 * training options (batch size, weight decay, seed).
 */
export function rangeTestOptions(verb: string, values: OptionValues): RangeTestOptions {
  const options: RangeTestOptions = { ...trainingOptions(verb, values) };
  const startLr = positiveNumber(verb, 'start-lr', stringValue(values, 'start-lr'));
  const endLr = positiveNumber(verb, 'end-lr', stringValue(values, 'end-lr'));
  if (startLr !== undefined) options.startLr = startLr;
  if (endLr !== undefined) options.endLr = endLr;
  const start = startLr ?? 1e-7;
  if (endLr !== undefined && !(endLr > start)) {
    throw new UsageError(`lrscope ${verb}: --end-lr (${endLr}) must be larger than --start-lr (${start}${startLr === undefined ? ', the default' : ''})`);
  }
  const steps = integerOption(verb, 'steps', stringValue(values, 'steps'), 2);
  if (steps !== undefined) options.steps = steps;
  const mode = stringValue(values, 'mode');
  if (mode !== undefined) {
    if (mode !== 'exp' && mode !== 'linear') throw new UsageError(`lrscope ${verb}: --mode must be exp or linear, got '${mode}'`);
    options.mode = mode;
  }
  const beta = numberOption(verb, 'beta', stringValue(values, 'beta'));
  if (beta !== undefined) {
    if (!(beta >= 0 && beta < 1)) throw new UsageError(`lrscope ${verb}: --beta must be in [0, 1), got ${stringValue(values, 'beta')}`);
    options.beta = beta;
  }
  const df = stringValue(values, 'diverge-factor');
  if (df !== undefined) {
    if (df === 'none') options.divergeFactor = null;
    else {
      const factor = numberOption(verb, 'diverge-factor', df);
      if (factor === undefined || !(factor > 1)) throw new UsageError(`lrscope ${verb}: --diverge-factor must be a number > 1 or "none", got ${df}`);
      options.divergeFactor = factor;
    }
  }
  const k = integerOption(verb, 'validation-batches', stringValue(values, 'validation-batches'), 0);
  if (k !== undefined && k > 0) options.validationBatches = k;
  // Options that pass one by one can still describe no usable sequence (1e-300 → 1e300 overflows).
  rangeSpecOf(options, (message) => new UsageError(`lrscope ${verb}: --start-lr ${start}, --end-lr ${endLr ?? 10}: ${message}`));
  return options;
}

/**
 * The experiment module's absolute path: it must exist and be a `.ts`, `.js` or `.mjs` file.
 * Anything else is a UsageError naming the accepted kinds.
 */
export function experimentPath(verb: string, positionals: string[], io: CliIO): string {
  if (positionals.length !== 1) {
    throw new UsageError(`lrscope ${verb}: expected one experiment file (*.experiment.ts|js|mjs), got ${positionals.length}. See 'lrscope ${verb} --help'.`);
  }
  const given = positionals[0] as string;
  const ext = extname(given).toLowerCase();
  if (!(EXPERIMENT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UsageError(
      `lrscope ${verb}: ${given} is not an experiment module: expected a TypeScript or JavaScript file (${EXPERIMENT_EXTENSIONS.join(', ')}) ` +
        `whose default export describes the model and data (see examples/synthetic.experiment.ts)`,
    );
  }
  return existingFile(verb, given, io);
}

function existingFile(verb: string, given: string, io: CliIO): string {
  const full = resolve(io.cwd, given);
  if (!existsSync(full)) throw new UsageError(`lrscope ${verb}: cannot read ${given}: no such file`);
  if (!statSync(full).isFile()) throw new UsageError(`lrscope ${verb}: ${given} is not a file`);
  return full;
}

/** What a run verb runs: an experiment module on the TF.js engine, or a PyTorch script through the probe. */
export type RunTargetPath = { kind: 'experiment'; path: string } | { kind: 'script'; path: string };

/**
 * The run's target, absolute: a `.py` file is a PyTorch script for the probe, anything else must
 * be an experiment module (`experimentPath`'s checks). Either must exist.
 */
export function runTargetPath(verb: string, positionals: string[], io: CliIO): RunTargetPath {
  if (positionals.length !== 1) {
    throw new UsageError(
      `lrscope ${verb}: expected one experiment file (*.experiment.ts|js|mjs) or PyTorch script (*.py), got ${positionals.length}. See 'lrscope ${verb} --help'.`,
    );
  }
  const given = positionals[0] as string;
  if (isPythonScript(given)) return { kind: 'script', path: existingFile(verb, given, io) };
  return { kind: 'experiment', path: experimentPath(verb, positionals, io) };
}

/**
 * A verb's arguments split at the first `--`: its own, and the script's (null without `--`).
 * Everything after `--` belongs to the script, even words that look like our options.
 */
export function splitScriptArgs(argv: string[]): { own: string[]; scriptArgs: string[] | null } {
  const at = argv.indexOf('--');
  return at < 0 ? { own: argv, scriptArgs: null } : { own: argv.slice(0, at), scriptArgs: argv.slice(at + 1) };
}

/** How to run a PyTorch script through the probe, as the command line says. */
export interface PythonScriptTarget {
  scriptPath: string;
  scriptArgs: string[];
  /** The interpreter (`--python`), default `python3`. */
  python: string;
  /** `--first-step-timeout` in milliseconds; absent: the probe's default. */
  firstStepTimeoutMs?: number;
  /** `--launcher`: the launcher's command line. */
  launcher?: string;
}

/** The script target from `--python`, `--first-step-timeout` and the arguments after `--`. */
export function pythonScriptTarget(verb: string, scriptPath: string, values: OptionValues, scriptArgs: string[] | null): PythonScriptTarget {
  const python = stringValue(values, 'python');
  if (python !== undefined && python.trim() === '') throw new UsageError(`lrscope ${verb}: --python must name an interpreter, got ''`);
  const timeout = positiveNumber(verb, 'first-step-timeout', stringValue(values, 'first-step-timeout'));
  const launcher = stringValue(values, 'launcher');
  if (launcher !== undefined) {
    try {
      parseLauncher(launcher);
    } catch (err) {
      throw new UsageError(`lrscope ${verb}: --${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    ...(launcher !== undefined ? { launcher } : {}),
    scriptPath,
    scriptArgs: scriptArgs ?? [],
    python: python ?? DEFAULT_PYTHON,
    ...(timeout !== undefined ? { firstStepTimeoutMs: Math.round(timeout * 1000) } : {}),
  };
}

/**
 * Refuses the options in `names` that were given, naming the first one and saying why (`why`
 * completes "--NAME does not apply to …").
 */
export function refuseOptions(verb: string, values: OptionValues, names: readonly string[], why: string): void {
  const given = names.find((name) => values[name] !== undefined && values[name] !== false);
  if (given !== undefined) throw new UsageError(`lrscope ${verb}: --${given} does not apply to ${why}`);
}

/** The options and `--` arguments that only a PyTorch script takes, refused for an experiment module. */
export function refuseScriptOptions(verb: string, values: OptionValues, scriptArgs: string[] | null, extra: readonly string[] = []): void {
  refuseOptions(verb, values, [...Object.keys(PYTHON_OPTIONS), ...extra], 'an experiment module: it is for PyTorch scripts (.py)');
  if (scriptArgs !== null && scriptArgs.length > 0) {
    throw new UsageError(`lrscope ${verb}: arguments after -- go to a PyTorch script (.py); an experiment module takes none (got ${scriptArgs.join(' ')})`);
  }
}

/** Probe failures the user fixes (interpreter, torch, the script, options): exit 2. */
function userCanFix(kind: ProbeErrorKind): boolean {
  switch (kind) {
    case 'no-python':
    case 'no-torch':
    case 'script-not-found':
    case 'options':
    case 'script-failed':
    case 'no-step':
    case 'no-loss':
    case 'nan-at-start':
      return true;
    case 'crashed':
    case 'probe-failed':
      return false;
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

/**
 * Turns what the probe throws into what `main` reports: a `ProbeError` the user can fix becomes a
 * UsageError (exit 2) with the probe's message and the failed run's record, when one was saved; a
 * crash of the interpreter or of the probe stays an error (exit 1). Anything else as `engineFailure`.
 */
export function probeFailure(verb: string, err: unknown): Error {
  if (!(err instanceof ProbeError)) return engineFailure(verb, err);
  const record = err.recordPath ? `\n(the failed run's record: ${err.recordPath})` : '';
  return userCanFix(err.kind) ? new UsageError(`lrscope ${verb}: ${err.message}${record}`) : new Error(`${err.message}${record}`);
}

/** Something that draws a progress bar that must be cleared before other text is written. */
interface LineSink {
  line(text: string): void;
}

/**
 * The probe's own closing log line (`python3 exited with status 0 after 39 optimizer steps`):
 * the probe reports it at level `info` like the script's stdout, but it is a status, for stderr.
 */
const PROBE_EXIT_LINE = /^.+ (exited with status -?\d+|was killed \(\w+\)|could not be started \(.*\)) after \d+ optimizer steps?$/;

/**
 * Where the script's own output goes while the probe runs it: its stdout lines to `stdout` (the
 * reading's stream: stderr under `--json`, so stdout stays clean), its stderr lines to stderr, as
 * they are. The probe reports both (and its own notes) as log lines: `info` from stdout, `warn`
 * from stderr; its notes share `info` with the script's stdout, its closing line goes to stderr.
 * While a bar is drawn on the terminal, lines on stderr go through the bar so it stays below
 * them; a line on stdout first clears the bar (the next update redraws it).
 */
export function scriptOutput(
  io: CliIO,
  stdout: NodeJS.WritableStream,
  bar: () => LineSink | null,
): (log: { level: 'info' | 'warn' | 'error'; message: string }) => void {
  return (log) => {
    const progress = bar();
    const toStderr = log.level !== 'info' || stdout === io.stderr || PROBE_EXIT_LINE.test(log.message);
    if (toStderr) {
      if (progress) progress.line(log.message);
      else io.stderr.write(log.message + '\n');
      return;
    }
    if (progress && io.stderr.isTTY === true) io.stderr.write('\r\x1b[2K');
    stdout.write(log.message + '\n');
  };
}

/**
 * Turns what the engine throws into what `main` reports: mistakes the user must fix in the
 * experiment or its options (`ExperimentError`) and a backend that cannot start (`BackendError`)
 * become UsageErrors (exit 2, the engine's message as is); a failed run (`EngineRunError`) stays
 * an error (exit 1) whose message says where the partial record is.
 */
export function engineFailure(verb: string, err: unknown): Error {
  if (err instanceof ExperimentError) {
    return new UsageError(`lrscope ${verb}: ${err.message}${err.recordPath ? `\n(the failed run's record: ${err.recordPath})` : ''}`);
  }
  if (err instanceof BackendError) return new UsageError(`lrscope ${verb}: ${err.message}`);
  if (err instanceof EngineRunError) return new Error(`${err.message}\n(the partial run's record: ${err.recordPath})`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Checks at once that run records can be saved in `runsDir` (`--runs-dir`), so a bad folder is
 * refused (exit 2, naming it) before anything runs.
 */
export async function checkRunsDir(verb: string, runsDir: string): Promise<void> {
  try {
    await checkRunsFolder(runsDir);
  } catch (err) {
    throw new UsageError(`lrscope ${verb}: --runs-dir: ${err instanceof Error ? err.message : String(err)}`);
  }
}
