/**
 * One live run, observed: its id (the host names the run before the engine starts, so the id is
 * final from the first moment), what the engine announced, the points and epochs as they stream, the
 * status and how it ended, and the recommendation — provisional while a range test streams, the
 * record's once it ended. The run manager is its only writer; the status bar, the progress
 * notification, the panel and the runs view subscribe, and none of them keeps a copy of the points.
 *
 * A subscriber is called once at once with `current` (a late subscriber starts from the state as it
 * is), then with every change in order, after the model has taken it. Plain TypeScript: the CLI can
 * observe it as well.
 */
import type { StartParams, StartedParams } from '../protocol/engine';
import type { EpochPoint, RunRecord, RunStatus, StepPoint } from '../core/runs/record';
import { createRangeAnalyzer, type RangeAnalyzer } from '../core/analysis/index';
import { runRecordPath } from '../engine/run-store';

export type LiveRunChange =
  /** Delivered once to each new subscriber: read the model as it is now. */
  | { kind: 'current' }
  /** The engine announced the run (total steps, backend, schedule, record path). */
  | { kind: 'started' }
  | { kind: 'point'; point: StepPoint }
  | { kind: 'epoch'; epoch: EpochPoint }
  /** A stop was asked for; the run winds down after its batch. */
  | { kind: 'stopping' }
  /** The run ended: `status`, `statusDetail` and (unless the engine failed before writing one) `record` are final. */
  | { kind: 'ended' };

export type LiveRunPhase = 'starting' | 'running' | 'stopping' | 'ended';

export type LiveRunListener = (change: LiveRunChange, run: LiveRun) => void;

/** The recommendation as far as the run has got: `final` once the run's record gave it. */
export interface LiveRecommendation {
  lr: number | null;
  message: string;
  final: boolean;
}

/** How a run ended, as the run manager learnt it. */
export interface LiveRunEnd {
  status: Exclude<RunStatus, 'running'>;
  statusDetail?: string;
  /** The run's record (the engine's, or the partial one the host saved). */
  record?: RunRecord;
  recordPath?: string;
}

export class LiveRun {
  readonly id: string;
  private startedParams: StartedParams | undefined;
  private readonly stepPoints: StepPoint[] = [];
  private readonly epochPoints: EpochPoint[] = [];
  private currentPhase: LiveRunPhase = 'starting';
  private end: LiveRunEnd | undefined;
  private readonly analyzer: RangeAnalyzer | undefined;
  private readonly listeners = new Set<LiveRunListener>();

  /**
   * @param params the start parameters, with the run's id.
   * @param reportError where a subscriber's exception goes (it never reaches the writer or the other subscribers).
   */
  constructor(
    readonly params: StartParams & { runId: string },
    readonly startedAt: Date,
    private readonly reportError: (err: unknown) => void,
  ) {
    this.id = params.runId;
    this.analyzer =
      params.kind === 'range-test' ? createRangeAnalyzer(params.options.divergeFactor === undefined ? {} : { divergeFactor: params.options.divergeFactor }) : undefined;
  }

  get phase(): LiveRunPhase {
    return this.currentPhase;
  }

  /** `running` until the run ended, then how it ended. */
  get status(): RunStatus {
    return this.end?.status ?? 'running';
  }

  get statusDetail(): string | undefined {
    return this.end?.statusDetail;
  }

  /** True while a stop is winding the run down. */
  get stopping(): boolean {
    return this.currentPhase === 'stopping';
  }

  /** The engine's announcement, once it came. */
  get started(): StartedParams | undefined {
    return this.startedParams;
  }

  /** Planned optimizer steps, once the engine said. */
  get totalSteps(): number | undefined {
    return this.startedParams?.totalSteps;
  }

  /** Where the record is (it grows on disk as the run goes): the host names it before the engine starts. */
  get recordPath(): string {
    return this.end?.recordPath ?? this.startedParams?.recordPath ?? runRecordPath(this.params.runsDir, this.id);
  }

  /** The points so far, in step order (read-only: the model's own list). */
  get points(): readonly StepPoint[] {
    return this.stepPoints;
  }

  get epochs(): readonly EpochPoint[] {
    return this.epochPoints;
  }

  get pointCount(): number {
    return this.stepPoints.length;
  }

  get lastPoint(): StepPoint | undefined {
    return this.stepPoints[this.stepPoints.length - 1];
  }

  /** The record the run ended with (undefined while it runs, or when the engine failed before writing one). */
  get record(): RunRecord | undefined {
    return this.end?.record;
  }

  /**
   * A range test's recommendation: the record's once it ended, else the analysis of the points so
   * far (computed when asked, at a cost per new point). Undefined for training runs.
   */
  get recommendation(): LiveRecommendation | undefined {
    const saved = this.end?.record?.recommendation;
    if (saved) return { lr: saved.lr, message: saved.message, final: true };
    if (!this.analyzer || this.analyzer.count === 0) return undefined;
    const r = this.analyzer.analysis(this.totalSteps).recommendation;
    return { lr: r.lr, message: r.summary, final: false };
  }

  /** Calls `listener` with `current` now, then with every change; dispose to stop. */
  subscribe(listener: LiveRunListener): { dispose(): void } {
    // An ended run changes no more: its subscriber gets the final state and nothing after.
    if (this.currentPhase !== 'ended') this.listeners.add(listener);
    this.call(listener, { kind: 'current' });
    return { dispose: () => void this.listeners.delete(listener) };
  }

  // ---------------------------------------------------------------------------------------------
  // Written by the run manager only.

  markStarted(started: StartedParams): void {
    if (this.currentPhase === 'ended') return;
    this.startedParams = started;
    if (this.currentPhase === 'starting') this.currentPhase = 'running';
    this.emit({ kind: 'started' });
  }

  addPoint(point: StepPoint): void {
    if (this.currentPhase === 'ended') return;
    this.stepPoints.push(point);
    this.analyzer?.add(point.lr, typeof point.loss === 'number' ? point.loss : Number.NaN);
    this.emit({ kind: 'point', point });
  }

  addEpoch(epoch: EpochPoint): void {
    if (this.currentPhase === 'ended') return;
    const at = this.epochPoints.findIndex((e) => e.epoch === epoch.epoch);
    if (at >= 0) this.epochPoints[at] = epoch;
    else this.epochPoints.push(epoch);
    this.emit({ kind: 'epoch', epoch });
  }

  markStopping(): void {
    if (this.currentPhase === 'ended' || this.currentPhase === 'stopping') return;
    this.currentPhase = 'stopping';
    this.emit({ kind: 'stopping' });
  }

  /** The run ended; the model keeps its points (a stopped or crashed run's partial curve). Once only. */
  markEnded(end: LiveRunEnd): void {
    if (this.currentPhase === 'ended') return;
    this.end = end;
    this.currentPhase = 'ended';
    this.emit({ kind: 'ended' });
    this.listeners.clear();
  }

  private emit(change: LiveRunChange): void {
    for (const listener of [...this.listeners]) this.call(listener, change);
  }

  private call(listener: LiveRunListener, change: LiveRunChange): void {
    try {
      listener(change, this);
    } catch (err) {
      this.reportError(err);
    }
  }
}
