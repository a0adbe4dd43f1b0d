/**
 * "Import LR Log…" and "Watch LR Log…" (J7): a CSV/JSONL/JSON log of lr/loss from any framework,
 * parsed by the core, shown in the results panel; a watched log updates the plot live until
 * "Stop Watching LR Log".
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LogParseError, parseLrLog } from '../../core/logs/index';
import type { PanelState } from '../../protocol/webview';
import type { ResultsPanel } from '../panel/results-panel';
import type { ScheduleContext } from '../panel/panel-source';
import { errorMessage } from '../runs/record-file';
import { LogWatch, logRunId, logSnapshot } from './log-watch';

const LOG_FILTERS = { 'LR logs (CSV, JSON Lines, JSON)': ['csv', 'tsv', 'txt', 'jsonl', 'ndjson', 'json'] };

export class ExternalLogs implements vscode.Disposable {
  private watch: LogWatch | undefined;
  private readonly statusItem: vscode.StatusBarItem;

  constructor(
    private readonly panel: ResultsPanel,
    private readonly log: vscode.LogOutputChannel,
    private readonly scheduleContext: () => ScheduleContext,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('lrScope.watch', vscode.StatusBarAlignment.Left, 9);
    this.statusItem.name = 'LR Scope log watch';
    this.statusItem.command = 'lrScope.stopWatchingLog';
  }

  /** The panel state of a log file read whole; throws LogParseError (message names file and row). */
  async stateOf(path: string): Promise<PanelState> {
    const text = await readFile(path, 'utf8');
    const parsed = parseLrLog(text, basename(path));
    return this.rangeState(logSnapshot(path, parsed.points, parsed.smoothedLoss, 'completed'));
  }

  /** Import LR Log…: parse and plot. */
  async importLog(arg?: unknown): Promise<void> {
    const uri = await this.pickLog(arg, 'Import LR Log');
    if (!uri) return;
    try {
      const state = await this.stateOf(uri.fsPath);
      this.panel.show(state, { kind: 'log', path: uri.fsPath });
      const n = state.view === 'range-test' ? state.run.points.length : 0;
      this.log.info(`imported ${n} points from ${uri.fsPath}`);
    } catch (err) {
      this.reportParseError(err, uri);
    }
  }

  /** Watch LR Log…: plot a log that is still being written, live. Replaces a previous watch. */
  async watchLog(arg?: unknown): Promise<void> {
    const uri = await this.pickLog(arg, 'Watch LR Log');
    if (!uri) return;
    await this.stopWatching();
    const path = uri.fsPath;
    const runId = logRunId(path);
    let shown = this.panel.show(this.rangeState(logSnapshot(path, [], false, 'running')), { kind: 'log', path });
    const watch = new LogWatch(path, {
      points: (points) => {
        const current = this.panel.current;
        if (!current) return;
        if (current !== shown) return; // the panel shows something else now
        for (const p of points) current.appendPoint(runId, p);
        this.updateStatus();
      },
      reset: () => {
        shown = this.panel.show(this.rangeState(logSnapshot(path, [], false, 'running')), { kind: 'log', path }, { preserveFocus: true });
        this.log.info(`${path} was rewritten: following it from its start`);
      },
      error: (err, fatal) => {
        this.log.warn(`watching ${path}: ${err.message}`);
        if (fatal) {
          void this.stopWatching();
          this.reportParseError(err, uri);
        }
      },
    });
    this.watch = watch;
    watch.start();
    void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', true);
    this.updateStatus();
    this.statusItem.show();
    this.log.info(`watching ${path}`);
  }

  /** Stops the watch (reads a last unterminated line) and marks the plot complete. */
  async stopWatching(): Promise<void> {
    const watch = this.watch;
    if (!watch) return;
    this.watch = undefined;
    await watch.stop();
    this.statusItem.hide();
    void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', false);
    this.panel.current?.setStatus(logRunId(watch.path), 'completed', `stopped watching after ${watch.pointCount} points`);
    this.log.info(`stopped watching ${watch.path} (${watch.pointCount} points)`);
  }

  dispose(): void {
    void this.stopWatching();
    this.statusItem.dispose();
  }

  private rangeState(run: ReturnType<typeof logSnapshot>): PanelState {
    const c = this.scheduleContext();
    return { view: 'range-test', run, schedule: { flavor: c.flavor, framework: c.framework, epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch } };
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
    this.log.error(message);
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
