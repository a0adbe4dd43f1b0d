/**
 * The webview app: holds the state the host replays, applies its incremental messages, and
 * renders one view for it, at most 10 times a second however fast the messages come.
 */
import type { HostMessage, PanelState, ReplyMessage, RequestBody, RunSnapshot, WebviewMessage } from '../src/protocol/webview';
import { h, setText, show } from './dom';
import { exportFileName } from './export-data';
import type { HostConnection } from './host';
import { readPalette, watchTheme, type Palette } from './theme';
import { RenderThrottle } from './throttle';
import { PendingRequests } from './requests';
import { lastRender, timePhase } from './profile';
import { parseUiState, type UiState } from './ui-state';
import { CompareView } from './views/compare-view';
import type { View, ViewContext } from './views/context';
import { RangeTestView } from './views/range-test-view';
import { EmptyView, ScheduleView } from './views/simple-views';
import { TrainingView } from './views/training-view';

/** Identity of a state's view: a new one is built only when this changes. */
function viewKey(state: PanelState): string {
  switch (state.view) {
    case 'empty':
    case 'schedule':
      return state.view;
    case 'range-test':
    case 'training':
      return `${state.view}:${state.run.id}`;
    case 'compare':
      return `compare:${state.runs.map((r) => r.id).join(',')}`;
  }
}

function runsOf(state: PanelState | null): RunSnapshot[] {
  if (!state) return [];
  switch (state.view) {
    case 'range-test':
    case 'training':
      return [state.run];
    case 'compare':
      return state.runs;
    case 'empty':
    case 'schedule':
      return [];
  }
}

