/**
 * The "LR Scope Runs" view: saved run records of every workspace folder, newest first, with open,
 * compare (multi-select) and delete. Refreshes when a record file changes.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/record';
import type { LiveRun } from '../../host/live-run';
import { listRecords, type RecordRead } from '../runs/record-file';
import { Pace } from '../pace';
import { summarizeLive } from './live-summary';
import { summarizeRun } from './run-summary';

/** How often the node of the run going now follows its model (ms). */
const LIVE_NODE_INTERVAL_MS = 250;

/** One row: a readable record, or a file that is not one (shown with its error). */
export type RunNode =
  | { kind: 'run'; path: string; record: RunRecord }
  /** The run going now, read from its model (its record file is being rewritten). */
  | { kind: 'live'; run: LiveRun }
  | { kind: 'unreadable'; path: string; error: string };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: RunNode[] | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private live: { run: LiveRun; subscription: { dispose(): void }; pace: Pace } | undefined;

  /** @param runsDirs the runs folders to list (one per workspace folder), read on each refresh. */
  constructor(private readonly runsDirs: () => string[]) {}

  /** Re-reads the folders (debounced: many record writes in a row give one refresh). */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.nodes = undefined;
      this.changed.fire();
    }, 150);
  }

  /** Shows `run` at the top while it goes, following its model; its saved record once it ended. */
  observe(run: LiveRun): void {
    this.unobserve();
    const pace = new Pace(() => this.changed.fire(), undefined, LIVE_NODE_INTERVAL_MS);
    const live = { run, pace, subscription: { dispose: () => undefined } as { dispose(): void } };
    this.live = live;
    live.subscription = run.subscribe((change) => {
      if (change.kind === 'ended') {
        this.unobserve();
        this.refresh();
      } else pace.request();
    });
  }

  /** Every readable run currently listed (for pickers: compare, latest recommendation). */
  async runs(): Promise<Array<{ path: string; record: RunRecord }>> {
    const nodes = await this.load();
    return nodes.flatMap((n) => (n.kind === 'run' ? [{ path: n.path, record: n.record }] : []));
  }

  async getChildren(element?: RunNode): Promise<RunNode[]> {
    if (element) return [];
    const nodes = await this.load();
    const live = this.live?.run;
    if (!live) return nodes;
    return [{ kind: 'live', run: live }, ...nodes.filter((n) => !(n.kind === 'run' && n.record.id === live.id))];
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    if (node.kind === 'live') {
      const s = summarizeLive(node.run);
      const item = new vscode.TreeItem(s.label);
      item.id = `live:${s.id}`;
      item.description = s.description;
      item.tooltip = s.tooltip;
      item.iconPath = new vscode.ThemeIcon(s.icon);
      item.contextValue = s.contextValue;
      item.command = { command: 'lrScope.showResults', title: 'Show Results' };
      return item;
    }
    if (node.kind === 'unreadable') {
      const item = new vscode.TreeItem(node.path.split(/[\\/]/).pop() ?? node.path);
      item.description = 'unreadable';
      item.tooltip = `${node.path}\n${node.error}`;
      item.iconPath = new vscode.ThemeIcon('warning');
      item.contextValue = 'lrScope.unreadable';
      item.resourceUri = vscode.Uri.file(node.path);
      return item;
    }
    const s = summarizeRun(node.record);
    const item = new vscode.TreeItem(s.label);
    item.id = node.path;
    item.description = s.description;
    item.tooltip = s.tooltip;
    item.iconPath = new vscode.ThemeIcon(s.icon);
    item.contextValue = s.contextValue;
    item.command = { command: 'lrScope.runs.open', title: 'Open Run', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.unobserve();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }

  private unobserve(): void {
    this.live?.subscription.dispose();
    this.live?.pace.clear();
    this.live = undefined;
  }

  private async load(): Promise<RunNode[]> {
    if (this.nodes) return this.nodes;
    const reads: RecordRead[] = (await Promise.all(this.runsDirs().map((d) => listRecords(d)))).flat();
    reads.sort((a, b) => (b.ok ? b.record.startedAt : '').localeCompare(a.ok ? a.record.startedAt : ''));
    this.nodes = reads.map((r): RunNode => (r.ok ? { kind: 'run', path: r.path, record: r.record } : { kind: 'unreadable', path: r.path, error: r.error }));
    return this.nodes;
  }
}
