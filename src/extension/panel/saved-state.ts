/** The panel state of a saved source (the serializer after a reload, "Show Results"). */
import * as vscode from 'vscode';
import type { PanelState } from '../../protocol/webview';
import { scheduleContextFor } from '../configuration';
import type { Logs } from '../logs/logs-loader';
import { readRecord } from '../runs/record-file';
import { isPanelSource, stateFromRecords, type PanelSource } from './panel-source';

/** Never throws: a source that cannot be read again says so in the panel. */
export async function stateOfSource(source: PanelSource, workspaceState: vscode.Memento, logs: Logs): Promise<PanelState> {
  if (!isPanelSource(source)) return { view: 'empty', message: 'Nothing to show.' };
  switch (source.kind) {
    case 'empty':
      return { view: 'empty', message: 'No run is shown. Use "LR Scope: Show Results" or open a run from the LR Scope Runs view.' };
    case 'schedule': {
      const c = scheduleContextFor(workspaceState);
      return { view: 'schedule', maxLr: source.maxLr, schedule: { flavor: c.flavor, framework: c.framework, epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch } };
    }
    case 'log':
      try {
        return await logs.stateOf(source.path);
      } catch (err) {
        return { view: 'empty', message: `The log ${source.path} could not be read again: ${err instanceof Error ? err.message : String(err)}` };
      }
    case 'records': {
      const reads = await Promise.all(source.paths.map((p) => readRecord(p)));
      const records = reads.flatMap((r) => (r.ok ? [r.record] : []));
      return stateFromRecords(records, scheduleContextFor(workspaceState, records[0] ? vscode.Uri.file(records[0].experiment.path) : undefined));
    }
  }
}
