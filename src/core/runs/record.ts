/**
 * The run record (DESIGN.md, "Run records"): one versioned JSON document per run, written under
 * `.lrscope/runs/` and read by the CLI, the extension and the webview. Partial runs are kept.
 */
import type { ScheduleSpec } from '../schedules/spec';
import type { SuggestionMethod } from '../analysis/types';
import type { RecommendChoice } from '../analysis/recommend-rule';

export const RUN_RECORD_VERSION = 1;

export type RunKind = 'range-test' | 'train';
/** How a run ended. `running` only appears in records written while a run is in progress. */
export type RunStatus = 'running' | 'completed' | 'diverged' | 'cancelled' | 'crashed' | 'failed';
/** `log`: an imported or watched LR log of another tool (`core/logs/log-record.ts`). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'pytorch' | 'log';

/** One optimizer update. `smoothed` for range tests; `momentum` when the schedule cycles it. */
export interface StepPoint {
  step: number;
  lr: number;
  loss: number;
  smoothed?: number;
  momentum?: number;
}

/** End-of-epoch figures of a training run; metric names are the experiment's (e.g. `acc`, `val_acc`). */
export interface EpochPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics: Record<string, number>;
}

export interface RunEnvironment {
  backend: BackendName;
  /** tfjs version, or torch version for the PyTorch probe. */
  libraryVersion: string;
  /** e.g. "node v20.20.2 (modules 115)" or "python 3.11.2". */
  runtime: string;
  threads: number;
  lrscopeVersion: string;
}

/**
 * The process writing a run record while it is `running`: readers show the record as crashed when
 * this process is gone (`record-check.ts`). The heartbeat is refreshed with every periodic save.
 */
export interface RunWriter {
  pid: number;
  host: string;
  /** ISO time of the last save. */
  heartbeatAt: string;
}

export interface RunRecord {
  version: typeof RUN_RECORD_VERSION;
  id: string;
  kind: RunKind;
  status: RunStatus;
  /** Human-readable reason for the status (stop rule, error message, "cancelled by user"). */
  statusDetail?: string;
  startedAt: string;
  endedAt?: string;
  experiment: { path: string; sha256: string; label?: string };
  environment: RunEnvironment;
  /** The schedule the run followed: a `range` spec for range tests. */
  schedule: ScheduleSpec;
  /** Options the run was started with (range-test options, batch size, seed, weight decay …). */
  options: Record<string, unknown>;
  points: StepPoint[];
  epochs: EpochPoint[];
  /** Range tests: the analysis' suggestions at the time the run ended. */
  suggestions?: Record<SuggestionMethod, number | null>;
  recommendation?: { method: SuggestionMethod; rule?: RecommendChoice; lr: number | null; spreadDecades: number | null; flags: string[]; message: string };
  /** Things the user should know (e.g. "checkpoint writes suppressed while probing"). */
  notes?: string[];
  /** Who writes the record while it is `running` (absent once it is closed). */
  writer?: RunWriter;
}
