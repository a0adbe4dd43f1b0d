/**
 * The life of one run, shared by the range test and scheduled training: bring up the backend,
 * create and save the run record (status `running`), load and build the experiment under the
 * run's seed, hand over to the run's loop, and — however it ends — save the final record and
 * free every tensor.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { RUN_RECORD_VERSION, type RunKind, type RunRecord, type RunStatus, type StepPoint, type EpochPoint } from '../core/runs/record';
import type { ScheduleSpec } from '../core/schedules/spec';
import { EngineRunError, ExperimentError, messageOf } from './errors';
import { readExperiment, sha256File } from './experiment/definition';
import { instantiateExperiment } from './experiment/instantiate';
import type { ExperimentDefinition, InstantiatedExperiment } from './experiment/types';
import { createOptimizer, type OptimizerControl } from './optimizer-control';
import { newRunId, RunRecordWriter } from './run-store';
import type { EngineEvents, LogParams, RunTarget } from './run-types';
import { createRandom, seedMathRandom } from './seeded-random';
import { initBackend, type BackendHandle, type Tf } from './tf-handle';
import { Stepper } from './train-step';

/** Seed used when neither the request nor the experiment gives one, so reruns repeat. */
export const DEFAULT_SEED = 42;

/** Everything a run's loop works with. */
export interface RunContext {
  tf: Tf;
  backend: BackendHandle;
  record: RunRecord;
  recordPath: string;
  definition: ExperimentDefinition;
  experiment: InstantiatedExperiment;
  control: OptimizerControl;
  stepper: Stepper;
  seed: number;
  signal: AbortSignal | undefined;
  /** Runs `fn` with `Math.random` drawing from the run's seeded stream (tfjs seeds dropout etc. from it). */
  seeded<T>(fn: () => T): T;
  /** Reports the start (once): planned steps, the schedule followed, notes for the user. */
  start(totalSteps: number, notes?: string[]): void;
  /** Appends a point to the record and streams it. */
  point(point: StepPoint): void;
  /** Appends an epoch summary to the record and streams it. */
  epoch(point: EpochPoint): void;
  log(level: LogParams['level'], message: string): void;
}

export interface SessionPlan {
  kind: RunKind;
  /** The schedule as requested (a `range` spec for range tests). */
  schedule: ScheduleSpec;
  /** LR the optimizer is created with (the schedule's first). */
  initialLr: number;
  /** Request options to record; the run may add resolved values (seed, batch size …). */
  options: Record<string, unknown>;
  seed?: number;
  weightDecay?: number;
  /** Compute metrics on training batches. */
  withMetrics: boolean;
}

/** How the loop says the run ended (failures are thrown instead). */
export interface LoopOutcome {
  status: Extract<RunStatus, 'completed' | 'diverged' | 'cancelled'>;
  detail?: string;
}

/**
 * Runs `loop` inside a fully set-up run and returns the final record, which is always saved.
 * `ExperimentError`s propagate (with `recordPath` set); any other error becomes an
 * `EngineRunError` carrying the record's path.
 */
