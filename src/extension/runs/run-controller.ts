/**
 * The VS Code face of a run: progress notification (cancellable), status-bar item, log channel,
 * the live panel, the `lrScope.running` context key, and the messages at the end (with "Show Log"
 * on a crash). The logic of running lives in `RunManager`.
 */
import * as vscode from 'vscode';
import type { StartParams, StartedParams } from '../../protocol/engine';
import type { EpochPoint, RunRecord, StepPoint } from '../../core/runs/record';
import { formatLr } from '../../core/analysis/index';
import { snapshotFromRecord, type PanelState, type RunSnapshot } from '../../protocol/webview';
import type { ResultsPanel } from '../panel/results-panel';
import { scheduleDefaultsFor, type ScheduleContext } from '../panel/panel-source';
import { requestedSchedule } from '../../host/partial-record';
import { RunInProgressError, type RunManager, type RunOutcome } from '../../host/run-manager';
import type { TrainedScheduleArgs } from '../insertion/planning';
import { recordPathFor } from './record-file';

export interface RunControllerDeps {
  manager: RunManager;
  panel: ResultsPanel;
  log: vscode.LogOutputChannel;
  scheduleContext(resource?: vscode.Uri): ScheduleContext;
  /** A run ended, however: its record was written (the runs view and CodeLenses refresh at once, not on a file event). */
  onRecordWritten(): void;
}

/** The run shown live, with the host's own copy of its points (the panel keeps another). */
interface LiveRun {
  params: StartParams;
  label: string;
  id: string;
  started?: StartedParams;
  points: StepPoint[];
  epochs: EpochPoint[];
}

const UPDATE_INTERVAL_MS = 250;

export class RunController implements vscode.Disposable {
  private readonly statusItem: vscode.StatusBarItem;
  private live: LiveRun | undefined;

