/** `lrscope train`: trains an experiment under a schedule spec or a one-cycle schedule, in-process. */
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeRangeTest, formatLr, recommendSchedule, RecommendScheduleError, type RangeAnalysis } from '../../core/analysis/index';
import type { EpochPoint, RunRecord } from '../../core/runs/record';
import { ONE_CYCLE_FLAVORS, SpecError, validateSpec, type OneCycleFlavor, type ScheduleSpec } from '../../core/schedules/index';
import { runRecordPath, runTraining, type BackendChoice, type TrainOptions } from '../../engine/index';
import { parseJsonInput, readInput } from '../input';
import { Progress } from '../progress';
import { analyzeRecord, recordJson, writeFileAtomic } from '../report/index';
import {
  EXIT_CANCELLED,
  RUN_OPTIONS,
  RUN_OPTIONS_HELP,
  TRAINING_OPTIONS,
  backendOption,
  engineFailure,
  experimentPath,
  integerOption,
  outOption,
  positiveNumber,
  runsDirOption,
  trainingOptions,
  withInterrupt,
} from '../run-options';
import { UsageError, parseVerbArgs, type CliIO, type Verb } from '../verb';
import { executeRangeTest } from './range-test';

const help = `Usage: lrscope train <experiment.ts|js|mjs> (--schedule spec.json | --one-cycle [--max-lr LR]) [options]

Trains the experiment's model, setting the learning rate (and momentum, when the schedule cycles
it) before every mini-batch. Prints loss, validation loss and metrics per epoch and saves the run
record. Ctrl-C stops after the current batch, saves the partial run and exits with 130.

Schedule (one of):
  --schedule FILE        a schedule spec (docs/schedules.md); - reads it from stdin
  --one-cycle            a one-cycle schedule over the whole training run; without --max-lr a
                         range test runs first and its recommendation becomes the maximum LR
    --max-lr LR          the one-cycle maximum learning rate
    --flavor F           pytorch | fastai | optax-cosine | optax-linear | smith (default pytorch)
    --range-steps N      steps of that range test (default 100)

Training:
  --epochs N             epochs (default: the experiment's, else as long as the schedule)
  --save-model DIR       save the trained model to DIR (model.json + weights)
${RUN_OPTIONS_HELP}
  -h, --help             this text

With --json the last line of stdout is
  {"status","backend","schedule","epochs":[{"epoch","loss","valLoss",…metrics}]}
Exit codes: 0 trained, 1 the run failed or the loss diverged, 2 bad options or a broken
experiment (the message names the file and field), 130 Ctrl-C.

Examples:
  lrscope train my.experiment.ts --one-cycle --epochs 5
  lrscope train my.experiment.ts --schedule onecycle.json --json > result.json`;

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
      return `cyclic (${spec.mode ?? 'triangular'}) ${formatLr(spec.baseLr)} ↔ ${formatLr(spec.maxLr)}`;
    case 'onecycle':
      switch (spec.flavor) {
        case 'pytorch':
        case 'smith':
          return `one-cycle (${spec.flavor}), max lr ${formatLr(spec.maxLr)} over ${spec.totalSteps} steps`;
        case 'fastai':
          return `one-cycle (fastai), max lr ${formatLr(spec.lrMax)} over ${spec.totalSteps} steps`;
        case 'optax-cosine':
        case 'optax-linear':
          return `one-cycle (${spec.flavor}), peak ${formatLr(spec.peakValue)} over ${spec.transitionSteps} steps`;
      }
  }
}

interface Target {
  experimentPath: string;
  backend: BackendChoice;
  runsDir: string;
}

/**
 * Epochs and mini-batches per epoch of this experiment with these options. The engine knows them
 * once the data is loaded, so this starts a training run and cancels it before its first batch;
 * the throwaway record is deleted (a failed start keeps its record, as every failed run does).
 */
async function trainingShape(target: Target, options: Omit<TrainOptions, 'schedule'>): Promise<{ epochs: number; stepsPerEpoch: number }> {
  const controller = new AbortController();
  let totalSteps = 0;
  let recordPath: string | undefined;
  const record = await runTraining(
    { ...target, options: { ...options, schedule: { policy: 'constant', lr: 1e-3 } } },
    {
      onStart(info) {
        totalSteps = info.totalSteps;
        recordPath = info.recordPath;
        controller.abort();
      },
    },
    controller.signal,
  );
  await unlink(recordPath ?? runRecordPath(target.runsDir, record.id)).catch(() => undefined);
  const epochs = record.options['epochs'];
  if (typeof epochs !== 'number' || !(epochs >= 1) || totalSteps < epochs) {
    throw new Error(`could not tell the number of batches per epoch of ${target.experimentPath}`);
  }
  return { epochs, stepsPerEpoch: Math.round(totalSteps / epochs) };
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
  let shape: { epochs: number; stepsPerEpoch: number };
  try {
    shape = await trainingShape(target, options);
  } catch (err) {
    throw engineFailure('train', err);
  }
  let analysis: RangeAnalysis;
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
    analysis = analyzeRecord(result.record);
    io.stderr.write(`using the range test's recommendation: max lr ${formatLr(lr)} (${recommendation.method})\n`);
  } else {
    analysis = analyzeRangeTest([]); // not read: maxLr is given
  }
  try {
    const spec = recommendSchedule(analysis, { flavor: choice.flavor, epochs: shape.epochs, stepsPerEpoch: shape.stepsPerEpoch, maxLr: lr });
    return { kind: 'schedule', spec, epochs: shape.epochs };
  } catch (err) {
    if (err instanceof RecommendScheduleError) throw new UsageError(`lrscope train: ${err.message}`);
    throw err;
  }
}

