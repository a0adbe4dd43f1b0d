/**
 * "Import LR Log…" and "Watch LR Log…" (J7): a CSV/JSONL/JSON log of lr/loss from any framework,
 * parsed by the core and saved as a run record (backend `log`), so it is listed in the Runs view,
 * reopened and compared like any run. A watched log's record grows while the file does (`WatchedLog`)
 * and ends on Stop (the panel's button, the status bar, "Stop Watching LR Log"), when the log stops
 * growing for `lrScope.logWatch.idleSeconds`, or when its curve diverges.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LogParseError, parseLrLog } from '../../core/logs/index';
import { closeLogRecord, isLogRecord, logRecord } from '../../core/logs/log-record';
import type { RunRecord } from '../../core/runs/record';
import { snapshotFromRecord, type PanelState } from '../../protocol/webview';
import { newRunId, writeRunRecord } from '../../engine/run-store';
import type { ResultsPanel } from '../panel/results-panel';
import { stateFromRecords, type ScheduleContext } from '../panel/panel-source';
import type { PanelController } from '../panel/panel-controller';
import { errorMessage } from '../runs/record-file';
import { WatchedLog, type WatchedLogEnd } from './watched-log';

const LOG_FILTERS = { 'LR logs (CSV, JSON Lines, JSON)': ['csv', 'tsv', 'txt', 'jsonl', 'ndjson', 'json'] };

export interface ExternalLogsDeps {
  panel: ResultsPanel;
  log: vscode.LogOutputChannel;
  scheduleContext(): ScheduleContext;
  /** The runs folder for a run on this file. */
  runsDirFor(file: vscode.Uri): string;
  /** The saved runs (an imported log already saved is opened, not saved again). */
  records(): Promise<Array<{ path: string; record: RunRecord }>>;
  /** A record was written: the Runs view refreshes. */
  recordsChanged(): void;
  /** Seconds without growth after which a watch ends (0: never). */
  idleSeconds(file: vscode.Uri): number;
  lrscopeVersion: string;
}

export class ExternalLogs implements vscode.Disposable {
  private watch: WatchedLog | undefined;
  private readonly statusItem: vscode.StatusBarItem;

  constructor(private readonly deps: ExternalLogsDeps) {
    this.statusItem = vscode.window.createStatusBarItem('lrScope.watch', vscode.StatusBarAlignment.Left, 9);
    this.statusItem.name = 'LR Scope log watch';
    this.statusItem.command = 'lrScope.stopWatchingLog';
  }

  /** The panel state of a log file read whole (a panel saved before logs were records); throws LogParseError. */
  async stateOf(path: string): Promise<PanelState> {
    const record = await this.recordOf(path);
    return stateFromRecords([record], this.deps.scheduleContext());
  }

  /** Import LR Log…: parse, save as a run record (once per file content), plot. */
  async importLog(arg?: unknown): Promise<void> {
    const uri = await this.pickLog(arg, 'Import LR Log');
    if (!uri) return;
    let record: RunRecord;
    try {
      record = await this.recordOf(uri.fsPath);
    } catch (err) {
      this.reportParseError(err, uri);
      return;
    }
    const saved = (await this.deps.records()).find(
      (r) => isLogRecord(r.record) && r.record.experiment.path === uri.fsPath && r.record.experiment.sha256 === record.experiment.sha256 && r.record.status !== 'running',
    );
    let path: string;
    if (saved) {
      path = saved.path;
      record = saved.record;
      this.deps.log.info(`${uri.fsPath} was imported before, unchanged: opening its run record ${path}`);
    } else {
      path = await writeRunRecord(this.deps.runsDirFor(uri), record);
      this.deps.recordsChanged();
      this.deps.log.info(`imported ${record.points.length} points from ${uri.fsPath}: run record ${path}`);
    }
    this.deps.panel.show(stateFromRecords([record], this.deps.scheduleContext()), { kind: 'records', paths: [path] });
  }

  /** Watch LR Log…: plot a log that is still being written, live, its record growing on disk. Replaces a previous watch. */
  async watchLog(arg?: unknown): Promise<void> {
    const uri = await this.pickLog(arg, 'Watch LR Log');
    if (!uri) return;
    await this.stopWatching();
    const path = uri.fsPath;
    const idleSeconds = this.deps.idleSeconds(uri);
    let shown: PanelController | undefined;
    const showLive = (preserveFocus: boolean): void => {
      shown = this.deps.panel.show(this.liveState(watch), { kind: 'records', paths: [watch.recordPath] }, { preserveFocus });
    };
    const watch: WatchedLog = await WatchedLog.open(
      path,
      { runsDir: this.deps.runsDirFor(uri), idleMs: idleSeconds > 0 ? idleSeconds * 1000 : null, lrscopeVersion: this.deps.lrscopeVersion },
      {
        points: (points) => {
          const current = this.deps.panel.current;
          if (current && current === shown) for (const p of points) current.appendPoint(watch.id, p);
          this.updateStatus();
        },
        reset: () => {
          showLive(true);
          this.deps.log.info(`${path} was rewritten: following it from its start`);
        },
        warn: (message) => this.deps.log.warn(message),
        ended: (end) => this.ended(watch, end, uri, () => shown),
      },
    );
    this.watch = watch;
    showLive(false);
    watch.start();
    void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', true);
    this.updateStatus();
    this.statusItem.show();
    this.deps.log.info(`watching ${path} (run record ${watch.recordPath}; ends after ${idleSeconds > 0 ? `${idleSeconds} s without growth` : 'Stop only'} or when the curve diverges)`);
  }

