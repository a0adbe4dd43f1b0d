/**
 * The host side of the results panel, without vscode: it owns what the panel shows — a fixed state
 * (saved runs, a log, the schedule editor), or a live run's model, which it observes — replays it
 * when the webview says `ready` and when the panel becomes visible again, streams points at the
 * host's pace (≤ 10 updates/s), and routes validated webview messages to `PanelActions`, answering
 * each request with exactly one reply. `results-panel.ts` wires it to a real `WebviewPanel`.
 */
import { describeMessage, isWebviewMessage, requestIdOf, snapshotFromRecord, type HostMessage, type PanelState, type RequestMessage, type RunSnapshot, type ScheduleDefaults } from '../../protocol/webview';
import type { ExportFormat } from '../../protocol/webview';
import type { RunRecord, RunStatus, StepPoint } from '../../core/runs/record';
import type { Framework, ScheduleSpec } from '../../codegen/types';
import type { LiveRun, LiveRunChange } from '../../host/live-run';
import { requestedSchedule } from '../../host/partial-record';
import { PointCoalescer, realScheduler, type Scheduler } from './coalescer';

/** What the panel can ask the rest of the extension to do. A returned notice is the request's reply. */
export interface PanelActions {
  stop(runId: string): void;
  /** Undefined: nothing to say (the user cancelled a question on the way). */
  insert(spec: ScheduleSpec, framework: Framework): Promise<Notice | undefined>;
  copy(spec: ScheduleSpec, framework: Framework): Promise<Notice | undefined>;
  export(format: ExportFormat, fileName: string, data: string): Promise<Notice | undefined>;
  pick(runId: string, lr: number | null): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface Notice {
  level: 'info' | 'error';
  message: string;
}

/** How a live run reads in the panel: its name, and the schedule section's defaults (from its record once it has one). */
export interface LiveRunView {
  label: string;
  schedule(record: RunRecord | undefined): ScheduleDefaults;
}

/** Where host messages go (the webview's `postMessage`). */
export type PostMessage = (message: HostMessage) => void;

const STOPPING_DETAIL = 'stopping after the current batch…';

export class PanelController {
  private fixed: PanelState;
  private live: { run: LiveRun; view: LiveRunView; subscription: { dispose(): void } } | undefined;
  private ready = false;
  private visible = true;
  private readonly coalescer: PointCoalescer;

  constructor(
    private readonly post: PostMessage,
    private readonly actions: PanelActions,
    initial: PanelState = { view: 'empty', message: 'No run yet.' },
    scheduler: Scheduler = realScheduler,
  ) {
    this.fixed = initial;
    this.coalescer = new PointCoalescer((batch) => this.send({ type: 'points', runId: batch.runId, points: batch.points }), scheduler);
  }

  /** The state the webview shows (or will show once it is ready); a live run's is read from its model. */
  get state(): PanelState {
    return this.live ? liveState(this.live.run, this.live.view) : this.fixed;
  }

  /** The live run the panel observes, if it shows one. */
  get liveRun(): LiveRun | undefined {
    return this.live?.run;
  }

  /** True when messages reach a loaded, visible webview. */
  get isLive(): boolean {
    return this.ready && this.visible;
  }

  /** Replaces the whole state and shows it. */
  show(state: PanelState): void {
    this.unobserve();
    this.fixed = state;
    this.replay();
  }

  /** Shows a live run and follows its model until the panel shows something else. */
  showLive(run: LiveRun, view: LiveRunView): void {
    if (this.live?.run === run) {
      this.replay();
      return;
    }
    this.unobserve();
    const live: { run: LiveRun; view: LiveRunView; subscription: { dispose(): void } } = { run, view, subscription: { dispose: () => undefined } };
    this.live = live;
    // `current` comes at once and replays the state.
    live.subscription = run.subscribe((change) => this.follow(change));
  }

  /** Appends a streamed point to run `runId` of a fixed state (a watched log; ignored when the panel shows another run). */
  appendPoint(runId: string, point: StepPoint): void {
    const run = this.findRun(runId);
    if (!run) return;
    run.points.push(point);
    if (this.isLive) this.coalescer.push(runId, point);
  }

  /** Updates the status of run `runId` of a fixed state. */
  setStatus(runId: string, status: RunStatus, detail?: string): void {
    const run = this.findRun(runId);
    if (!run) return;
    run.status = status;
    if (detail === undefined) delete run.statusDetail;
    else run.statusDetail = detail;
    this.coalescer.flush();
    this.send({ type: 'status', runId, status, ...(detail === undefined ? {} : { detail }) });
  }

