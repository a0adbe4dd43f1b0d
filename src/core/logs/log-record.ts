/**
 * An imported or watched LR log as a run record (backend `log`): the same versioned document as a
 * range test LR Scope ran, so a log is listed in the Runs view, reopened and compared like any run.
 * The record's schedule is the LR span the log covers; losses the tool smoothed already are analysed
 * with β = 0.
 */
import { DEFAULT_BETA } from '../analysis/smoothing';
import { DEFAULT_DIVERGE_FACTOR } from '../analysis/stop-rule';
import type { RangePoint } from '../analysis/types';
import { maxOf, minOf } from '../extent';
import { attachRangeAnalysis } from '../runs/range-analysis';
import { RUN_RECORD_VERSION, type RunRecord, type RunStatus, type StepPoint } from '../runs/record';
import type { RangeSpec } from '../schedules/spec';
import { MAX_SCHEDULE_STEPS } from '../schedules/validate';
import type { LogFormat } from './parse';

/** `environment.backend` of a log's record. */
export const LOG_BACKEND = 'log';

/** Points of a log as step points (step = row order). */
export function logStepPoints(points: readonly RangePoint[], firstStep = 0): StepPoint[] {
  return points.map((p, i) => ({ step: firstStep + i, lr: p.lr, loss: p.loss }));
}

/** The range spec a log covers (its LR span); a placeholder span while it has no points yet. */
export function logRangeSpec(points: readonly { lr: number }[]): RangeSpec {
  const lrs = points.map((p) => p.lr).filter((lr) => Number.isFinite(lr) && lr > 0);
  if (lrs.length === 0) return { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 };
  const startLr = minOf(lrs);
  const endLr = maxOf(lrs);
  return { policy: 'range', mode: 'exp', startLr, endLr: endLr > startLr ? endLr : startLr * 10, steps: Math.min(MAX_SCHEDULE_STEPS, Math.max(2, points.length)) };
}

export interface LogRecordInput {
  id: string;
  /** The log file (absolute) and its SHA-256 when read whole (empty while it is being watched). */
  path: string;
  sha256: string;
  label: string;
  startedAt: string;
  points: readonly RangePoint[];
  smoothedLoss: boolean;
  format: LogFormat | null;
  /** `imported` (read whole) or `watched` (followed while it grew). */
  source: 'imported' | 'watched';
  lrscopeVersion: string;
}

/** The record of a log, `running` (a watch goes on); `closeLogRecord` ends it. */
export function logRecord(input: LogRecordInput): RunRecord {
  return {
    version: RUN_RECORD_VERSION,
    id: input.id,
    kind: 'range-test',
    status: 'running',
    startedAt: input.startedAt,
    experiment: { path: input.path, sha256: input.sha256, label: input.label },
    environment: { backend: LOG_BACKEND, libraryVersion: input.format ?? 'unknown', runtime: 'external log', threads: 0, lrscopeVersion: input.lrscopeVersion },
    schedule: logRangeSpec(input.points),
    options: { log: input.source, beta: input.smoothedLoss ? 0 : DEFAULT_BETA, divergeFactor: DEFAULT_DIVERGE_FACTOR },
    points: logStepPoints(input.points),
    epochs: [],
  };
}

/**
 * Ends a log's record: its status and why, its LR span, and the analysis (suggestions and
 * recommendation) over every point, as for a range test LR Scope ran.
 */
export function closeLogRecord(record: RunRecord, status: Exclude<RunStatus, 'running'>, detail: string, endedAt: string, format: LogFormat | null = null): RunRecord {
  record.status = status;
  record.statusDetail = detail;
  record.endedAt = endedAt;
  record.schedule = logRangeSpec(record.points);
  if (format !== null) record.environment.libraryVersion = format;
  delete record.writer;
  const beta = typeof record.options.beta === 'number' ? record.options.beta : DEFAULT_BETA;
  attachRangeAnalysis(record, { beta, divergeFactor: DEFAULT_DIVERGE_FACTOR, requestedSteps: record.points.length });
  return record;
}

/** True when `record` is a log's (imported or watched). */
export function isLogRecord(record: Pick<RunRecord, 'environment'>): boolean {
  return record.environment.backend === LOG_BACKEND;
}
