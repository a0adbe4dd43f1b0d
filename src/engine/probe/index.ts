/**
 * The PyTorch probe (DESIGN.md, "The PyTorch probe"; issue 5): range tests and schedule trials on
 * an unmodified PyTorch script, run with the user's interpreter through `python -m lrscope_probe`.
 * Same points, run records, analysis and events as the TF.js engine (`../index.ts`).
 */
import type { RunRecord } from '../../core/runs/record';
import type { EngineEvents } from '../run-types';
import { pythonRangeTest } from './range';
import { pythonSchedule } from './schedule';
import type { PythonRangeTestRequest, PythonScheduleRequest } from './types';

export type { PythonRunTarget, PythonRangeTestRequest, PythonScheduleRequest, PythonScheduleOptions } from './types';
export { ProbeError, type ProbeErrorKind, type ScriptLocation } from './errors';
export { PYTHON_RANGE_TEST_DEFAULTS } from './range';
export { DEFAULT_PYTHON, DEFAULT_FIRST_STEP_TIMEOUT_MS, DEFAULT_GRACE_MS } from './session';
export { defaultProbeDir } from './process';
export { parseLauncher } from './launcher';

/** True when `target` is a Python script, i.e. a run for the probe rather than the TF.js engine. */
export function isPythonScript(target: string): boolean {
  return /\.py$/i.test(target);
}

/**
 * Runs an LR range test on `request.scriptPath` and resolves with the final run record (backend
 * `pytorch`), also written to `request.runsDir` once torch is up (status `running`) and at the end.
 * Status: `diverged` (the core's stop rule fired — the normal end; the script is stopped within
 * the lookahead — before its next update when steps take 0.2 s or more, within ~0.2 s of steps
 * otherwise — and exits 0), `completed` (all steps, or the script ended first: then `statusDetail`
 * says so and the analysis flags `incomplete`), `cancelled` (`signal` aborted: stopped likewise,
 * killed after `graceMs`). Rejects with `ProbeError` for anything the user must fix —
 * no interpreter, no torch, the script failing, no optimizer step, no loss — with the saved record
 * (and its points) attached when there is one.
 */
export function runPythonRangeTest(request: PythonRangeTestRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  return pythonRangeTest(request, events, signal);
}

/**
 * Runs `request.scriptPath` with its optimizer following `request.options.schedule` (LR, and
 * momentum or betas[0] when the spec cycles it) for `options.steps` steps or the whole script,
 * with the same record, cancellation and error contract as `runPythonRangeTest`. Status
 * `diverged` means the loss became non-finite.
 */
export function runPythonSchedule(request: PythonScheduleRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  return pythonSchedule(request, events, signal);
}
