/** What callers give the engine and what it tells them while a run goes. */
import type { EpochPoint, StepPoint } from '../core/runs/record';
import type { BackendChoice, DescribeParams, LogParams, RangeTestOptions, StartedParams, TrainOptions } from '../protocol/engine';

export type { BackendChoice, LogParams, RangeTestOptions, StartedParams, TrainOptions };

/** What `describeExperiment` reads (the protocol's `describe` request, plus the wasm folder). */
export type DescribeRequest = DescribeParams & { wasmDir?: string };

/** Where and how to run (the same fields as the protocol's `start` request). */
export interface RunTarget {
  /** Path of the *.experiment.ts|js|mjs module (made absolute against the cwd). */
  experimentPath: string;
  backend: BackendChoice;
  /** Folder the run record goes to, e.g. `runsDirFor(workspace)`. */
  runsDir: string;
  /** Extra folders to resolve @tensorflow/tfjs-node from (workspace roots). */
  searchFrom?: string[];
  /** Folder holding the tfjs wasm binaries (when bundled: beside dist/engine.js). */
  wasmDir?: string;
  /** Id of the run's record, chosen by the caller so it knows the path before the run starts; default a new one. */
  runId?: string;
}

export interface RangeTestRequest extends RunTarget {
  options: RangeTestOptions;
}

export interface TrainRequest extends RunTarget {
  options: TrainOptions;
}

/** Callbacks of a run; all optional, called synchronously from the training loop. */
export interface EngineEvents {
  /** Once the backend is up, the experiment loaded and the run record created. */
  onStart?(info: StartedParams): void;
  /** After every optimizer update. */
  onPoint?(point: StepPoint): void;
  /** After every epoch of a training run (1-based `epoch`). */
  onEpoch?(epoch: EpochPoint): void;
  onLog?(log: LogParams): void;
}