export async function runSession(
  target: RunTarget,
  plan: SessionPlan,
  events: EngineEvents,
  signal: AbortSignal | undefined,
  loop: (ctx: RunContext) => Promise<LoopOutcome>,
  finish?: (ctx: RunContext | null, record: RunRecord) => void,
): Promise<RunRecord> {
  const file = isAbsolute(target.experimentPath) ? target.experimentPath : resolve(target.experimentPath);
  const backend = await initBackend(target.backend, {
    searchFrom: [dirname(file), ...(target.searchFrom ?? [])],
    ...(target.wasmDir ? { wasmDir: target.wasmDir } : {}),
  });
  const { tf } = backend;
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    id: target.runId ?? newRunId(plan.kind),
    kind: plan.kind,
    status: 'running',
    startedAt: new Date().toISOString(),
    experiment: { path: file, sha256: existsSync(file) ? sha256File(file) : '' },
    environment: {
      backend: backend.name,
      libraryVersion: backend.libraryVersion,
      runtime: backend.runtime,
      threads: backend.threads,
      lrscopeVersion: process.env.LRSCOPE_VERSION ?? 'dev',
    },
    schedule: plan.schedule,
    options: { ...plan.options },
    points: [],
    epochs: [],
  };
  if (backend.notes.length > 0) record.notes = [...backend.notes];
  const log = (level: LogParams['level'], message: string): void => events.onLog?.({ level, message });
  const writer = await RunRecordWriter.open(target.runsDir, record, { onSaveError: (message) => log('warn', message) });
  const recordPath = writer.path;
  let ctx: RunContext | null = null;
  let experiment: InstantiatedExperiment | null = null;
  let control: OptimizerControl | null = null;
  try {
    const definition = await readExperiment(file, tf, [__filename]);
    if (definition.label) record.experiment.label = definition.label;
    const seed = plan.seed ?? definition.seed ?? DEFAULT_SEED;
    record.options.seed = seed;
    const random = createRandom(seed);
    const seeded = <T>(fn: () => T): T => {
      const previous = Math.random;
      Math.random = random;
      try {
        return fn();
      } finally {
        Math.random = previous;
      }
    };

    control = createOptimizer(tf, definition.optimizer, plan.initialLr);
    // model() and data() draw from the run's stream too (weight init, generated data).
    const unseed = seedMathRandom(random);
    try {
      experiment = await instantiateExperiment(definition, tf, control.optimizer);
    } finally {
      unseed();
    }

    const weightDecay = plan.weightDecay ?? definition.weightDecay ?? 0;
    if (weightDecay > 0) record.options.weightDecay = weightDecay;
    record.options.optimizer = definition.optimizer;
    const stepper = new Stepper(tf, experiment.model, control, { weightDecay, withMetrics: plan.withMetrics });
    let started = false;
    ctx = {
      tf,
      backend,
      record,
      recordPath,
      definition,
      experiment,
      control,
      stepper,
      seed,
      signal,
      seeded,
      start(totalSteps, notes = []) {
        if (started) return;
        started = true;
        if (notes.length > 0) record.notes = [...(record.notes ?? []), ...notes];
        for (const note of notes) log('info', note);
        events.onStart?.({ runId: record.id, recordPath, backend: record.environment, totalSteps, schedule: record.schedule, notes: record.notes ?? [] });
      },
      point(point) {
        record.points.push(point);
        writer.changed();
        events.onPoint?.(point);
      },
      epoch(point) {
        record.epochs.push(point);
        writer.changed();
        events.onEpoch?.(point);
      },
      log,
    };
    const outcome = await loop(ctx);
    const gone = outcome.status === 'cancelled' && signal?.reason instanceof HostGone ? signal.reason : null;
    record.status = gone ? 'crashed' : outcome.status;
    if (gone) record.statusDetail = `${gone.message}; ${outcome.detail ?? 'stopped'}`;
    else if (outcome.detail) record.statusDetail = outcome.detail;
  } catch (err) {
    record.status = 'failed';
    record.statusDetail = messageOf(err);
    if (err instanceof ExperimentError) {
      err.recordPath = recordPath;
      throw err;
    }
    throw new EngineRunError(`${plan.kind} failed: ${messageOf(err)}`, recordPath, err);
  } finally {
    try {
      finish?.(ctx, record);
    } catch (err) {
      (record.notes ??= []).push(`analysis failed: ${messageOf(err)}`);
    }
    record.endedAt = new Date().toISOString();
    experiment?.dispose();
    control?.dispose();
    await writer.close();
  }
  return record;
}

/**
 * The abort reason of a run whose host went away (the CLI or the editor died, the IPC channel
 * closed): the run stops after its batch like a cancel, but its record says `crashed`.
 */
export class HostGone extends Error {
  override name = 'HostGone';
}

/** Lets pending I/O (a cancel message, an IPC write) run between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