export class App {
  private state: PanelState | null = null;
  private view: View | null = null;
  private key = '';
  private palette: Palette;
  private readonly ui: UiState;
  private readonly throttle: RenderThrottle;
  private readonly notice: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly container: HTMLElement;
  private readonly ctx: ViewContext;
  private readonly requests: PendingRequests;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    this.ui = parseUiState(host.getUiState());
    this.palette = readPalette();
    this.throttle = new RenderThrottle(() => this.render());
    this.requests = new PendingRequests(
      (m) => host.post(m),
      (text) => this.report('warn', text),
    );
    this.ctx = {
      ui: this.ui,
      palette: () => this.palette,
      saveUi: () => host.setUiState(this.ui),
      post: (m: WebviewMessage) => host.post(m),
      request: (body: RequestBody) => this.request(body),
      requestRender: () => this.throttle.request(),
    };
    this.notice = h('p', { class: 'notice', id: 'notice', role: 'status' });
    show(this.notice, false);
    const button = (id: string, text: string, title: string, run: () => void) =>
      h('button', { id, class: 'secondary', text, title, on: { click: () => this.guard(run) } });
    this.toolbar = h(
      'div',
      { class: 'row toolbar', role: 'toolbar', attrs: { 'aria-label': 'Export' } },
      h('span', { class: 'note', text: 'Export' }),
      button('export-png', 'PNG', 'Save the chart as a PNG image', () => this.export('png')),
      button('export-csv', 'CSV', 'Save the data as CSV', () => this.export('csv')),
      button('export-json', 'JSON', 'Save the data and the analysis as JSON', () => this.export('json')),
    );
    show(this.toolbar, false);
    this.container = h('div', { id: 'view' });
    root.replaceChildren(this.notice, this.container, this.toolbar);
    watchTheme(() => {
      this.palette = readPalette();
      this.view?.setPalette(this.palette);
      this.throttle.request();
    });
  }

  /** Tells the host we are ready for the state. */
  start(): void {
    this.host.post({ type: 'ready' });
  }

  /** Applies one validated host message. */
  handle(message: HostMessage): void {
    switch (message.type) {
      case 'state':
        this.state = message.state;
        break;
      case 'points': {
        const run = this.findRun(message.runId);
        if (run) for (const p of message.points) run.points.push(p);
        break;
      }
      case 'epoch': {
        const run = this.findRun(message.runId);
        if (run) {
          const at = run.epochs.findIndex((e) => e.epoch === message.epoch.epoch);
          if (at >= 0) run.epochs[at] = message.epoch;
          else run.epochs.push(message.epoch);
        }
        break;
      }
      case 'status': {
        const run = this.findRun(message.runId);
        if (run) {
          run.status = message.status;
          if (message.detail !== undefined) run.statusDetail = message.detail;
        }
        break;
      }
      case 'reply':
        this.requests.settle(message);
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
    this.throttle.request();
  }

  /** Renders now if a render is pending (export, tests). */
  flush(): void {
    this.throttle.flush();
  }

  get renderCount(): number {
    return this.throttle.renderCount;
  }

  get currentView(): View | null {
    return this.view;
  }

  private findRun(runId: string): RunSnapshot | undefined {
    const run = runsOf(this.state).find((r) => r.id === runId);
    if (!run) this.report('warn', `message for unknown run ${runId.slice(0, 60)} ignored`);
    return run;
  }

  private render(): void {
    this.guard(() => {
      const state = this.state;
      if (!state) return;
      const key = viewKey(state);
      if (key !== this.key || !this.view) {
        const t0 = performance.now();
        this.view?.dispose();
        this.view = this.createView(state);
        this.key = key;
        this.container.replaceChildren(this.view.root);
        this.root.dataset.view = state.view;
        // chart.js measured detached canvases as 0×0; size them now that they are in the page.
        for (const chart of Object.values(this.view.charts())) chart.chart.resize();
        lastRender.build = performance.now() - t0;
      } else {
        lastRender.build = 0;
      }
      show(this.toolbar, state.view !== 'empty');
      const view = this.view;
      timePhase('update', () => view.update());
    });
  }

  private createView(state: PanelState): View {
    // Views read the state through getters, so a replayed `state` with the same runs updates in place.
    switch (state.view) {
      case 'empty':
        return new EmptyView(() => (this.state?.view === 'empty' ? this.state.message : ''));
      case 'range-test':
        return new RangeTestView(this.ctx, () => (this.state as typeof state).run, () => (this.state as typeof state).schedule);
      case 'training':
        return new TrainingView(this.ctx, () => (this.state as typeof state).run);
      case 'compare':
        return new CompareView(this.ctx, () => (this.state as typeof state).runs, () => (this.state as typeof state).title);
      case 'schedule':
        return new ScheduleView(this.ctx, () => (this.state as typeof state).maxLr, () => (this.state as typeof state).schedule);
    }
  }

  private export(format: 'png' | 'csv' | 'json'): void {
    this.flush();
    const exp = this.view?.exports();
    if (!exp) return;
    switch (format) {
      case 'png':
        if (exp.chart) void this.request({ type: 'export', format, fileName: exportFileName(exp.label, 'chart', 'png'), data: exp.chart.toPng() });
        return;
      case 'csv':
        void this.request({ type: 'export', format, fileName: exportFileName(exp.label, 'data', 'csv'), data: exp.csv() });
        return;
      case 'json':
        void this.request({ type: 'export', format, fileName: exportFileName(exp.label, 'data', 'json'), data: exp.json() });
        return;
    }
  }

  /** Sends a request; its reply shows in the notice line (nothing when the user cancelled on the way). */
  private request(body: RequestBody): Promise<ReplyMessage> {
    const reply = this.requests.send(body);
    void reply.then((r) => {
      if (r.message === undefined) return;
      setText(this.notice, r.message);
      this.notice.className = `notice notice--${r.ok ? 'info' : 'error'}`;
      show(this.notice, true);
    });
    return reply;
  }

  /** Requests of a type still waiting for their reply (tests). */
  pendingRequests(type: 'insert' | 'copy' | 'export'): number {
    return this.requests.pendingOf(type);
  }

  private report(level: 'warn' | 'error', message: string): void {
    this.host.post({ type: 'log', level, message });
  }

  /** Runs `f`; an exception is reported to the host and shown, never thrown into the page. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      const message = e instanceof Error ? `${e.message}` : String(e);
      this.report('error', `webview: ${message}`);
      setText(this.notice, `Something went wrong in the panel: ${message}`);
      this.notice.className = 'notice notice--error';
      show(this.notice, true);
    }
  }
}
