/** Wires New Experiment, the types setup command and its quick fix (the one call `main.ts` makes). */
import * as vscode from 'vscode';
import { newExperiment } from './new-experiment';
import { applyTypesSetup, type TypesDeps } from './types-apply';
import { SET_UP_TYPES_COMMAND } from './types-fixes';
import { TypesQuickFixProvider } from './types-quick-fix';

export function registerExperimentFeatures(deps: TypesDeps): vscode.Disposable[] {
  const guarded = (id: string, fn: (...args: unknown[]) => Promise<void>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await fn(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        deps.log.error(`${id}: ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`LR Scope: ${message}`);
      }
    });
  return [
    guarded('lrScope.newExperiment', (arg) => newExperiment(deps, arg)),
    guarded(SET_UP_TYPES_COMMAND, async (path, module) => {
      if (typeof path !== 'string' || typeof module !== 'string') throw new Error('Set Up Experiment Types needs the experiment file and the module (use the quick fix on the import).');
      void vscode.window.showInformationMessage(await applyTypesSetup(deps, path, module));
    }),
    vscode.languages.registerCodeActionsProvider(
      ['typescript', 'javascript'].map((language) => ({ language, scheme: 'file' })),
      new TypesQuickFixProvider(),
      { providedCodeActionKinds: TypesQuickFixProvider.kinds },
    ),
  ];
}