  constructor(private readonly deps: RunControllerDeps) {
    this.statusItem = vscode.window.createStatusBarItem('lrScope.run', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'LR Scope run';
    this.statusItem.command = 'lrScope.showResults';
  }

  get isRunning(): boolean {
    return this.deps.manager.isRunning;
  }

  /**
   * Runs `params` with live progress and returns how it ended; undefined when another run is
   * active (the user is offered to stop it instead).
   */
  async run(params: StartParams, label: string): Promise<RunOutcome | undefined> {
    const { manager, log } = this.deps;
    const live: LiveRun = { params, label, id: `pending-${Date.now()}`, points: [], epochs: [] };
    let outcome: Promise<RunOutcome>;
    const progressState = { report: (_text: string, _increment: number) => undefined as void };
    let lastUpdate = 0;
    let pendingIncrement = 0;
    const update = (force = false): void => {
      const now = Date.now();
      if (!force && now - lastUpdate < UPDATE_INTERVAL_MS) return;
      lastUpdate = now;
      const text = progressText(live);
      this.statusItem.text = `$(pulse) LR Scope ${text}`;
      progressState.report(text, pendingIncrement);
      pendingIncrement = 0;
    };
    try {
      outcome = manager.start(params, {
        started: (s) => {
          const provisional = live.id;
          live.started = s;
          live.id = s.runId;
          log.info(`${kindText(params)} ${s.runId} on ${s.backend.backend} (${s.backend.runtime}, ${s.backend.backend === 'pytorch' ? 'torch' : 'tfjs'} ${s.backend.libraryVersion}): ${s.totalSteps} steps; record ${s.recordPath}`);
          for (const note of s.notes) log.info(`  note: ${note}`);
          this.deps.panel.current?.updateRun(provisional, { id: s.runId, totalSteps: s.totalSteps, backend: s.backend.backend, schedule: s.schedule });
          this.deps.panel.remember({ kind: 'records', paths: [s.recordPath] });
          update(true);
        },
        point: (p) => {
          live.points.push(p);
          if (live.started) pendingIncrement += 100 / live.started.totalSteps;
          this.guard('streaming a point', () => this.deps.panel.current?.appendPoint(live.id, p));
          update();
        },
        epoch: (e) => {
          live.epochs.push(e);
          this.deps.panel.current?.appendEpoch(live.id, e);
          log.info(`epoch ${e.epoch}: loss ${e.loss}${e.valLoss !== undefined ? `, val loss ${e.valLoss}` : ''}`);
        },
        log: (l) => log[l.level](`engine: ${l.message}`),
        output: (text, stream) => {
          for (const line of text.split(/\r?\n/)) if (line.trim() !== '') (stream === 'stderr' ? log.warn : log.info).call(log, `[engine ${stream}] ${line}`);
        },
        stopping: () => {
          this.statusItem.text = '$(loading~spin) LR Scope stopping…';
          this.deps.panel.current?.setStatus(live.id, 'running', 'stopping after the current batch…');
        },
      });
    } catch (err) {
      if (err instanceof RunInProgressError) {
        await this.offerToStop(err);
        return undefined;
      }
      throw err;
    }
    this.live = live;
    void vscode.commands.executeCommand('setContext', 'lrScope.running', true);
    this.statusItem.text = '$(loading~spin) LR Scope starting…';
    this.statusItem.tooltip = `${kindText(params)} on ${params.experimentPath}: click to show the plot; "LR Scope: Stop Run" stops it.`;
    this.statusItem.show();
    this.guard('showing the run', () => this.showLive({ preserveFocus: true }));
    log.info(`${kindText(params)} requested: ${params.experimentPath} (backend ${params.backend})`);

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LR Scope: ${kindText(params)} on ${label}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop());
        progressState.report = (text, increment) => progress.report({ message: text, increment });
        return outcome;
      },
    );
    this.live = undefined;
    this.statusItem.hide();
    void vscode.commands.executeCommand('setContext', 'lrScope.running', false);
    this.guard('showing how the run ended', () => this.finish(live, result));
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
    const live = this.live;
    if (!live) return false;
    const snapshot: RunSnapshot = {
      id: live.id,
      kind: live.params.kind,
      label: live.label,
      status: 'running',
      schedule: live.started?.schedule ?? requestedSchedule(live.params),
      ...(live.started ? { totalSteps: live.started.totalSteps, backend: live.started.backend.backend } : {}),
      ...(live.params.kind === 'range-test' && live.params.options.divergeFactor !== undefined ? { divergeFactor: live.params.options.divergeFactor } : {}),
      points: [...live.points],
      epochs: [...live.epochs],
    };
    const state: PanelState =
      live.params.kind === 'train'
        ? { view: 'training', run: snapshot }
        : { view: 'range-test', run: snapshot, schedule: scheduleDefaultsFor(undefined, this.deps.scheduleContext(vscode.Uri.file(live.params.experimentPath))) };
    const source = live.started ? { kind: 'records' as const, paths: [live.started.recordPath] } : { kind: 'empty' as const };
    this.deps.panel.show(state, source, options);
    return true;
  }

  dispose(): void {
    this.statusItem.dispose();
  }

  private async offerToStop(err: RunInProgressError): Promise<void> {
    const stop = 'Stop Current Run';
    const show = 'Show Results';
    const choice = await vscode.window.showWarningMessage(`${err.message} LR Scope runs one experiment at a time.`, stop, show);
    if (choice === stop) this.stop();
    else if (choice === show) this.showLive();
  }

  private finish(live: LiveRun, outcome: RunOutcome): void {
    const { log, panel } = this.deps;
    this.guard('refreshing the runs', () => this.deps.onRecordWritten());
    const context = this.deps.scheduleContext(vscode.Uri.file(live.params.experimentPath));
    const showRecord = (record: RunRecord, path: string): void => {
      const run = snapshotFromRecord(record, live.label);
      const state: PanelState = record.kind === 'train' ? { view: 'training', run } : { view: 'range-test', run, schedule: scheduleDefaultsFor(record, context) };
      // Keep the user's panel where it is; only refresh it when it still shows this run.
      const current = panel.current?.state;
      const showsThisRun = current && (current.view === 'range-test' || current.view === 'training') && current.run.id === live.id;
      if (showsThisRun || !panel.current) panel.show(state, { kind: 'records', paths: [path] }, { preserveFocus: true });
    };
    switch (outcome.kind) {
      case 'finished': {
        const record = outcome.record;
        const path = live.started?.recordPath ?? recordPathFor(live.params.runsDir, record.id);
        showRecord(record, path);
        log.info(`${kindText(live.params)} ${record.id} ended: ${record.status}${record.statusDetail ? ` (${record.statusDetail})` : ''}`);
        void this.announce(record);
        return;
      }
      case 'failed': {
        panel.current?.setStatus(live.id, 'failed', outcome.message);
        log.error(`${kindText(live.params)} failed (${outcome.code}): ${outcome.message}`);
        void this.showFailure(outcome.message, outcome.code === 'experiment' ? live.params.experimentPath : undefined);
        return;
      }
      case 'crashed':
      case 'killed': {
        showRecord(outcome.record, outcome.recordPath);
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
export function progressText(live: { started?: StartedParams; points: readonly StepPoint[] }): string {
  const last = live.points[live.points.length - 1];
  const total = live.started?.totalSteps;
  const steps = `${live.points.length}${total ? `/${total}` : ''}`;
  return last ? `${steps} · lr ${formatLr(last.lr)} · loss ${fmt(last.loss)}` : steps;
}
