/**
 * The engine's JSON-RPC server (issue 3 §5): answers `start` with the final run record, forwards
 * the engine's events as notifications, turns `cancel` into an abort (the loop stops after the
 * current batch). Transport-agnostic: `main.ts` serves it over the IPC channel, tests over streams.
 */
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import {
  cancelNotification,
  describeRequest,
  EngineErrorCode,
  epochNotification,
  logNotification,
  pointNotification,
  startedNotification,
  startRequest,
  type EngineErrorData,
  type StartParams,
} from '../../protocol/engine';
import type { RunRecord } from '../../core/runs/record';
import type { ExperimentShape } from '../../protocol/engine';
import type { DescribeRequest, EngineEvents, RangeTestRequest, TrainRequest } from '../run-types';
import { EngineRunError, ExperimentError, messageOf } from '../errors';
import { BackendError } from '../backend/errors';
import { isPythonScript, ProbeError, type PythonRangeTestRequest, type PythonRunTarget, type PythonScheduleRequest } from '../probe/index';

/**
 * The engine entry points the server wraps (the real ones, or stand-ins in tests): the TF.js
 * engine for experiment modules, the PyTorch probe for `*.py` scripts.
 */
export interface EngineApi {
  runRangeTest(request: RangeTestRequest, events: EngineEvents, signal: AbortSignal): Promise<RunRecord>;
  runTraining(request: TrainRequest, events: EngineEvents, signal: AbortSignal): Promise<RunRecord>;
  runPythonRangeTest(request: PythonRangeTestRequest, events: EngineEvents, signal: AbortSignal): Promise<RunRecord>;
  runPythonSchedule(request: PythonScheduleRequest, events: EngineEvents, signal: AbortSignal): Promise<RunRecord>;
  describeExperiment(request: DescribeRequest): Promise<ExperimentShape>;
}

export interface ServeOptions {
  /** Folder of the tfjs wasm binaries (beside the bundle), passed on to every run. */
  wasmDir?: string;
  /** Folder holding the `lrscope_probe` package (beside the bundle), passed on to every probe run. */
  probeDir?: string;
}

/** What the server's owner can do to the run in progress. */
export interface EngineServer {
  /** Stops the run in progress after its batch with `reason` (a `HostGone` marks it crashed); false when none runs. */
  abort(reason: unknown): boolean;
  /** Resolves once no run is in progress. */
  idle(): Promise<void>;
}

/**
 * Registers the engine's handlers on `connection` (which the caller then `listen()`s). One run at
 * a time: a second `start` while one runs is answered with an internal error.
 */
export function serveEngine(connection: MessageConnection, api: EngineApi, options: ServeOptions = {}): EngineServer {
  let running: AbortController | undefined;
  let ended: Promise<unknown> = Promise.resolve();

  connection.onNotification(cancelNotification, (params) => {
    running?.abort(params?.reason ?? 'cancelled');
  });

  connection.onRequest(describeRequest, async (params) => {
    try {
      return await api.describeExperiment({ ...params, ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}) });
    } catch (err) {
      return toResponseError(err);
    }
  });

  connection.onRequest(startRequest, async (params: StartParams) => {
    if (running) return new ResponseError<EngineErrorData>(EngineErrorCode.internal, 'The engine is already running a run.', {});
    const controller = new AbortController();
    running = controller;
    const notify = (send: () => Promise<void>): void => {
      void send().catch(() => undefined); // the parent went away: the disconnect handler ends us
    };
    const events: EngineEvents = {
      onStart: (info) => notify(() => connection.sendNotification(startedNotification, info)),
      onPoint: (point) => notify(() => connection.sendNotification(pointNotification, point)),
      onEpoch: (epoch) => notify(() => connection.sendNotification(epochNotification, epoch)),
      onLog: (line) => notify(() => connection.sendNotification(logNotification, line)),
    };
    const result = run(api, params, events, controller.signal, options);
    ended = result.catch(() => undefined);
    try {
      return await result;
    } catch (err) {
      return toResponseError(err);
    } finally {
      running = undefined;
    }
  });

  return {
    abort(reason) {
      if (!running) return false;
      running.abort(reason);
      return true;
    },
    idle: () => ended.then(() => undefined),
  };
}

function run(api: EngineApi, params: StartParams, events: EngineEvents, signal: AbortSignal, options: ServeOptions): Promise<RunRecord> {
  if (isPythonScript(params.experimentPath)) return runPython(api, params, events, signal, options);
  const { kind, experimentPath, backend, runsDir, searchFrom, runId } = params;
  const target = {
    experimentPath,
    backend,
    runsDir,
    ...(searchFrom ? { searchFrom } : {}),
    ...(runId ? { runId } : {}),
    ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}),
  };
  switch (kind) {
    case 'range-test':
      return api.runRangeTest({ ...target, options: params.options }, events, signal);
    case 'train':
      return api.runTraining({ ...target, options: params.options }, events, signal);
  }
}

/** A `*.py` target: the PyTorch probe with the request's interpreter, arguments and folders. */
function runPython(api: EngineApi, params: StartParams, events: EngineEvents, signal: AbortSignal, options: ServeOptions): Promise<RunRecord> {
  const { experimentPath, runsDir, python, scriptArgs, cwd, firstStepTimeoutMs, launcher, runId } = params;
  const target: PythonRunTarget = {
    scriptPath: experimentPath,
    runsDir,
    ...(runId ? { runId } : {}),
    ...(python !== undefined ? { python } : {}),
    ...(scriptArgs !== undefined ? { scriptArgs } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    ...(firstStepTimeoutMs !== undefined ? { firstStepTimeoutMs } : {}),
    ...(launcher !== undefined ? { launcher } : {}),
    ...(options.probeDir !== undefined ? { probeDir: options.probeDir } : {}),
  };
  switch (params.kind) {
    case 'range-test':
      return api.runPythonRangeTest({ ...target, options: params.options }, events, signal);
    case 'train':
      return api.runPythonSchedule({ ...target, options: params.options }, events, signal);
  }
}

/** The engine's error as a typed JSON-RPC error (codes in `EngineErrorCode`). */
export function toResponseError(err: unknown): ResponseError<EngineErrorData> {
  if (err instanceof ProbeError) {
    // Everything a probe run can fail on is the user's to fix (interpreter, torch, the script).
    return new ResponseError(EngineErrorCode.experiment, err.message, err.recordPath ? { recordPath: err.recordPath } : {});
  }
  if (err instanceof ExperimentError) {
    return new ResponseError(EngineErrorCode.experiment, err.message, err.recordPath ? { recordPath: err.recordPath } : {});
  }
  if (err instanceof BackendError) return new ResponseError(EngineErrorCode.backend, err.message, {});
  if (err instanceof EngineRunError) {
    return new ResponseError(EngineErrorCode.internal, err.message, { recordPath: err.recordPath });
  }
  const stack = err instanceof Error && err.stack ? `\n${err.stack}` : '';
  process.stderr.write(`lrscope engine: unexpected error: ${messageOf(err)}${stack}\n`);
  return new ResponseError(EngineErrorCode.internal, `Internal engine error: ${messageOf(err)}`, {});
}
