/**
 * The VS Code face of a run: progress notification (cancellable), status-bar item, log channel,
 * the live panel, the `lrScope.running` context key, and the messages at the end (with "Show Log"
 * on a crash). The logic of running lives in `RunManager`.
 */
import * as vscode from 'vscode';
import type { StartParams } from '../../protocol/engine';
import type { RunRecord } from '../../core/runs/record';
import { formatLr } from '../../core/analysis/index';
import type { LiveRun } from '../../host/live-run';
import type { ResultsPanel } from '../panel/results-panel';
import type { LiveRunView } from '../panel/panel-controller';
import { scheduleDefaultsFor, type ScheduleContext } from '../panel/panel-source';
import { RunInProgressError, type RunManager, type RunOutcome } from '../../host/run-manager';
import type { TrainedScheduleArgs } from '../insertion/planning';
import { Pace } from '../pace';

export interface RunControllerDeps {
  manager: RunManager;
  panel: ResultsPanel;
  log: vscode.LogOutputChannel;
  scheduleContext(resource?: vscode.Uri): ScheduleContext;
  /** A run ended, however: its record was written (the runs view and CodeLenses refresh at once, not on a file event). */
  onRecordWritten(): void;
}

/** The run going now: its model, and how it reads in the panel. */
interface CurrentRun {
  model: LiveRun;
  view: LiveRunView;
}

export class RunController implements vscode.Disposable {
  private readonly statusItem: vscode.StatusBarItem;
  private current: CurrentRun | undefined;
  private readonly started = new vscode.EventEmitter<LiveRun>();
  /** A run started: its model, for views that follow it (the runs view). */
  readonly onDidStartRun = this.started.event;

