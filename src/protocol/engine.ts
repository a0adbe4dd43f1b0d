/**
 * Extension host (or CLI) <-> engine child process: typed JSON-RPC over the IPC channel
 * (vscode-jsonrpc). Nothing on the child's stdout is protocol; stdout/stderr are logs.
 *
 * `describe` (a request) answers an experiment's epochs, batch size and batches per epoch without
 * running it.
 * Flow: parent sends `start` (a request; its response is the final run record), the engine
 * sends `started`, then `point` per batch and `epoch` per epoch, `log` lines at any time.
 * `cancel` asks the engine to stop after the current batch; the parent kills the child
 * after a grace period if the `start` response does not come.
 */
// The message classes alone (not the package's root, which loads its whole connection): the extension
// host loads this at activation and the connection with its first run (see src/host/engine-process.ts).
import { NotificationType, RequestType } from 'vscode-jsonrpc/lib/common/messages';
import type { EpochPoint, RunRecord, StepPoint } from '../core/runs/record';
import type { ScheduleSpec } from '../core/schedules/spec';
import type { SweepTag } from '../core/sweeps/plan';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** LR range test options (issue 3 §3); every field optional, engine defaults apply. */
export interface RangeTestOptions {
  startLr?: number;
  endLr?: number;
  steps?: number;
  mode?: 'exp' | 'linear';
  beta?: number;
  divergeFactor?: number | null;
  batchSize?: number;
  weightDecay?: number;
  /** Use the mean loss on this many validation batches per step instead of the training loss. */
  validationBatches?: number;
  seed?: number;
  /** The sweep this run is a member of (saved in the record's options as it is). */
  sweep?: SweepTag;
}

export interface TrainOptions {
  schedule: ScheduleSpec;
  epochs?: number;
  batchSize?: number;
  weightDecay?: number;
  seed?: number;
  /** Folder to save the trained model to (tf.io file:// handler); none when absent. */
  saveModelTo?: string;
  /** PyTorch scripts: optimizer steps to run, then the script is stopped; absent: the whole script. */
  steps?: number;
}

interface RunTarget {
  /**
   * Absolute path of the *.experiment.ts|js|mjs module, or of a PyTorch training script (`*.py`),
   * which the engine runs through the PyTorch probe with the fields below.
   */
  experimentPath: string;
  /** The tfjs backend (ignored for PyTorch scripts). */
  backend: BackendChoice;
  /** Absolute folder where run records go (e.g. <workspace>/.lrscope/runs). */
  runsDir: string;
  /** Extra folders to resolve @tensorflow/tfjs-node from (workspace roots). */
  searchFrom?: string[];
  /** PyTorch scripts: the interpreter (a command on PATH or a path); default `python3`. */
  python?: string;
  /** PyTorch scripts: the script's command-line arguments. */
  scriptArgs?: string[];
  /** PyTorch scripts: the working directory; default the script's folder. */
  cwd?: string;
  /** PyTorch scripts: how long the script may run before its first optimizer step (ms). */
  firstStepTimeoutMs?: number;
  /** PyTorch scripts: a launcher command line (`torchrun --standalone --nproc-per-node 2`) that runs every rank. */
  launcher?: string;
  /**
   * Id of the run's record (`<runsDir>/<runId>.json`), chosen by the parent so it knows where the
   * record is before the run starts; default a new one.
   */
  runId?: string;
}

export type StartParams =
  | (RunTarget & { kind: 'range-test'; options: RangeTestOptions })
  | (RunTarget & { kind: 'train'; options: TrainOptions });

export interface StartedParams {
  runId: string;
  recordPath: string;
  backend: RunRecord['environment'];
  /** Planned number of optimizer steps (range test steps, or epochs × batches). */
  totalSteps: number;
  schedule: ScheduleSpec;
  notes: string[];
}

/** `describe`: build an experiment's model and data and say how a run of it would be cut. */
export interface DescribeParams {
  experimentPath: string;
  backend: BackendChoice;
  searchFrom?: string[];
  /** Overrides, as a run would take them. */
  batchSize?: number;
  epochs?: number;
  seed?: number;
}

/** The answer to `describe`. */
export interface ExperimentShape {
  /** The epochs asked for, else the experiment's own `epochs`, else null (none said). */
  epochs: number | null;
  /** The batch size a run uses (the requested one, capped at the number of examples). */
  batchSize: number;
  /** Full batches per epoch (the last partial batch is dropped). */
  batchesPerEpoch: number;
  /** Training examples. */
  examples: number;
  validationExamples?: number;
  backend: RunRecord['environment']['backend'];
}

export interface LogParams {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** JSON-RPC error codes the engine uses in `start` error responses. */
export const EngineErrorCode = {
  /**
   * The experiment (or the PyTorch script, its interpreter, its torch) is wrong: the message says
   * what and where; `data` holds `{ recordPath? }`.
   */
  experiment: 1001,
  /** The backend asked for cannot be loaded. */
  backend: 1002,
  /** Anything else (a bug or a crash inside tfjs). */
  internal: 1003,
} as const;

export interface EngineErrorData {
  recordPath?: string;
}

export const startRequest = new RequestType<StartParams, RunRecord, EngineErrorData>('lrscope/start');
export const describeRequest = new RequestType<DescribeParams, ExperimentShape, EngineErrorData>('lrscope/describe');
export const cancelNotification = new NotificationType<{ reason?: string }>('lrscope/cancel');
export const startedNotification = new NotificationType<StartedParams>('lrscope/started');
export const pointNotification = new NotificationType<StepPoint>('lrscope/point');
export const epochNotification = new NotificationType<EpochPoint>('lrscope/epoch');
export const logNotification = new NotificationType<LogParams>('lrscope/log');