  /** True when `runId` is the watched log's run (the panel's Stop then stops the watch). */
  watches(runId: string): boolean {
    return this.watch?.id === runId;
  }

  /** Stops the watch (reads a last unterminated line) and closes its record. */
  async stopWatching(): Promise<void> {
    const watch = this.watch;
    if (!watch) return;
    await watch.stop();
  }

  dispose(): void {
    void this.stopWatching();
    this.statusItem.dispose();
  }

  /** A whole log file as a closed run record (not saved). */
  private async recordOf(path: string): Promise<RunRecord> {
    const bytes = await readFile(path);
    const parsed = parseLrLog(bytes.toString('utf8'), basename(path));
    const now = new Date();
    const record = logRecord({
      id: newRunId('range-test', now),
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      label: basename(path),
      startedAt: now.toISOString(),
      points: parsed.points,
      smoothedLoss: parsed.smoothedLoss,
      format: parsed.format,
      source: 'imported',
      lrscopeVersion: this.deps.lrscopeVersion,
    });
    return closeLogRecord(record, 'completed', `imported ${parsed.points.length} points from ${basename(path)}`, now.toISOString(), parsed.format);
  }

  private liveState(watch: WatchedLog): PanelState {
    const c = this.deps.scheduleContext();
    // The panel keeps its own copy of the points (it appends the streamed ones).
    const run = { ...snapshotFromRecord(watch.record, basename(watch.path)), points: [...watch.record.points] };
    return { view: 'range-test', run, schedule: { flavor: c.flavor, framework: c.framework, epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch } };
  }

  private ended(watch: WatchedLog, end: WatchedLogEnd, uri: vscode.Uri, shown: () => PanelController | undefined): void {
    if (this.watch === watch) {
      this.watch = undefined;
      this.statusItem.hide();
      void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', false);
    }
    const current = this.deps.panel.current;
    const state = current?.state;
    const showsIt = current !== undefined && current === shown() && state?.view === 'range-test' && state.run.id === watch.id;
    if (showsIt) this.deps.panel.show(stateFromRecords([end.record], this.deps.scheduleContext()), { kind: 'records', paths: [end.path] }, { preserveFocus: true });
    this.deps.recordsChanged();
    this.deps.log.info(`stopped watching ${watch.path}: ${end.detail}; run record ${end.path}`);
    if (end.reason === 'failed') this.reportParseError(new Error(end.detail), uri);
    else if (end.reason !== 'stopped') void vscode.window.showInformationMessage(`LR Scope: stopped watching ${basename(watch.path)}: ${end.detail}. The run is saved.`);
  }

  private updateStatus(): void {
    const w = this.watch;
    if (!w) return;
    this.statusItem.text = `$(eye) ${basename(w.path)}: ${w.pointCount} points`;
    this.statusItem.tooltip = `LR Scope is watching ${w.path}. Click to stop.`;
  }

  private async pickLog(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    const picked = await vscode.window.showOpenDialog({
      title: `LR Scope: ${title}`,
      canSelectMany: false,
      filters: LOG_FILTERS,
      openLabel: title.replace('LR Log', ''),
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    return picked?.[0];
  }

  private reportParseError(err: unknown, uri: vscode.Uri): void {
    const message = err instanceof LogParseError ? err.message : `${basename(uri.fsPath)}: ${errorMessage(err)}`;
    this.deps.log.error(message);
    const open = 'Open Log';
    void vscode.window
      .showErrorMessage(`LR Scope could not read the log. ${message}. Expected a header with lr and loss columns (CSV) or one {"lr": …, "loss": …} object per line (JSONL).`, open)
      .then(async (choice) => {
        if (choice !== open) return;
        const editor = await vscode.window.showTextDocument(uri);
        if (err instanceof LogParseError && err.row !== null) {
          const line = Math.max(0, err.row - 1);
          editor.selection = new vscode.Selection(line, 0, line, 0);
          editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
        }
      });
  }
}
