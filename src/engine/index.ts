/**
 * The engine's public API: the LR range test and scheduled training on a TF.js experiment,
 * run records on disk, and the errors a caller must tell apart. Used in-process by the CLI
 * and inside the engine child process by the extension.
 */
import type { RunRecord } from '../core/runs/record';
import { rangeTest } from './range-test';
import type { EngineEvents, RangeTestRequest, TrainRequest } from './run-types';
import { train } from './train';

export type { EngineEvents, RangeTestRequest, TrainRequest, RunTarget, BackendChoice, RangeTestOptions, TrainOptions, StartedParams, LogParams } from './run-types';
export { ExperimentError, EngineRunError, type ExperimentField } from './errors';
export { RANGE_TEST_DEFAULTS } from './range-test';
export { DEFAULT_SEED } from './run-session';
export { runsDirFor, runRecordPath, newRunId, writeRunRecord, readRunRecord, listRunRecords, recordProblem } from './run-store';

/**
 * Runs an LR range test on `request.experimentPath` and resolves with the final run record,
 * which is also written to `request.runsDir` (at the start with status `running`, at the end
 * always). Status: `completed` (all steps), `diverged` (the stop rule fired — the normal end),
 * `cancelled` (`signal` aborted: the run stops after the current batch and keeps its points).
 * Rejects with `ExperimentError` for anything the user must fix (message names file and field;
 * `recordPath` set when a failed record was saved) and `EngineRunError` for anything else.
 */
export function runRangeTest(request: RangeTestRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  return rangeTest(request, events, signal);
}

/**
 * Trains the experiment under `request.options.schedule` (any schedule spec), with the same
 * record, cancellation and error contract as `runRangeTest`. Status `diverged` means the loss
 * became non-finite.
 */
export function runTraining(request: TrainRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  return train(request, events, signal);
}
