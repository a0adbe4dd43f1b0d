/** `lrscope train`: trains an experiment (in an engine child process) or a PyTorch script under a schedule spec or one-cycle. */
import { resolve } from 'node:path';
import { formatLr } from '../../core/analysis/index';
import type { EpochPoint, RunRecord } from '../../core/runs/record';
import { DEFAULT_ONE_CYCLE_FLAVOR, flavorById, flavorOf, ONE_CYCLE_FLAVORS, RecommendScheduleError, SpecError, validateSpec, type OneCycleFlavor, type ScheduleSpec } from '../../core/schedules/index';
import { runRecordPath, type BackendChoice, type TrainOptions } from '../../engine/index';
import { runPythonSchedule } from '../../engine/probe/index';
import { parseJsonInput, readInput } from '../input';
import { describeInEngine, runInEngine } from '../engine-run';
import { Progress } from '../progress';
import { exitCodeOf, withInterrupt, type StopSignal } from '../stop-signals';
import { recordJson, writeFileAtomic } from '../report/index';
import {
  PYTHON_OPTIONS,
  PYTHON_OPTIONS_HELP,
  RUN_OPTIONS,
  RUN_OPTIONS_HELP,
  TRAINING_OPTIONS,
  backendOption,
  checkRunsDir,
  integerOption,
  outOption,
  positiveNumber,
  probeFailure,
  pythonScriptTarget,
  refuseOptions,
  refuseScriptOptions,
  runTargetPath,
  runsDirOption,
  scriptOutput,
  splitScriptArgs,
  trainingOptions,
  type PythonScriptTarget,
} from '../run-options';
import { UsageError, parseVerbArgs, type CliIO, type Verb } from '../verb';
import { executeRangeTest } from './range-test';

const help = `Usage: lrscope train <experiment.ts|js|mjs> (--schedule spec.json | --one-cycle [--max-lr LR]) [options]
       lrscope train <train.py> (--schedule spec.json [--steps N] | --one-cycle --steps N [--max-lr LR])
                     [--python PATH | --launcher "CMD"] [--json] [--out FILE] [-- script args]

Trains the experiment's model, setting the learning rate (and momentum, when the schedule cycles
it) before every mini-batch. Prints loss, validation loss and metrics per epoch and saves the run
record (saved as the run goes). Ctrl-C (SIGTERM, SIGHUP) stops after the current batch (a script:
before its next optimizer step), saves the partial run and exits with 130 (143, 129); a second
Ctrl-C stops at once and keeps the steps so far. The experiment runs in a process of its own: if
it exits, runs out of memory or crashes, the run is saved as crashed with its partial curve (exit 1).

A .py target is an unmodified PyTorch training script, run with your interpreter through LR
Scope's probe, which sets the LR (and momentum or Adam's beta1 when the schedule cycles it) of
the script's optimizer before every optimizer step, so you can try a schedule before inserting
it; checkpoint writes are suppressed. The script runs its own epochs and batches: --steps N
stops it after N optimizer steps (without it, a --schedule runs the whole script) and sizes the
one-cycle schedule, so --one-cycle needs it. --epochs, --batch-size, --weight-decay, --backend
and --save-model do not apply to a script. Its own output is shown as it is (on stderr with --json).

Schedule (one of):
  --schedule FILE        a schedule spec (docs/schedules.md); - reads it from stdin
  --one-cycle            a one-cycle schedule over the whole training run; without --max-lr a
                         range test runs first and its recommendation becomes the maximum LR
    --max-lr LR          the one-cycle maximum learning rate
    --flavor F           ${ONE_CYCLE_FLAVORS.join(' | ')} (default ${DEFAULT_ONE_CYCLE_FLAVOR})
    --range-steps N      steps of that range test (default 100)

Training:
  --epochs N             epochs (default: the experiment's, else as long as the schedule)
  --steps N              (.py only) optimizer steps to run; the one-cycle schedule spans them
  --save-model DIR       save the trained model to DIR (model.json + weights)
${RUN_OPTIONS_HELP}
  -h, --help             this text

${PYTHON_OPTIONS_HELP}

With --json the last line of stdout is
  {"status","backend","schedule","epochs":[{"epoch","loss","valLoss",…metrics}]}
(for a script: backend "pytorch", epochs [] — the probe sees optimizer steps, not epochs).
Exit codes: 0 trained, 1 the run failed, crashed or the loss diverged, 2 bad options, a broken
experiment (the message names the file and field) or a script that cannot be probed (no
interpreter, no torch, it fails or never steps: the message says which), 130 Ctrl-C (143 SIGTERM,
129 SIGHUP).

Examples:
  lrscope train my.experiment.ts --one-cycle --epochs 5
  lrscope train my.experiment.ts --schedule onecycle.json --json > result.json
  lrscope train train.py --one-cycle --steps 2000 --python .venv/bin/python -- --epochs 5`;

