/**
 * The record of a run whose engine is gone (crashed, or killed after a cancel it did not honour):
 * built by the host from what it received — the `started` announcement and the streamed points.
 * Pure: the caller writes it (see `record-file.ts`).
 */
import type { StartParams, StartedParams } from '../protocol/engine';
import { RUN_RECORD_VERSION, type EpochPoint, type RunRecord, type RunStatus, type StepPoint } from '../core/runs/record';
import { RANGE_TEST_DEFAULTS, requestedRangeSpec } from '../core/runs/range-test-spec';
import { analyzeRangeTest } from '../core/analysis/index';
import { endedAs } from '../core/runs/range-analysis';

/** What the host knows about a run when its engine disappears. */
export interface PartialRunInput {
  params: StartParams;
  /** The engine's `started` notification, when it came. */
  started?: StartedParams;
  points: readonly StepPoint[];
  epochs: readonly EpochPoint[];
  status: Extract<RunStatus, 'crashed' | 'cancelled' | 'failed'>;
  statusDetail: string;
  startedAt: Date;
  endedAt: Date;
  /** sha256 of the experiment file, hex ('' when it could not be read). */
  experimentSha256: string;
  /** Id to use when the engine never announced one. */
  fallbackId: string;
  lrscopeVersion: string;
  /** Extra notes (e.g. the stderr tail). */
  notes?: string[];
}

/** The schedule a run was asked to follow, as far as the host can tell without the engine. */
export function requestedSchedule(params: StartParams): RunRecord['schedule'] {
  return params.kind === 'range-test' ? requestedRangeSpec(params.options) : params.options.schedule;
}

/**
 * Builds a valid run record from what the host received. Without a `started` announcement the
 * environment is the one requested (`auto` reads as `wasm`, the default backend) and a note says so.
 */
export function buildPartialRecord(input: PartialRunInput): RunRecord {
  const { params, started } = input;
  const notes = [...(started?.notes ?? []), ...(input.notes ?? [])];
  if (!started) notes.unshift('The engine stopped before it reported its environment; the backend shown is the one requested.');
  const environment: RunRecord['environment'] = started?.backend ?? {
    backend: /\.py$/i.test(params.experimentPath) ? 'pytorch' : params.backend === 'auto' ? 'wasm' : params.backend,
    libraryVersion: 'unknown',
    runtime: 'unknown',
    threads: 1,
    lrscopeVersion: input.lrscopeVersion,
  };
  return {
    version: RUN_RECORD_VERSION,
    id: started?.runId ?? input.fallbackId,
    kind: params.kind,
    status: input.status,
    statusDetail: input.statusDetail,
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    experiment: { path: params.experimentPath, sha256: input.experimentSha256 },
    environment,
    schedule: started?.schedule ?? requestedSchedule(params),
    options: { ...params.options },
    points: [...input.points],
    epochs: [...input.epochs],
    ...(params.kind === 'range-test' ? analysisFields(input.points, params, input.status) : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** The core's reading of the points a range test got to (flagged `incomplete` by the analysis). */
function analysisFields(points: readonly StepPoint[], params: Extract<StartParams, { kind: 'range-test' }>, status: RunStatus): Pick<RunRecord, 'suggestions' | 'recommendation'> {
  if (points.length === 0) return {};
  const ended = endedAs(status);
  const analysis = analyzeRangeTest(
    points.map((p) => ({ lr: p.lr, loss: typeof p.loss === 'number' ? p.loss : Number.NaN })),
    {
      ...(params.options.beta !== undefined ? { beta: params.options.beta } : {}),
      ...(params.options.divergeFactor !== undefined ? { divergeFactor: params.options.divergeFactor } : {}),
      requestedSteps: params.options.steps ?? RANGE_TEST_DEFAULTS.steps,
      ...(ended ? { ended } : {}),
    },
  );
  const r = analysis.recommendation;
  return {
    suggestions: analysis.suggestions,
    recommendation: { method: r.method, lr: r.lr, spreadDecades: r.spreadDecades, flags: r.flags, message: r.message },
  };
}

/**
 * A run id in the engine's format (`src/engine/run-store.ts`), sortable by time:
 * `20261128-181502-123-range-test-3f9a`.
 */
export function newRunId(kind: StartParams['kind'], at: Date, random: () => number = Math.random): string {
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
  const tail = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${stamp}-${kind}-${tail}`;
}
