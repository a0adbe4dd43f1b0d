/**
 * Runs experiments in the engine child, one at a time (issue 4 §2, issue 3 §5). The VS Code UI
 * (progress, status bar, log channel, messages) sits in `run-ui.ts`; this class holds the logic and
 * is tested in plain node with a real child process and injected timers.
 *
 * Ending paths:
 * - the engine answers `start` with a record (completed, diverged or cancelled) → `finished`;
 * - the engine answers with an error (bad experiment, backend) → `failed`;
 * - the child exits before answering (crash, out of memory, non-zero exit) → `crashed`, and the
 *   host saves the points it received as a partial record (status `crashed`);
 * - a cancel is not honoured within the grace period → the child is killed → `killed`, partial
 *   record saved with status `cancelled`.
 */
import { ResponseError } from 'vscode-jsonrpc/lib/common/messages';
import { EngineErrorCode, type EngineErrorData, type LogParams, type StartedParams, type StartParams } from '../protocol/engine';
import type { EpochPoint, RunRecord, StepPoint } from '../core/runs/record';
import type { ChildExit, EngineChild, EngineLauncher, OutputStream } from './engine-process';
import { OutputTail } from './output-tail';
import { buildPartialRecord, newRunId } from './partial-record';
import { runRecordPath as recordPathFor } from '../engine/run-store';
import { LiveRun, type LiveRunEnd } from './live-run';

/** Everything the manager reaches outside itself. */
export interface RunManagerDeps {
  launch: EngineLauncher;
  /** Writes a record atomically (the host's own writes: partial records of dead engines). */
  saveRecord(path: string, record: RunRecord): Promise<void>;
  /** sha256 (hex) of the experiment file; '' when it cannot be read. */
  hashFile(path: string): Promise<string>;
  timers: Timers;
  /** How long a cancelled engine may take to answer before it is killed (ms). */
  cancelGraceMs: number;
  now(): Date;
  lrscopeVersion: string;
  /** Where an exception of a live run's subscriber goes (default: the console). */
  reportError?(err: unknown): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Live events of the current run (all optional); what the run is (points, status) is its `LiveRun` model. */
export interface RunListener {
  started?(params: StartedParams): void;
  point?(point: StepPoint): void;
  epoch?(epoch: EpochPoint): void;
  log?(line: LogParams): void;
  /** The child's stdout/stderr text as it comes. */
  output?(text: string, stream: OutputStream): void;
  /** A stop was requested (by `stop()`); the run is still winding down. */
  stopping?(): void;
}

export type EngineFailureCode = 'experiment' | 'backend' | 'internal';

export type RunOutcome =
  | { kind: 'finished'; record: RunRecord }
  | { kind: 'failed'; code: EngineFailureCode; message: string; recordPath?: string }
  | { kind: 'crashed'; message: string; exit: ChildExit; outputTail: string[]; record: RunRecord; recordPath: string; saveError?: string }
  | { kind: 'killed'; message: string; record: RunRecord; recordPath: string; saveError?: string };

/** Thrown by `start` while another run is active. */
export class RunInProgressError extends Error {
  constructor(readonly current: LiveRun) {
    super(`A ${current.params.kind === 'train' ? 'training run' : 'range test'} is already running (${current.params.experimentPath}).`);
    this.name = 'RunInProgressError';
  }
}

interface ActiveRun {
  params: StartParams & { runId: string };
  /** The one model of the run: its points, status and how it ended. */
  model: LiveRun;
  stopping: boolean;
  child: EngineChild;
  tail: OutputTail;
  killTimer?: unknown;
  killed: boolean;
  /** Killed because the extension is going away. */
  disposed: boolean;
  ended?: Promise<unknown>;
  listener: RunListener;
}

export class RunManager {
  private active: ActiveRun | undefined;
  private lastChild: EngineChild | undefined;

  constructor(private readonly deps: RunManagerDeps) {}

