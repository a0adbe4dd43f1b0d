/**
 * The "LR Scope Runs" view: saved run records of every workspace folder, newest first, with open,
 * compare (multi-select) and delete. Refreshes when a record file changes.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/record';
import { listRecords, type RecordRead } from '../runs/record-file';
import { summarizeRun } from './run-summary';

/** One row: a readable record, or a file that is not one (shown with its error). */
export type RunNode =
  | { kind: 'run'; path: string; record: RunRecord }
  | { kind: 'unreadable'; path: string; error: string };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: RunNode[] | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

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

  /** Every readable run currently listed (for pickers: compare, latest recommendation). */
  async runs(): Promise<Array<{ path: string; record: RunRecord }>> {
    const nodes = await this.load();
    return nodes.flatMap((n) => (n.kind === 'run' ? [{ path: n.path, record: n.record }] : []));
  }

  async getChildren(element?: RunNode): Promise<RunNode[]> {
    if (element) return [];
    return this.load();
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
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
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }

  private async load(): Promise<RunNode[]> {
    if (this.nodes) return this.nodes;
    const reads: RecordRead[] = (await Promise.all(this.runsDirs().map((d) => listRecords(d)))).flat();
    reads.sort((a, b) => (b.ok ? b.record.startedAt : '').localeCompare(a.ok ? a.record.startedAt : ''));
    this.nodes = reads.map((r): RunNode => (r.ok ? { kind: 'run', path: r.path, record: r.record } : { kind: 'unreadable', path: r.path, error: r.error }));
    return this.nodes;
  }
}