/** The `--json` summary of a training record (issue 3 §6): metrics flattened into each epoch. */
export function trainSummary(record: RunRecord): Record<string, unknown> {
  return {
    status: record.status,
    backend: record.environment.backend,
    schedule: record.schedule,
    epochs: record.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss ?? null, ...e.metrics })),
  };
}

function formatMetric(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/** One line per epoch: `epoch 2/5  loss 0.3120  val loss 0.2981  acc 0.9121  val_acc 0.9200`. */
export function epochLine(e: EpochPoint, epochs: number | undefined): string {
  const parts = [`epoch ${e.epoch}${epochs ? `/${epochs}` : ''}`, `loss ${formatMetric(e.loss)}`];
  if (e.valLoss !== undefined) parts.push(`val loss ${formatMetric(e.valLoss)}`);
  for (const [name, v] of Object.entries(e.metrics)) parts.push(`${name} ${formatMetric(v)}`);
  return parts.join('  ');
}

function describeSchedule(spec: ScheduleSpec): string {
  switch (spec.policy) {
    case 'range':
      return `range ${formatLr(spec.startLr)} → ${formatLr(spec.endLr)} over ${spec.steps} steps`;
    case 'constant':
      return `constant lr ${formatLr(spec.lr)}`;
    case 'cyclic':
    case 'onecycle':
      return flavorOf(spec).describe(spec, formatLr);
  }
}

interface Target {
  experimentPath: string;
  backend: BackendChoice;
  runsDir: string;
}

/**
 * Epochs and mini-batches per epoch of this experiment with these options, as the engine's
 * `describe` call reads them (the epochs asked for, else the experiment's, else 1).
 */
async function trainingShape(target: Target, options: Omit<TrainOptions, 'schedule'>, io: CliIO): Promise<{ epochs: number; stepsPerEpoch: number }> {
  const shape = await describeInEngine(
    'train',
    {
      experimentPath: target.experimentPath,
      backend: target.backend,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    },
    io.cwd,
    (line) => io.stderr.write(line + '\n'),
  );
  return { epochs: shape.epochs ?? 1, stepsPerEpoch: shape.batchesPerEpoch };
}

/** What `--one-cycle` resolves to: a schedule over the whole run, or an exit code (range test cancelled or without answer). */
type OneCyclePlan = { kind: 'schedule'; spec: ScheduleSpec; epochs: number } | { kind: 'exit'; code: number };

/**
 * The one-cycle schedule for `--one-cycle`: over exactly epochs × batches per epoch, peaking at
 * `maxLr`, or — when none is given — at the recommendation of a range test run first (whose
 * reading is printed to `text`). Refuses, quoting the analysis, when the test recommends nothing.
 */
async function oneCycleSchedule(
  target: Target,
  options: Omit<TrainOptions, 'schedule'>,
  choice: { flavor: OneCycleFlavor; maxLr: number | undefined; rangeSteps: number | undefined },
  text: NodeJS.WritableStream,
  io: CliIO,
): Promise<OneCyclePlan> {
  const shape = await trainingShape(target, options, io);
  let lr = choice.maxLr;
  if (lr === undefined) {
    io.stderr.write(`no --max-lr: running a range test first; its recommendation becomes the one-cycle maximum LR\n`);
    const { batchSize, weightDecay, seed } = options;
    const result = await executeRangeTest(
      'train',
      {
        ...target,
        options: {
          ...(batchSize !== undefined ? { batchSize } : {}),
          ...(weightDecay !== undefined ? { weightDecay } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(choice.rangeSteps !== undefined ? { steps: choice.rangeSteps } : {}),
        },
      },
      { json: false, readingTo: text },
      io,
    );
    if (result.code !== 0) return { kind: 'exit', code: result.code };
    const recommendation = result.record.recommendation;
    if (!recommendation || recommendation.lr === null) {
      io.stderr.write(
        `lrscope train: the range test recommends no learning rate, so there is nothing to train with: ` +
          `${recommendation?.message ?? result.record.statusDetail ?? 'no analysis'} Pass --max-lr to choose one yourself.\n`,
      );
      return { kind: 'exit', code: 1 };
    }
    lr = recommendation.lr;
    io.stderr.write(`using the range test's recommendation: max lr ${formatLr(lr)} (${recommendation.rule ?? recommendation.method})\n`);
  }
  try {
    const spec = flavorById(choice.flavor).fromMaxLr(lr, { epochs: shape.epochs, stepsPerEpoch: shape.stepsPerEpoch });
    return { kind: 'schedule', spec, epochs: shape.epochs };
  } catch (err) {
    if (err instanceof RecommendScheduleError) throw new UsageError(`lrscope train: ${err.message}`);
    throw err;
  }
}

/** Reads and checks `--schedule FILE` (or stdin). */
async function readScheduleSpec(verb: string, path: string, io: CliIO): Promise<ScheduleSpec> {
  const input = await readInput(verb, path, io);
  try {
    return validateSpec(parseJsonInput(verb, input.text, input.name));
  } catch (err) {
    if (err instanceof SpecError) throw new UsageError(`lrscope ${verb}: ${input.name}: ${err.message}`);
    throw err;
  }
}

/** The progress bar of a training run, once it has started. */
interface TrainingProgress {
  progress: Progress | null;
  say(line: string): void;
}

function trainingProgress(io: CliIO): TrainingProgress {
  const state: TrainingProgress = {
    progress: null,
    say(line) {
      if (state.progress) state.progress.line(line);
      else io.stderr.write(line + '\n');
    },
  };
  return state;
}

/** Prints how a training run ended (and `--json`'s summary), writes `--out`, and returns the exit code. */
async function reportTraining(
  ended: { record: RunRecord; code: number; crash?: string | undefined },
  runsDir: string,
  out: string | undefined,
  plannedEpochs: number | undefined,
  output: { json: boolean; text: NodeJS.WritableStream },
  io: CliIO,
): Promise<number> {
  const { record } = ended;
  const recordPath = runRecordPath(runsDir, record.id);
  if (out) await writeFileAtomic(out, recordJson(record));
  const ending = `${record.status}${record.statusDetail ? ` — ${record.statusDetail}` : ''}`;
  const lines = [
    `training ${ending}`,
    `schedule: ${describeSchedule(record.schedule)}`,
    ...record.epochs.map((e) => epochLine(e, plannedEpochs)),
    ...(record.notes ?? []).filter((n) => n.startsWith('model saved')),
    `run record: ${recordPath}`,
    ...(out ? [`copy:       ${out}`] : []),
  ];
  output.text.write(lines.join('\n') + '\n');
  if (output.json) io.stdout.write(JSON.stringify(trainSummary(record)) + '\n');
  switch (record.status) {
    case 'cancelled':
      io.stderr.write(`cancelled: the partial run (${record.points.length} steps, ${record.epochs.length} epochs) is saved\n`);
      return ended.code;
    case 'crashed':
      io.stderr.write(`lrscope train: the run crashed: ${ended.crash ?? record.statusDetail ?? ''} The ${record.points.length} steps received are saved as a partial run.\n`);
      return 1;
    case 'diverged':
      io.stderr.write(`lrscope train: the loss diverged: ${record.statusDetail ?? ''}\n`);
      return 1;
    default:
      return 0;
  }
}

/** Options of an experiment's training that a PyTorch script decides for itself (refused for scripts). */
export const SCRIPT_OWNED_TRAIN_OPTIONS = ['batch-size', 'weight-decay', 'backend', 'epochs', 'save-model'] as const;

/** What `train` on a PyTorch script was asked to do. */
interface ScriptTraining {
  script: PythonScriptTarget;
  runsDir: string;
  seed: number | undefined;
  /** Optimizer steps to run (`--steps`); absent: the whole script. */
  steps: number | undefined;
  plan: { kind: 'schedule'; path: string } | { kind: 'one-cycle'; flavor: OneCycleFlavor; maxLr: number | undefined; rangeSteps: number | undefined };
  out: string | undefined;
  json: boolean;
}

/**
 * `train` on a PyTorch script: the schedule (a spec file, or one-cycle over exactly `--steps`
 * optimizer steps, peaking at `--max-lr` or at the recommendation of a probe range test run
 * first) drives the script's optimizer through the probe for `--steps` steps or the whole script.
 */
async function trainScript(run: ScriptTraining, io: CliIO): Promise<number> {
  const verb = 'train';
  const text = run.json ? io.stderr : io.stdout;
  const seed = run.seed !== undefined ? { seed: run.seed } : {};
  let schedule: ScheduleSpec;
  if (run.plan.kind === 'schedule') {
    schedule = await readScheduleSpec(verb, run.plan.path, io);
  } else {
    const { flavor, rangeSteps } = run.plan;
    const steps = run.steps as number; // required with --one-cycle (checked by the caller)
    let lr = run.plan.maxLr;
    if (lr === undefined) {
      io.stderr.write(`no --max-lr: running a range test first; its recommendation becomes the one-cycle maximum LR\n`);
      const result = await executeRangeTest(
        verb,
        { script: run.script, runsDir: run.runsDir, options: { ...seed, ...(rangeSteps !== undefined ? { steps: rangeSteps } : {}) } },
        { json: false, readingTo: text },
        io,
      );
      if (result.code !== 0) return result.code;
      const recommendation = result.record.recommendation;
      if (!recommendation || recommendation.lr === null) {
        io.stderr.write(
          `lrscope train: the range test recommends no learning rate, so there is nothing to train with: ` +
            `${recommendation?.message ?? result.record.statusDetail ?? 'no analysis'} Pass --max-lr to choose one yourself.\n`,
        );
        return 1;
      }
      lr = recommendation.lr;
      io.stderr.write(`using the range test's recommendation: max lr ${formatLr(lr)} (${recommendation.rule ?? recommendation.method})\n`);
    }
    try {
      schedule = flavorById(flavor).fromMaxLr(lr, { epochs: 1, stepsPerEpoch: steps });
    } catch (err) {
      if (err instanceof RecommendScheduleError) throw new UsageError(`lrscope train: ${err.message}`);
      throw err;
    }
  }

  const shown = trainingProgress(io);
  let record: RunRecord;
  let stoppedBy: StopSignal | null = null;
  try {
    record = await withInterrupt(
      {
        first: (signal) => shown.say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping before the next optimizer step and saving the partial run (press again to quit at once)`),
        // at once: the probe's exit hook kills the script's process group and ranks
        again: (signal) => process.exit(exitCodeOf(signal)),
      },
      (interrupt) =>
        runPythonSchedule(
          {
            scriptPath: run.script.scriptPath,
            scriptArgs: run.script.scriptArgs,
            python: run.script.python,
            runsDir: run.runsDir,
            ...(run.script.firstStepTimeoutMs !== undefined ? { firstStepTimeoutMs: run.script.firstStepTimeoutMs } : {}),
            ...(run.script.launcher !== undefined ? { launcher: run.script.launcher } : {}),
            options: { schedule, ...seed, ...(run.steps !== undefined ? { steps: run.steps } : {}) },
          },
          {
            onStart(info) {
              const length = run.steps !== undefined ? `stopping the script after ${run.steps} optimizer steps` : 'until the script ends';
              io.stderr.write(
                `training ${run.script.scriptPath}: ${describeSchedule(info.schedule)}, ${length}, torch ${info.backend.libraryVersion} (${info.backend.runtime})\n`,
              );
              for (const note of info.notes) io.stderr.write(`  note: ${note}\n`);
              if (info.totalSteps > 0) shown.progress = new Progress(io.stderr, { title: 'training', total: info.totalSteps });
            },
            onPoint(point) {
              shown.progress?.update(point.step + 1, `lr ${formatLr(point.lr)}  loss ${formatMetric(point.loss)}`);
            },
            onLog: scriptOutput(io, text, () => shown.progress),
          },
          interrupt.signal,
        ).finally(() => (stoppedBy = interrupt.stoppedBy)),
    );
  } catch (err) {
    throw probeFailure(verb, err);
  } finally {
    shown.progress?.finish();
  }
  return reportTraining({ record, code: exitCodeOf(stoppedBy ?? 'SIGINT') }, run.runsDir, run.out, undefined, { json: run.json, text }, io);
}

export const trainVerb: Verb = {
  name: 'train',
  summary: 'train an experiment module or a PyTorch script under a schedule spec or one-cycle (range test first if needed)',
  help,
  async run(argv, io) {
    const verb = 'train';
    const { own, scriptArgs } = splitScriptArgs(argv);
    const { values, positionals } = parseVerbArgs(verb, own, {
      ...RUN_OPTIONS,
      ...TRAINING_OPTIONS,
      ...PYTHON_OPTIONS,
      schedule: { type: 'string' },
      'one-cycle': { type: 'boolean', default: false },
      'max-lr': { type: 'string' },
      flavor: { type: 'string' },
      'range-steps': { type: 'string' },
      epochs: { type: 'string' },
      steps: { type: 'string' },
      'save-model': { type: 'string' },
    });
    const oneCycle = values['one-cycle'] === true;
    if (oneCycle === (values.schedule !== undefined)) {
      throw new UsageError(`lrscope train: give exactly one of --schedule FILE or --one-cycle. See 'lrscope train --help'.`);
    }
    if (!oneCycle) {
      for (const name of ['max-lr', 'flavor', 'range-steps'] as const) {
        if (values[name] !== undefined) throw new UsageError(`lrscope train: --${name} goes with --one-cycle, not --schedule`);
      }
    }
    const maxLr = positiveNumber(verb, 'max-lr', values['max-lr']);
    const flavor = values.flavor ?? DEFAULT_ONE_CYCLE_FLAVOR;
    if (!(ONE_CYCLE_FLAVORS as readonly string[]).includes(flavor)) {
      throw new UsageError(`lrscope train: --flavor must be one of ${ONE_CYCLE_FLAVORS.join(', ')}, got '${flavor}'`);
    }
    const rangeSteps = integerOption(verb, 'range-steps', values['range-steps'], 2);
    const targetPath = runTargetPath(verb, positionals, io);
    const runsDir = runsDirOption(values, io);
    await checkRunsDir(verb, runsDir);
    const out = outOption(values, io);
    const json = values.json === true;

    if (targetPath.kind === 'script') {
      if (values.epochs !== undefined) {
        throw new UsageError(
          `lrscope train: --epochs does not apply to a PyTorch script: the script runs its own epochs. ` +
            `Give --steps N (its epochs × batches per epoch) to size the schedule and stop the script after N optimizer steps.`,
        );
      }
      refuseOptions(verb, values, SCRIPT_OWNED_TRAIN_OPTIONS, 'a PyTorch script: the script decides its own batches, weight decay, device and saving');
      const steps = integerOption(verb, 'steps', values.steps, 1);
      if (oneCycle && steps === undefined) {
        throw new UsageError(
          `lrscope train: --one-cycle on a PyTorch script needs --steps N: LR Scope cannot tell how many optimizer steps the script makes ` +
            `(its epochs × batches per epoch). The one-cycle schedule spans exactly N steps and the script is stopped after them.`,
        );
      }
      const { seed } = trainingOptions(verb, values);
      return trainScript(
        {
          script: pythonScriptTarget(verb, targetPath.path, values, scriptArgs),
          runsDir,
          seed,
          steps,
          plan: oneCycle ? { kind: 'one-cycle', flavor: flavor as OneCycleFlavor, maxLr, rangeSteps } : { kind: 'schedule', path: values.schedule as string },
          out,
          json,
        },
        io,
      );
    }

    refuseScriptOptions(verb, values, scriptArgs, ['steps']);
    const epochs = integerOption(verb, 'epochs', values.epochs, 1);
    const training = trainingOptions(verb, values);
    const backend = backendOption(verb, values);
    const file = targetPath.path;
    const target: Target = { experimentPath: file, backend, runsDir };
    const text = json ? io.stderr : io.stdout;
    const baseOptions: Omit<TrainOptions, 'schedule'> = {
      ...training,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(values['save-model'] !== undefined ? { saveModelTo: resolve(io.cwd, values['save-model']) } : {}),
    };

    let schedule: ScheduleSpec;
    if (values.schedule !== undefined) {
      schedule = await readScheduleSpec(verb, values.schedule, io);
    } else {
      const planned = await oneCycleSchedule(target, baseOptions, { flavor: flavor as OneCycleFlavor, maxLr, rangeSteps }, text, io);
      if (planned.kind === 'exit') return planned.code;
      schedule = planned.spec;
      baseOptions.epochs = planned.epochs;
    }

    const shown = trainingProgress(io);
    let plannedEpochs: number | undefined = baseOptions.epochs;
    let ended: Awaited<ReturnType<typeof runInEngine>>;
    try {
      ended = await runInEngine(
        verb,
        { kind: 'train', experimentPath: file, backend, runsDir, options: { ...baseOptions, schedule } },
        {
          onStart(info) {
            io.stderr.write(
              `training ${file}: ${describeSchedule(info.schedule)}, ${info.totalSteps} steps, backend ${info.backend.backend} (tfjs ${info.backend.libraryVersion})\n`,
            );
            for (const note of info.notes) io.stderr.write(`  note: ${note}\n`);
            shown.progress = new Progress(io.stderr, { title: 'training', total: info.totalSteps });
          },
          onPoint(point) {
            shown.progress?.update(point.step + 1, `lr ${formatLr(point.lr)}  loss ${formatMetric(point.loss)}`);
          },
          onEpoch(epoch) {
            shown.say(epochLine(epoch, plannedEpochs));
          },
          onLog(log) {
            if (log.level !== 'info') shown.say(`${log.level}: ${log.message}`);
          },
        },
        {
          cwd: io.cwd,
          say: (line) => shown.say(line),
          stopping: (signal) =>
            shown.say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the current batch and saving the partial run (again to stop at once)`),
        },
      );
    } finally {
      shown.progress?.finish();
    }
    const { record } = ended;
    plannedEpochs = typeof record.options['epochs'] === 'number' ? record.options['epochs'] : plannedEpochs;
    return reportTraining(ended, runsDir, out, plannedEpochs, { json, text }, io);
  },
};