export const trainVerb: Verb = {
  name: 'train',
  summary: 'train an experiment module under a schedule spec or one-cycle (range test first if needed)',
  help,
  async run(argv, io) {
    const verb = 'train';
    const { values, positionals } = parseVerbArgs(verb, argv, {
      ...RUN_OPTIONS,
      ...TRAINING_OPTIONS,
      schedule: { type: 'string' },
      'one-cycle': { type: 'boolean', default: false },
      'max-lr': { type: 'string' },
      flavor: { type: 'string' },
      'range-steps': { type: 'string' },
      epochs: { type: 'string' },
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
    const flavor = values.flavor ?? 'pytorch';
    if (!(ONE_CYCLE_FLAVORS as readonly string[]).includes(flavor)) {
      throw new UsageError(`lrscope train: --flavor must be one of ${ONE_CYCLE_FLAVORS.join(', ')}, got '${flavor}'`);
    }
    const rangeSteps = integerOption(verb, 'range-steps', values['range-steps'], 2);
    const epochs = integerOption(verb, 'epochs', values.epochs, 1);
    const training = trainingOptions(verb, values);
    const backend = backendOption(verb, values);
    const file = experimentPath(verb, positionals, io);
    const target: Target = { experimentPath: file, backend, runsDir: runsDirOption(values, io) };
    const out = outOption(values, io);
    const json = values.json === true;
    const text = json ? io.stderr : io.stdout;
    const baseOptions: Omit<TrainOptions, 'schedule'> = {
      ...training,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(values['save-model'] !== undefined ? { saveModelTo: resolve(io.cwd, values['save-model']) } : {}),
    };

    let schedule: ScheduleSpec;
    if (values.schedule !== undefined) {
      const input = await readInput(verb, values.schedule, io);
      try {
        schedule = validateSpec(parseJsonInput(verb, input.text, input.name));
      } catch (err) {
        if (err instanceof SpecError) throw new UsageError(`lrscope train: ${input.name}: ${err.message}`);
        throw err;
      }
    } else {
      const planned = await oneCycleSchedule(target, baseOptions, { flavor: flavor as OneCycleFlavor, maxLr, rangeSteps }, text, io);
      if (planned.kind === 'exit') return planned.code;
      schedule = planned.spec;
      baseOptions.epochs = planned.epochs;
    }

    let progress: Progress | null = null;
    let plannedEpochs: number | undefined = baseOptions.epochs;
    const say = (line: string): void => {
      if (progress) progress.line(line);
      else io.stderr.write(line + '\n');
    };
    let record: RunRecord;
    try {
      record = await withInterrupt(
        () => say('Ctrl-C: stopping after the current batch and saving the partial run (press again to quit at once)'),
        (signal) =>
          runTraining(
            { ...target, options: { ...baseOptions, schedule } },
            {
              onStart(info) {
                io.stderr.write(
                  `training ${file}: ${describeSchedule(info.schedule)}, ${info.totalSteps} steps, backend ${info.backend.backend} (tfjs ${info.backend.libraryVersion})\n`,
                );
                for (const note of info.notes) io.stderr.write(`  note: ${note}\n`);
                progress = new Progress(io.stderr, { title: 'training', total: info.totalSteps });
              },
              onPoint(point) {
                progress?.update(point.step + 1, `lr ${formatLr(point.lr)}  loss ${formatMetric(point.loss)}`);
              },
              onEpoch(epoch) {
                say(epochLine(epoch, plannedEpochs));
              },
              onLog(log) {
                if (log.level !== 'info') say(`${log.level}: ${log.message}`);
              },
            },
            signal,
          ),
      );
    } catch (err) {
      throw engineFailure(verb, err);
    } finally {
      (progress as Progress | null)?.finish();
    }
    plannedEpochs = typeof record.options['epochs'] === 'number' ? record.options['epochs'] : plannedEpochs;

    const recordPath = runRecordPath(target.runsDir, record.id);
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
    text.write(lines.join('\n') + '\n');
    if (json) io.stdout.write(JSON.stringify(trainSummary(record)) + '\n');
    switch (record.status) {
      case 'cancelled':
        io.stderr.write(`cancelled: the partial run (${record.points.length} steps, ${record.epochs.length} epochs) is saved\n`);
        return EXIT_CANCELLED;
      case 'diverged':
        io.stderr.write(`lrscope train: the loss diverged: ${record.statusDetail ?? ''}\n`);
        return 1;
      default:
        return 0;
    }
  },
};
