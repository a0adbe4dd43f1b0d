/**
 * The "LR Scope Runs" view: saved run records of every workspace folder, grouped by experiment,
 * script or log (newest first), with open, compare (multi-select), re-run and delete. Refreshes when
 * a record file changes.
 */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/record';
import type { LiveRun } from '../../host/live-run';
import { listRecords, type RecordRead } from '../runs/record-file';
import { Pace } from '../pace';
import { summarizeLive } from './live-summary';
import { groupDescription, groupRuns, summarizeRun, type RunGroup } from './run-summary';

/** How often the node of the run going now follows its model (ms). */
const LIVE_NODE_INTERVAL_MS = 250;

type RunRow = { kind: 'run'; path: string; record: RunRecord };
/** One row: an experiment's group, a readable record, the run going now, or a file that is not one (shown with its error). */
export type RunNode =
  | RunRow
  | { kind: 'group'; group: RunGroup<RunRow> }
  /** The run going now, read from its model (its record file is being rewritten). */
  | { kind: 'live'; run: LiveRun }
  | { kind: 'unreadable'; path: string; error: string };

const GROUP_ICONS: Record<RunGroup<RunRow>['source'], string> = { experiment: 'beaker', script: 'file-code', log: 'output' };

/** The run a Re-run on `node` repeats: the run itself, or a group's newest run. */
export function rerunSource(node: unknown): RunRow | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as RunNode;
  if (n.kind === 'run') return n;
  if (n.kind === 'group') return n.group.runs[0];
  return undefined;
}

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

  /** Top level: one group per experiment, script or log, then unreadable files; a group's children: its runs. */
  async getChildren(element?: RunNode): Promise<RunNode[]> {
    if (element) return element.kind === 'group' ? element.group.runs : [];
    const nodes = await this.load();
    const live = this.live?.run;
    const runs = nodes.flatMap((n) => (n.kind === 'run' && n.record.id !== live?.id ? [n] : []));
    const groups = groupRuns(runs).map((group): RunNode => ({ kind: 'group', group }));
    return [...(live ? [{ kind: 'live', run: live } as RunNode] : []), ...groups, ...nodes.filter((n) => n.kind === 'unreadable')];
  }

  getParent(node: RunNode): RunNode | undefined {
    if (node.kind !== 'run' || !this.nodes) return undefined;
    const runs = this.nodes.flatMap((n) => (n.kind === 'run' ? [n] : []));
    const group = groupRuns(runs).find((g) => g.key === node.record.experiment.path);
    return group && { kind: 'group', group };
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
    if (node.kind === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${group.key}`;
      item.description = groupDescription(group, vscode.workspace.asRelativePath(group.key, false));
      item.tooltip = `${group.key}\n${group.runs.length} saved run${group.runs.length === 1 ? '' : 's'}; Re-run repeats the newest with the same options.`;
      item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[group.source]);
      item.contextValue = `lrScope.group.${group.source}`;
      return item;
    }
    const s = summarizeRun(node.record, new Date());
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
