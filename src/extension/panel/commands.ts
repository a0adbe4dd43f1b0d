/** The panel's command ("Show Results") and how saved runs are shown in it. */
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/record';
import type { CommandEntry } from '../command-table';
import { scheduleContextFor } from '../configuration';
import { stateFromRecords } from './panel-source';
import type { ResultsPanel } from './results-panel';

export interface PanelCommandDeps {
  panel: ResultsPanel;
  workspaceState: vscode.Memento;
  /** Shows the live run, if one is going; false otherwise. */
  showLive(): boolean;
  /** The saved runs, newest first. */
  runs(): Promise<Array<{ path: string; record: RunRecord }>>;
}

export function panelCommands(deps: PanelCommandDeps): CommandEntry[] {
  return [{ command: 'lrScope.showResults', run: () => showResults(deps) }];
}

/** Shows saved runs: one as its range test or training, several overlaid. */
export function showRecords(panel: ResultsPanel, workspaceState: vscode.Memento, runs: ReadonlyArray<{ path: string; record: RunRecord }>): void {
  if (runs.length === 0) return;
  const context = scheduleContextFor(workspaceState, vscode.Uri.file(runs[0]!.record.experiment.path));
  panel.show(stateFromRecords(runs.map((r) => r.record), context), { kind: 'records', paths: runs.map((r) => r.path) });
}

/** The live run, else what the panel showed last, else the newest saved run, else how to make one. */
async function showResults(deps: PanelCommandDeps): Promise<void> {
  const { panel } = deps;
  if (deps.showLive()) return;
  const current = panel.current;
  if (current) {
    panel.show(current.state, panel.savedSource ?? { kind: 'empty' });
    return;
  }
  const [latest] = await deps.runs();
  if (latest) {
    showRecords(panel, deps.workspaceState, [latest]);
    return;
  }
  panel.show(
    { view: 'empty', message: 'No runs yet. Run "LR Scope: Run Range Test on Example", run a range test on your own experiment, or import an LR log.' },
    { kind: 'empty' },
  );
}