  constructor(private readonly deps: RunControllerDeps) {
    this.statusItem = vscode.window.createStatusBarItem('lrScope.run', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'LR Scope run';
    this.statusItem.command = 'lrScope.showResults';
  }

  get isRunning(): boolean {
    return this.deps.manager.isRunning;
  }

  /** The model of the run going now, if any. */
  get live(): LiveRun | undefined {
    return this.current?.model;
  }

  /**
   * Runs `params` with live progress and returns how it ended; undefined when another run is
   * active (the user is offered to stop it instead). The status bar, the progress notification and
   * the panel all follow the run's one model, at the same pace. `announce: false` (a sweep's member)
   * leaves out the closing notification of a finished run.
   */
  async run(params: StartParams, label: string, options: { announce?: boolean } = {}): Promise<RunOutcome | undefined> {
    const { manager, log } = this.deps;
    let outcome: Promise<RunOutcome>;
    try {
      outcome = manager.start(params, {
        log: (l) => log[l.level](`engine: ${l.message}`),
        output: (text, stream) => {
          for (const line of text.split(/\r?\n/)) if (line.trim() !== '') (stream === 'stderr' ? log.warn : log.info).call(log, `[engine ${stream}] ${line}`);
        },
      });
    } catch (err) {
      if (err instanceof RunInProgressError) {
        await this.offerToStop(err);
        return undefined;
      }
      throw err;
    }
    const model = manager.current;
    if (!model) throw new Error('the run manager started a run without a model');
    const current: CurrentRun = {
      model,
      view: { label, schedule: (record) => scheduleDefaultsFor(record, this.deps.scheduleContext(vscode.Uri.file(params.experimentPath))) },
    };
    this.current = current;
    this.guard('following the run', () => this.started.fire(model));
    void vscode.commands.executeCommand('setContext', 'lrScope.running', true);
    this.statusItem.tooltip = `${kindText(params)} on ${params.experimentPath}: click to show the plot; "LR Scope: Stop Run" stops it.`;
    this.statusItem.show();
    this.guard('showing the run', () => this.showLive({ preserveFocus: true }));
    log.info(`${kindText(params)} requested: ${params.experimentPath} (backend ${params.backend})`);

    // The status bar and the notification, at the pace the panel gets its points.
    let report = (_text: string, _increment: number): void => undefined;
    let reportedPercent = 0;
    const update = (): void => {
      const text = progressText(model);
      this.statusItem.text = model.stopping ? '$(loading~spin) LR Scope stopping…' : model.phase === 'starting' ? '$(loading~spin) LR Scope starting…' : `$(pulse) LR Scope ${text}`;
      const total = model.totalSteps;
      const percent = total ? Math.min(100, (100 * model.pointCount) / total) : 0;
      report(model.stopping ? 'stopping after the current batch…' : text, percent - reportedPercent);
      reportedPercent = percent;
    };
    const pace = new Pace(() => this.guard('showing progress', update));
    const subscription = model.subscribe((change) => {
      switch (change.kind) {
        case 'current':
        case 'stopping':
          pace.runNow();
          return;
        case 'started': {
          const s = model.started!;
          log.info(`${kindText(params)} ${s.runId} on ${s.backend.backend} (${s.backend.runtime}, ${s.backend.backend === 'pytorch' ? 'torch' : 'tfjs'} ${s.backend.libraryVersion}): ${s.totalSteps} steps; record ${s.recordPath}`);
          for (const note of s.notes) log.info(`  note: ${note}`);
          pace.runNow();
          return;
        }
        case 'point':
          pace.request();
          return;
        case 'epoch':
          log.info(`epoch ${change.epoch.epoch}: loss ${change.epoch.loss}${change.epoch.valLoss !== undefined ? `, val loss ${change.epoch.valLoss}` : ''}`);
          return;
        case 'ended':
          pace.clear();
          return;
      }
    });

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LR Scope: ${kindText(params)} on ${label}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop());
        report = (text, increment) => progress.report({ message: text, increment });
        update();
        return outcome;
      },
    );
    subscription.dispose();
    pace.clear();
    this.current = undefined;
    this.statusItem.hide();
    void vscode.commands.executeCommand('setContext', 'lrScope.running', false);
    this.guard('showing how the run ended', () => this.finish(current, result, options.announce ?? true));
    return result;
  }

  /** Runs a UI step whose failure must not stop the run's own bookkeeping; logs it instead. */
  private guard(what: string, step: () => unknown): void {
    try {
      step();
    } catch (err) {
      this.deps.log.error(`${what}: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
    }
  }

  /** Stops the active run (after its batch; killed after the grace period). */
  stop(): boolean {
    return this.deps.manager.stop();
  }

  /** Shows the live run in the panel again (e.g. "Show Results" after closing the panel). */
  showLive(options: { preserveFocus?: boolean } = {}): boolean {
    const current = this.current;
    if (!current) return false;
    this.deps.panel.showLive(current.model, current.view, options);
    return true;
  }

  dispose(): void {
    this.started.dispose();
    this.statusItem.dispose();
  }

  private async offerToStop(err: RunInProgressError): Promise<void> {
    const stop = 'Stop Current Run';
    const show = 'Show Results';
    const choice = await vscode.window.showWarningMessage(`${err.message} LR Scope runs one experiment at a time.`, stop, show);
    if (choice === stop) this.stop();
    else if (choice === show) this.showLive();
  }

  private finish(current: CurrentRun, outcome: RunOutcome, announce: boolean): void {
    const { log, panel } = this.deps;
    const { model } = current;
    this.guard('refreshing the runs', () => this.deps.onRecordWritten());
    // A panel that shows this run followed its model to the end; a closed one opens on the result.
    if (!panel.current && model.record) panel.showLive(model, current.view, { preserveFocus: true });
    switch (outcome.kind) {
      case 'finished': {
        const record = outcome.record;
        log.info(`${kindText(model.params)} ${record.id} ended: ${record.status}${record.statusDetail ? ` (${record.statusDetail})` : ''}`);
        if (announce) void this.announce(record);
        return;
      }
      case 'failed': {
        log.error(`${kindText(model.params)} failed (${outcome.code}): ${outcome.message}`);
        void this.showFailure(outcome.message, outcome.code === 'experiment' ? model.params.experimentPath : undefined);
        return;
      }
      case 'crashed':
      case 'killed': {
        const saved = outcome.saveError
          ? `The partial run could not be saved: ${outcome.saveError}`
          : `The ${outcome.record.points.length} steps received were saved as a partial run.`;
        if (outcome.kind === 'crashed') {
          log.error(`${outcome.message} Last engine output:\n${outcome.outputTail.join('\n')}`);
          const tail = outcome.outputTail.slice(-3).join(' ⏎ ');
          void this.showFailure(`${outcome.message} ${saved}${tail ? ` Engine output: ${tail}` : ''}`);
        } else {
          log.warn(outcome.message);
          void vscode.window.showWarningMessage(`LR Scope: ${outcome.message} ${saved}`);
        }
        return;
      }
    }
  }

  private async announce(record: RunRecord): Promise<void> {
    if (record.kind === 'range-test' && (record.status === 'completed' || record.status === 'diverged')) {
      const lr = record.recommendation?.lr;
      if (typeof lr === 'number') {
        const insert = 'Insert Schedule…';
        const train = 'Train One-Cycle';
        // PyTorch scripts train themselves: the schedule goes into the script (Insert).
        const actions = record.environment.backend === 'pytorch' ? [insert] : [insert, train];
        const choice = await vscode.window.showInformationMessage(`LR Scope: ${record.recommendation?.message ?? `suggested max LR ${formatLr(lr)}.`}`, ...actions);
        if (choice === insert) await vscode.commands.executeCommand('lrScope.insertSchedule');
        else if (choice === train) await vscode.commands.executeCommand('lrScope.train', vscode.Uri.file(record.experiment.path));
      } else {
        await vscode.window.showWarningMessage(`LR Scope: no learning rate to suggest. ${record.recommendation?.message ?? ''}`.trim());
      }
      return;
    }
    if (record.status === 'cancelled') {
      await vscode.window.showInformationMessage(`LR Scope: stopped after ${record.points.length} steps; the partial run is saved.`);
      return;
    }
    if (record.kind === 'train') {
      const last = record.epochs[record.epochs.length - 1];
      const lastPoint = record.points[record.points.length - 1];
      const figures = last
        ? `: ${record.epochs.length} epochs, loss ${fmt(last.loss)}${last.valLoss !== undefined ? `, val loss ${fmt(last.valLoss)}` : ''}`
        : lastPoint
          ? `: ${record.points.length} steps, last loss ${fmt(lastPoint.loss)}`
          : '';
      // The schedule it trained with goes into the code: a script's own file, else the editor the user picks.
      const insert = 'Insert This Schedule';
      const choice = await vscode.window.showInformationMessage(`LR Scope: training ${record.status}${figures}.`, ...(record.status === 'completed' ? [insert] : []));
      if (choice === insert) {
        const args: TrainedScheduleArgs = {
          kind: 'lrScope.trainedSchedule',
          spec: record.schedule,
          runId: record.id,
          ...(record.environment.backend === 'pytorch' ? { uri: record.experiment.path } : {}),
        };
        await vscode.commands.executeCommand('lrScope.insertSchedule', args);
      }
    }
  }

  private async showFailure(message: string, experimentPath?: string): Promise<void> {
    const showLog = 'Show Log';
    const open = experimentPath?.endsWith('.py') ? 'Open Script' : 'Open Experiment';
    const choice = await vscode.window.showErrorMessage(`LR Scope: ${message}`, ...(experimentPath ? [open, showLog] : [showLog]));
    if (choice === showLog) this.deps.log.show(true);
    else if (choice === open && experimentPath) await vscode.window.showTextDocument(vscode.Uri.file(experimentPath));
  }
}

function kindText(params: StartParams): string {
  return params.kind === 'train' ? 'training' : 'range test';
}

function fmt(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(3) : '—';
}

/** "12/100 · lr 1.2e-3 · loss 0.531" */
export function progressText(run: Pick<LiveRun, 'pointCount' | 'lastPoint' | 'totalSteps'>): string {
  const last = run.lastPoint;
  const total = run.totalSteps;
  const steps = `${run.pointCount}${total ? `/${total}` : ''}`;
  return last ? `${steps} · lr ${formatLr(last.lr)} · loss ${fmt(last.loss)}` : steps;
}
