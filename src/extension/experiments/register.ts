/**
 * New Experiment and the types setup (commands for the table; their code, dist/experiments.js, is loaded
 * when one is first run), and the quick fix that offers the setup.
 */
import * as vscode from 'vscode';
import type { CommandEntry } from '../command-table';
import type { TypesDeps } from './types-apply';
import { SET_UP_TYPES_COMMAND } from './types-fixes';
import { TypesQuickFixProvider } from './types-quick-fix';

export function experimentCommands(deps: TypesDeps): CommandEntry[] {
  return [
    { command: 'lrScope.newExperiment', run: async (arg) => (await import('./index.js')).newExperiment(deps, arg) },
    {
      command: SET_UP_TYPES_COMMAND,
      run: async (path, module) => {
        if (typeof path !== 'string' || typeof module !== 'string') throw new Error('Set Up Experiment Types needs the experiment file and the module (use the quick fix on the import).');
        const { applyTypesSetup } = await import('./index.js');
        void vscode.window.showInformationMessage(await applyTypesSetup(deps, path, module));
      },
    },
  ];
}

/** The quick fix on "Cannot find module '@tensorflow/tfjs'" in an experiment file. */
export function registerTypesQuickFix(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    ['typescript', 'javascript'].map((language) => ({ language, scheme: 'file' })),
    new TypesQuickFixProvider(),
    { providedCodeActionKinds: TypesQuickFixProvider.kinds },
  );
}