  /** The panel was hidden or shown again; showing replays the state (the webview may have reloaded). */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) this.replay();
    else this.coalescer.clear();
  }

  /** A message from the webview: validated, then handled. Invalid messages are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      this.actions.log('warn', `results panel: dropped an invalid message (${describeMessage(raw)})`);
      const requestId = requestIdOf(raw);
      if (requestId !== undefined) this.reply({ type: 'reply', requestId, ok: false, message: 'The panel sent a request LR Scope cannot read (see the LR Scope log); reopen the panel and try again.' });
      return;
    }
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.replay();
        return;
      case 'stop':
        this.actions.stop(raw.runId);
        return;
      case 'pick':
        this.actions.pick(raw.runId, raw.lr);
        return;
      case 'log':
        this.actions.log(raw.level, `webview: ${raw.message}`);
        return;
      case 'insert':
      case 'copy':
      case 'export':
        return this.answer(raw);
      default: {
        const never: never = raw;
        return never;
      }
    }
  }

  dispose(): void {
    this.unobserve();
    this.coalescer.clear();
    this.ready = false;
  }

  /** Runs the request's action and replies exactly once: its notice, or the error it threw. */
  private async answer(request: RequestMessage): Promise<void> {
    let notice: Notice | undefined;
    try {
      notice = await this.act(request);
    } catch (err) {
      notice = { level: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    const { requestId } = request;
    const reply: HostMessage =
      notice?.level === 'error' ? { type: 'reply', requestId, ok: false, message: notice.message } : { type: 'reply', requestId, ok: true, ...(notice ? { message: notice.message } : {}) };
    this.reply(reply);
  }

  /** A reply goes to a loaded webview even while it is hidden: the request waits for it. */
  private reply(reply: HostMessage & { type: 'reply' }): void {
    if (this.ready) this.post(reply);
  }

  private act(request: RequestMessage): Promise<Notice | undefined> {
    switch (request.type) {
      case 'insert':
        return this.actions.insert(request.spec, request.framework);
      case 'copy':
        return this.actions.copy(request.spec, request.framework);
      case 'export':
        return this.actions.export(request.format, request.fileName, request.data);
    }
  }

  /** A change of the live run's model, to the webview. */
  private follow(change: LiveRunChange): void {
    const live = this.live;
    if (!live) return;
    const { run } = live;
    switch (change.kind) {
      case 'current':
      case 'started':
        this.replay();
        return;
      case 'point':
        if (this.isLive) this.coalescer.push(run.id, change.point);
        return;
      case 'epoch':
        this.coalescer.flush();
        this.send({ type: 'epoch', runId: run.id, epoch: change.epoch });
        return;
      case 'stopping':
        this.coalescer.flush();
        this.send({ type: 'status', runId: run.id, status: 'running', detail: STOPPING_DETAIL });
        return;
      case 'ended':
        this.coalescer.flush();
        // With a record, the whole state as saved (analysis options, status detail); without one, how it failed.
        if (run.record) this.replay();
        else this.send({ type: 'status', runId: run.id, status: run.status, ...(run.statusDetail === undefined ? {} : { detail: run.statusDetail }) });
        return;
    }
  }

  private unobserve(): void {
    this.live?.subscription.dispose();
    this.live = undefined;
  }

  private replay(): void {
    this.coalescer.clear(); // the state holds every point buffered so far
    this.send({ type: 'state', state: this.state });
  }

  private send(message: HostMessage): void {
    if (this.isLive) this.post(message);
  }

  private findRun(runId: string): RunSnapshot | undefined {
    if (this.live) return undefined;
    const s = this.fixed;
    switch (s.view) {
      case 'range-test':
      case 'training':
        return s.run.id === runId ? s.run : undefined;
      case 'compare':
        return s.runs.find((r) => r.id === runId);
      case 'empty':
      case 'schedule':
        return undefined;
    }
  }
}

/** The panel state of a live run, read from its model (the record's once it has one). */
export function liveState(run: LiveRun, view: LiveRunView): PanelState {
  const record = run.record;
  const snapshot: RunSnapshot = record
    ? snapshotFromRecord(record, view.label)
    : {
        id: run.id,
        kind: run.params.kind,
        label: view.label,
        status: run.status,
        ...(run.statusDetail !== undefined ? { statusDetail: run.statusDetail } : run.stopping ? { statusDetail: STOPPING_DETAIL } : {}),
        schedule: run.started?.schedule ?? requestedSchedule(run.params),
        ...(run.started ? { totalSteps: run.started.totalSteps, backend: run.started.backend.backend } : {}),
        ...(run.params.kind === 'range-test' && run.params.options.divergeFactor !== undefined ? { divergeFactor: run.params.options.divergeFactor } : {}),
        points: [...run.points],
        epochs: [...run.epochs],
      };
  // The record's id is the engine's (the same as the model's for the real engine); the panel follows the model's.
  snapshot.id = run.id;
  return snapshot.kind === 'train' ? { view: 'training', run: snapshot } : { view: 'range-test', run: snapshot, schedule: view.schedule(record) };
}