  /** The model of the active run (from `start` until its outcome is known), or undefined. */
  get current(): LiveRun | undefined {
    return this.active?.model;
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  /**
   * Starts a run in a new engine child and resolves when it has ended, however it ended (never
   * rejects for engine problems). Throws `RunInProgressError` at once while another run is active.
   */
  start(asked: StartParams, listener: RunListener = {}): Promise<RunOutcome> {
    if (this.active) throw new RunInProgressError(this.active.model);
    const startedAt = this.deps.now();
    // The host names the record, so it knows where it is even if the engine dies before saying.
    const params = { ...asked, runId: asked.runId ?? newRunId(asked.kind, startedAt) };
    const model = new LiveRun(params, startedAt, this.deps.reportError ?? ((err) => console.error('LR Scope: a live run subscriber failed:', err)));
    const tail = new OutputTail();
    const child = this.deps.launch((text, stream) => {
      tail.push(text);
      listener.output?.(text, stream);
    });
    this.lastChild = child;
    const run: ActiveRun = {
      params,
      model,
      stopping: false,
      child,
      tail,
      killed: false,
      disposed: false,
      listener,
    };
    this.active = run;
    const ended = this.drive(run, listener)
      .then(
        (outcome) => {
          model.markEnded(endOf(outcome, model.recordPath));
          return outcome;
        },
        (err: unknown) => {
          model.markEnded({ status: 'crashed', statusDetail: err instanceof Error ? err.message : String(err) });
          throw err;
        },
      )
      .finally(() => {
        if (run.killTimer !== undefined) this.deps.timers.clearTimeout(run.killTimer);
        if (this.active === run) this.active = undefined;
      });
    run.ended = ended.catch(() => undefined);
    return ended;
  }

  /**
   * Asks the active run to stop after its current batch; kills the engine if it has not answered
   * within the grace period. Returns false when nothing is running.
   */
  stop(reason = 'stopped by the user'): boolean {
    const run = this.active;
    if (!run) return false;
    if (run.stopping) return true;
    run.stopping = true;
    run.child.cancel(reason);
    run.model.markStopping();
    run.listener.stopping?.();
    run.killTimer = this.deps.timers.setTimeout(() => {
      if (this.active !== run) return;
      run.killed = true;
      run.child.kill();
    }, this.deps.cancelGraceMs);
    return true;
  }

  /**
   * Stops the active run at once (a second Ctrl-C): the engine is killed without a grace period and
   * the points received are saved as a cancelled partial run. Returns false when nothing is running.
   */
  stopNow(reason = 'stopped by the user'): boolean {
    const run = this.active;
    if (!run) return false;
    if (!run.stopping) {
      run.stopping = true;
      run.child.cancel(reason);
      run.model.markStopping();
      run.listener.stopping?.();
    }
    run.killed = true;
    run.child.kill();
    return true;
  }

  /**
   * Resolves once the last engine process has exited (it leaves by itself after answering); killed
   * if it has not within `graceMs`. For callers that must not leave a process behind (the CLI).
   */
  async settled(graceMs: number): Promise<void> {
    const child = this.lastChild;
    if (!child) return;
    let timer: unknown;
    const late = new Promise<void>((resolve) => {
      timer = this.deps.timers.setTimeout(() => {
        child.kill();
        resolve();
      }, graceMs);
    });
    await Promise.race([child.exited.then(() => undefined), late]);
    this.deps.timers.clearTimeout(timer);
    await child.exited;
  }

  /**
   * Kills the active engine at once (deactivation) and resolves when its partial record is saved.
   */
  async dispose(): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.stopping = true;
    run.killed = true;
    run.disposed = true;
    run.child.kill();
    await run.ended;
  }

  private async drive(run: ActiveRun, listener: RunListener): Promise<RunOutcome> {
    const response = run.child
      .start(run.params, {
        started: (p) => {
          run.model.markStarted(p);
          listener.started?.(p);
        },
        point: (p) => {
          run.model.addPoint(p);
          listener.point?.(p);
        },
        epoch: (e) => {
          run.model.addEpoch(e);
          listener.epoch?.(e);
        },
        log: (l) => listener.log?.(l),
      })
      .then(
        (record): Answer => ({ kind: 'record', record }),
        (error: unknown): Answer => ({ kind: 'error', error }),
      );
    const closed = run.child.closed.then((exit): Answer => ({ kind: 'exit', exit }));
    const first = await Promise.race([response, closed]);
    if (first.kind === 'exit') return this.endedWithoutAnswer(run, first.exit);
    // The engine answered: let it exit by itself (it leaves when the parent disconnects).
    run.child.disconnect();
    if (first.kind === 'record') return { kind: 'finished', record: first.record };
    const failure = engineFailure(first.error);
    if (failure) return { kind: 'failed', ...failure };
    // The connection broke (child gone) rather than the engine answering: judge by the exit.
    return this.endedWithoutAnswer(run, await run.child.closed);
  }

