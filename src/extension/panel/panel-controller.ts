/**
 * The host side of the results panel, without vscode: it owns the panel state, replays it when the
 * webview says `ready` and when the panel becomes visible again, streams points coalesced to
 * ≤ 10 updates/s, and routes validated webview messages to `PanelActions`. `results-panel.ts` wires
 * it to a real `WebviewPanel`.
 */
import { describeMessage, isWebviewMessage, type ExportFormat, type HostMessage, type PanelState, type RunSnapshot } from '../../protocol/webview';
import type { EpochPoint, RunStatus, StepPoint } from '../../core/runs/record';
import type { Framework, ScheduleSpec } from '../../codegen/types';
import { PointCoalescer, realScheduler, type Scheduler } from './coalescer';

/** What the panel can ask the rest of the extension to do. A returned notice is shown in the panel. */
export interface PanelActions {
  stop(runId: string): void;
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

/** Where host messages go (the webview's `postMessage`). */
export type PostMessage = (message: HostMessage) => void;

export class PanelController {
  private current: PanelState;
  private ready = false;
  private visible = true;
  private readonly coalescer: PointCoalescer;

  constructor(
    private readonly post: PostMessage,
    private readonly actions: PanelActions,
    initial: PanelState = { view: 'empty', message: 'No run yet.' },
    scheduler: Scheduler = realScheduler,
  ) {
    this.current = initial;
    this.coalescer = new PointCoalescer((batch) => this.send({ type: 'points', runId: batch.runId, points: batch.points }), scheduler);
  }

  /** The state the webview shows (or will show once it is ready). */
  get state(): PanelState {
    return this.current;
  }

  /** True when messages reach a loaded, visible webview. */
  get live(): boolean {
    return this.ready && this.visible;
  }

  /** Replaces the whole state and shows it. */
  show(state: PanelState): void {
    this.current = state;
    this.replay();
  }

  /** Appends a streamed point to run `runId` (ignored when the panel shows another run). */
  appendPoint(runId: string, point: StepPoint): void {
    const run = this.findRun(runId);
    if (!run) return;
    run.points.push(point);
    if (this.live) this.coalescer.push(runId, point);
  }

  appendEpoch(runId: string, epoch: EpochPoint): void {
    const run = this.findRun(runId);
    if (!run) return;
    run.epochs.push(epoch);
    this.coalescer.flush();
    this.send({ type: 'epoch', runId, epoch });
  }

  /** Updates a run's status (and total steps, once the engine knows them). */
  setStatus(runId: string, status: RunStatus, detail?: string): void {
    const run = this.findRun(runId);
    if (!run) return;
    run.status = status;
    if (detail === undefined) delete run.statusDetail;
    else run.statusDetail = detail;
    this.coalescer.flush();
    this.send({ type: 'status', runId, status, ...(detail === undefined ? {} : { detail }) });
  }

  /** A run shown under a provisional id gets its real one (the engine's) and fields it announced. */
  updateRun(runId: string, patch: Partial<Omit<RunSnapshot, 'points' | 'epochs'>>): void {
    const run = this.findRun(runId);
    if (!run) return;
    Object.assign(run, patch);
    this.replay();
  }

  notice(notice: Notice): void {
    this.send({ type: 'notice', ...notice });
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
        return this.answer(() => this.actions.insert(raw.spec, raw.framework));
      case 'copy':
        return this.answer(() => this.actions.copy(raw.spec, raw.framework));
      case 'export':
        return this.answer(() => this.actions.export(raw.format, raw.fileName, raw.data));
      default: {
        const never: never = raw;
        return never;
      }
    }
  }

  dispose(): void {
    this.coalescer.clear();
    this.ready = false;
  }

  private async answer(action: () => Promise<Notice | undefined>): Promise<void> {
    let notice: Notice | undefined;
    try {
      notice = await action();
    } catch (err) {
      notice = { level: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    if (notice) this.notice(notice);
  }

  private replay(): void {
    this.coalescer.clear(); // the state holds every point buffered so far
    this.send({ type: 'state', state: this.current });
  }

  private send(message: HostMessage): void {
    if (this.live) this.post(message);
  }

  private findRun(runId: string): RunSnapshot | undefined {
    const s = this.current;
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
