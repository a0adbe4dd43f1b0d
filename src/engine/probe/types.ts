/** What callers give the PyTorch probe. */
import type { RangeTestOptions, TrainOptions } from '../../protocol/engine';

/** The script to probe and how to run it. */
export interface PythonRunTarget {
  /** The user's training script (made absolute against the cwd). */
  scriptPath: string;
  /** Its command-line arguments (`sys.argv[1:]`). */
  scriptArgs?: string[];
  /** The interpreter: a command on PATH or a path; default `python3`. */
  python?: string;
  /**
   * A launcher command line (`torchrun --standalone --nproc-per-node 2`) that starts the probe as
   * its worker on every rank (`launcher.ts`); absent: the interpreter runs the probe directly.
   */
  launcher?: string;
  /** Working directory of the script; default the script's folder. */
  cwd?: string;
  /** Folder the run record goes to, e.g. `runsDirFor(workspace)`. */
  runsDir: string;
  /** Id of the run's record (`<runsDir>/<runId>.json`), when the caller chose it; default a new one. */
  runId?: string;
  /** Folder holding the `lrscope_probe` package; default: found beside the bundle or in the repository. */
  probeDir?: string;
  /** How long the script may run before its first optimizer step (after torch is imported); default 300 000 ms. */
  firstStepTimeoutMs?: number;
  /** After a stop or a cancel, how long the script gets to end by itself before it is killed; default 5 000 ms. */
  graceMs?: number;
  /** Extra environment variables for the script. */
  env?: Record<string, string>;
}

export interface PythonRangeTestRequest extends PythonRunTarget {
  /** Range-test options; `batchSize`, `weightDecay` and `validationBatches` belong to the script and are ignored. */
  options: RangeTestOptions;
}

/** `steps`: optimizer steps to run; absent: the whole script (past its end a bounded schedule holds its last value). */
export type PythonScheduleOptions = TrainOptions;

export interface PythonScheduleRequest extends PythonRunTarget {
  /** `schedule`, `steps` and `seed` apply; the other training options belong to the script and are ignored. */
  options: PythonScheduleOptions;
}
