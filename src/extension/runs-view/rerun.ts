/**
 * Re-running a saved run: the same experiment or script with the options its record holds (range
 * test bounds, steps, stop rule, batch size, seed…; a training run's schedule and epochs; a script's
 * interpreter, arguments and launcher) and the backend it ran on. Pure: record in, start parameters out.
 */
import type { RunRecord } from '../../core/runs/record';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { BackendChoice, RangeTestOptions, StartParams, TrainOptions } from '../../protocol/engine';

export type Rerun = { ok: true; params: StartParams } | { ok: false; message: string };

const RANGE_NUMBERS = ['startLr', 'endLr', 'steps', 'beta', 'batchSize', 'weightDecay', 'validationBatches', 'seed'] as const;
const TRAIN_NUMBERS = ['epochs', 'batchSize', 'weightDecay', 'seed'] as const;

/**
 * The parameters that run `record` again into `runsDir` (`searchFrom`: folders to resolve tfjs-node
 * from; `backend`: the setting, used when the record's backend is not a tfjs one).
 */
export function rerunParams(record: RunRecord, target: { runsDir: string; searchFrom: string[]; backend: BackendChoice }): Rerun {
  const path = record.experiment.path;
  const script = /\.py$/i.test(path);
  if (!script && !/\.experiment\.(ts|js|mjs)$/.test(path)) {
    return { ok: false, message: `${path} is a log, not something LR Scope runs: use Import LR Log… or Watch LR Log… to read it again.` };
  }
  const o = record.options;
  const bad = (field: string, what: string): Rerun => ({ ok: false, message: `The run record ${record.id} has options.${field} ${JSON.stringify(o[field])}, not ${what}: start the run from the experiment instead.` });
  for (const key of record.kind === 'range-test' ? RANGE_NUMBERS : TRAIN_NUMBERS) {
    if (o[key] !== undefined && (typeof o[key] !== 'number' || !Number.isFinite(o[key]))) return bad(key, 'a number');
  }
  const recorded = record.environment.backend;
  const backend: BackendChoice = recorded === 'pytorch' || recorded === 'log' ? target.backend : recorded;
  const common = { experimentPath: path, backend, runsDir: target.runsDir, ...(script ? {} : { searchFrom: target.searchFrom }) };
  const python: { python?: string; scriptArgs?: string[]; launcher?: string } = {};
  if (script) {
    if (o.python !== undefined && typeof o.python !== 'string') return bad('python', 'an interpreter');
    if (o.scriptArgs !== undefined && !(Array.isArray(o.scriptArgs) && o.scriptArgs.every((a) => typeof a === 'string'))) return bad('scriptArgs', 'a list of arguments');
    if (o.launcher !== undefined && typeof o.launcher !== 'string') return bad('launcher', 'a launcher command line');
    if (typeof o.python === 'string') python.python = o.python;
    if (Array.isArray(o.scriptArgs)) python.scriptArgs = o.scriptArgs as string[];
    if (typeof o.launcher === 'string') python.launcher = o.launcher;
  }
  if (record.kind === 'range-test') {
    if (o.divergeFactor !== undefined && o.divergeFactor !== null && typeof o.divergeFactor !== 'number') return bad('divergeFactor', 'a number or null');
    if (o.mode !== undefined && o.mode !== 'exp' && o.mode !== 'linear') return bad('mode', "'exp' or 'linear'");
    const options: RangeTestOptions = {};
    for (const key of RANGE_NUMBERS) if (typeof o[key] === 'number') options[key] = o[key] as number;
    if (o.divergeFactor !== undefined) options.divergeFactor = o.divergeFactor as number | null;
    if (o.mode !== undefined) options.mode = o.mode as 'exp' | 'linear';
    return { ok: true, params: { kind: 'range-test', ...common, ...python, options } };
  }
  // A training run follows the schedule it recorded (the record's own, also when options lack it).
  const schedule = (typeof o.schedule === 'object' && o.schedule !== null ? o.schedule : record.schedule) as ScheduleSpec;
  const options: TrainOptions = { schedule };
  for (const key of TRAIN_NUMBERS) if (typeof o[key] === 'number') options[key] = o[key] as number;
  return { ok: true, params: { kind: 'train', ...common, ...python, options } };
}
