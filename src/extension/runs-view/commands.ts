/** The runs view's commands (open, compare, delete, reveal, refresh) and "Compare Runs…". */
import * as vscode from 'vscode';
import { formatLr } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import type { CommandEntry } from '../command-table';
import { showRecords } from '../panel/commands';
import type { ResultsPanel } from '../panel/results-panel';
import { deleteRecord } from '../runs/record-file';
import type { RunsFolders } from '../runs/runs-folders';
import { experimentName } from './run-summary';
import type { RunNode, RunsTreeProvider } from './runs-tree';

export interface RunsViewCommandDeps {
  tree: RunsTreeProvider;
  treeView: vscode.TreeView<RunNode>;
  folders: RunsFolders;
  panel: ResultsPanel;
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
}

type SavedRun = { path: string; record: RunRecord };

export function runsViewCommands(deps: RunsViewCommandDeps): CommandEntry[] {
  const open = (runs: SavedRun[]): void => showRecords(deps.panel, deps.workspaceState, runs);
  const selected = (node: unknown, selection?: unknown): SavedRun[] => selectedRuns(deps.treeView, node, selection);
  return [
    { command: 'lrScope.compareRuns', run: () => compareRuns(deps) },
    { command: 'lrScope.runs.refresh', run: () => deps.tree.refresh() },
    { command: 'lrScope.runs.open', run: (node) => open(selected(node)) },
    {
      command: 'lrScope.runs.compare',
      run: (node, selection) => {
        const picked = selected(node, selection);
        return picked.length >= 2 ? open(picked) : compareRuns(deps, picked.map((p) => p.path));
      },
    },
    { command: 'lrScope.runs.delete', run: (node, selection) => deleteRuns(deps, selected(node, selection)) },
    {
      command: 'lrScope.runs.revealRecord',
      run: async (node) => {
        const [run] = selected(node);
        if (run) await vscode.window.showTextDocument(vscode.Uri.file(run.path));
      },
    },
  ];
}

async function compareRuns(deps: RunsViewCommandDeps, preselected: string[] = []): Promise<void> {
  const runs = (await deps.tree.runs()).filter((r) => r.record.kind === 'range-test' && r.record.points.length > 0);
  if (runs.length < 2) {
    void vscode.window.showInformationMessage('LR Scope: comparing needs at least two saved range tests (e.g. one per weight decay or batch size).');
    return;
  }
  const items = runs.map((r) => ({
    label: experimentName(r.record),
    description: `${r.record.startedAt.slice(0, 16).replace('T', ' ')} · ${r.record.status}${typeof r.record.recommendation?.lr === 'number' ? ` · lr ${formatLr(r.record.recommendation.lr)}` : ''}`,
    detail: optionsText(r.record),
    picked: preselected.includes(r.path),
    run: r,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'LR Scope: Compare Runs', placeHolder: 'Range tests to overlay (two or more)', canPickMany: true, matchOnDetail: true });
  if (!picked) return;
  if (picked.length < 2) {
    void vscode.window.showInformationMessage('LR Scope: pick two or more runs to compare.');
    return;
  }
  showRecords(deps.panel, deps.workspaceState, picked.map((p) => p.run));
}

async function deleteRuns(deps: RunsViewCommandDeps, runs: SavedRun[]): Promise<void> {
  if (runs.length === 0) return;
  const what = runs.length === 1 ? `the run ${experimentName(runs[0]!.record)} of ${runs[0]!.record.startedAt.slice(0, 16).replace('T', ' ')}` : `${runs.length} runs`;
  const confirm = runs.length === 1 ? 'Delete Run' : 'Delete Runs';
  const choice = await vscode.window.showWarningMessage(`Delete ${what}? The record file is removed from disk.`, { modal: true }, confirm);
  if (choice !== confirm) return;
  await Promise.all(runs.map((r) => deleteRecord(r.path)));
  deps.log.info(`deleted ${runs.map((r) => r.path).join(', ')}`);
  deps.folders.fire();
}

/** Tree nodes a view command applies to: the multi-selection when it holds the clicked node. */
function selectedRuns(treeView: vscode.TreeView<RunNode>, node: unknown, selection: unknown): SavedRun[] {
  const isRun = (n: unknown): n is Extract<RunNode, { kind: 'run' }> =>
    typeof n === 'object' && n !== null && (n as RunNode).kind === 'run' && typeof (n as { path?: unknown }).path === 'string';
  const fromSelection = Array.isArray(selection) ? selection.filter(isRun) : [];
  if (fromSelection.length > 0) return fromSelection;
  if (isRun(node)) return [node];
  return treeView.selection.filter(isRun);
}

function optionsText(record: RunRecord): string {
  const parts = Object.entries(record.options)
    .filter(([k, v]) => ['weightDecay', 'batchSize', 'steps', 'seed'].includes(k) && (typeof v === 'number' || typeof v === 'string'))
    .map(([k, v]) => `${k} ${String(v)}`);
  return [record.experiment.path, ...parts].join(' · ');
}
