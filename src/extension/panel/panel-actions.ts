/**
 * What the panel's buttons do in VS Code: Stop, Insert (the insertion), Copy (the core's code
 * generator → clipboard), Export (save dialog → PNG/CSV/JSON file), Pick (remembered as the LR to
 * use). Each returns the notice the panel shows.
 */
import * as vscode from 'vscode';
import type { Codegen } from '../../codegen/index';
import { lrOrigin, type LrSource } from '../insertion/provenance';
import type { ExportFormat } from '../../protocol/webview';
import type { InsertSchedule } from '../insertion/insert-request';
import type { Notice, PanelActions } from './panel-controller';
import { exportBytes } from './panel-actions-pure';

export interface PanelActionDeps {
  stop(runId: string): void;
  insert: InsertSchedule;
  pick(runId: string, lr: number | null): void;
  log: vscode.LogOutputChannel;
  /** The extension's code generator (loaded on first use). */
  codegen(): Promise<Codegen>;
  /** Where the LR of the panel's schedule comes from (the run it shows), for Insert's and Copy's notices. */
  lrSource(): Promise<LrSource | undefined>;
}

const EXPORT_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
};

export function createPanelActions(deps: PanelActionDeps): PanelActions {
  return {
    stop: (runId) => deps.stop(runId),
    pick: (runId, lr) => deps.pick(runId, lr),
    log: (level, message) => deps.log[level](message),
    insert: async (spec, framework): Promise<Notice | undefined> => {
      const source = await deps.lrSource();
      const result = await deps.insert({ source: 'panel', spec, framework, args: source ? [{ kind: 'lrScope.lrOrigin', source }] : [] });
      // the panel shows notices as info or error; a warning's text says what to check
      return result && { level: result.level === 'error' ? 'error' : 'info', message: result.message };
    },
    copy: async (spec, framework): Promise<Notice> => {
      const code = (await deps.codegen()).snippet(spec, framework).code;
      await vscode.env.clipboard.writeText(code);
      const origin = lrOrigin(framework === 'tfjs' ? 'maxLr' : 'max_lr', spec, await deps.lrSource(), undefined);
      return { level: 'info', message: `Copied the ${framework} ${spec.policy === 'cyclic' ? 'cyclical' : 'one-cycle'} schedule${origin ? ` (${origin})` : ''} to the clipboard: ${code.split('\n').length} lines.` };
    },
    export: async (format, fileName, data): Promise<Notice | undefined> => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: `LR Scope: export ${format.toUpperCase()}`,
        filters: EXPORT_FILTERS[format],
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, exportBytes(format, data));
      deps.log.info(`exported ${format} to ${target.fsPath}`);
      return { level: 'info', message: `Saved ${vscode.workspace.asRelativePath(target)}.` };
    },
  };
}