  private async endedWithoutAnswer(run: ActiveRun, exit: ChildExit): Promise<RunOutcome> {
    const outputTail = run.tail.lines();
    const killedAfterCancel = run.killed && run.stopping;
    const message = run.disposed
      ? 'VS Code closed (or reloaded) while the run was in progress; the engine was stopped.'
      : killedAfterCancel
      ? `The engine did not stop within ${Math.round(this.deps.cancelGraceMs / 1000)} s of the cancel request and was killed.`
      : crashMessage(exit, run.tail.sawOutOfMemory());
    const now = this.deps.now();
    const { model } = run;
    const record = buildPartialRecord({
      params: run.params,
      started: model.started,
      points: model.points,
      epochs: model.epochs,
      status: killedAfterCancel ? 'cancelled' : 'crashed',
      statusDetail: killedAfterCancel ? `cancelled; ${message}` : message,
      startedAt: model.startedAt,
      endedAt: now,
      experimentSha256: await this.deps.hashFile(run.params.experimentPath).catch(() => ''),
      fallbackId: run.params.runId,
      lrscopeVersion: this.deps.lrscopeVersion,
      notes: killedAfterCancel || outputTail.length === 0 ? [] : [`Engine output before it stopped:\n${outputTail.join('\n')}`],
    });
    const recordPath = model.started?.recordPath ?? recordPathFor(run.params.runsDir, record.id);
    let saveError: string | undefined;
    try {
      await this.deps.saveRecord(recordPath, record);
    } catch (err) {
      saveError = err instanceof Error ? err.message : String(err);
    }
    const saved = saveError === undefined ? {} : { saveError };
    return killedAfterCancel
      ? { kind: 'killed', message, record, recordPath, ...saved }
      : { kind: 'crashed', message, exit, outputTail, record, recordPath, ...saved };
  }
}

/** How the model of a run ends, from the run's outcome. */
function endOf(outcome: RunOutcome, recordPath: string): LiveRunEnd {
  switch (outcome.kind) {
    case 'finished': {
      const { record } = outcome;
      return { status: record.status === 'running' ? 'completed' : record.status, ...detail(record.statusDetail), record, recordPath };
    }
    case 'failed':
      return { status: 'failed', statusDetail: outcome.message, ...(outcome.recordPath ? { recordPath: outcome.recordPath } : {}) };
    case 'crashed':
    case 'killed':
      return { status: outcome.record.status === 'running' ? 'crashed' : outcome.record.status, ...detail(outcome.record.statusDetail), record: outcome.record, recordPath: outcome.recordPath };
  }
}

function detail(statusDetail: string | undefined): { statusDetail?: string } {
  return statusDetail === undefined ? {} : { statusDetail };
}

type Answer = { kind: 'record'; record: RunRecord } | { kind: 'error'; error: unknown } | { kind: 'exit'; exit: ChildExit };

/** The engine's own error answer, or undefined when the error is a broken connection. */
function engineFailure(error: unknown): { code: EngineFailureCode; message: string; recordPath?: string } | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const data = error.data as EngineErrorData | undefined;
  const recordPath = typeof data?.recordPath === 'string' ? { recordPath: data.recordPath } : {};
  switch (error.code) {
    case EngineErrorCode.experiment:
      return { code: 'experiment', message: error.message, ...recordPath };
    case EngineErrorCode.backend:
      return { code: 'backend', message: error.message, ...recordPath };
    case EngineErrorCode.internal:
      return { code: 'internal', message: error.message, ...recordPath };
    default:
      return undefined;
  }
}

/** One sentence on how the child died. */
export function crashMessage(exit: ChildExit, outOfMemory: boolean): string {
  if (outOfMemory) return 'The engine ran out of memory (try a smaller batch size or model).';
  if (exit.signal === 'SIGKILL') return 'The engine was killed (SIGKILL; the system may have run out of memory).';
  if (exit.signal) return `The engine stopped on signal ${exit.signal}.`;
  if (exit.code === null) return 'The engine could not be started.';
  if (exit.code === 0) return 'The engine exited (code 0) before finishing the run: does the experiment call process.exit()?';
  return `The engine exited with code ${exit.code} before finishing the run.`;
}
