/**
 * "LR Scope: New Experiment": writes `<name>.experiment.ts` from the template the README shows, sets
 * up its types when the user agrees (else the file would show "Cannot find module '@tensorflow/tfjs'"),
 * and opens it — its ▶ Range test lens runs it as it is.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { experimentFileName, fromTemplate, invalidName } from './experiment-name';
import { EXPERIMENT_TEMPLATE } from './template-files';
import { applyTypesSetup, type TypesDeps } from './types-apply';
import { describeSetup, TFJS_MODULES, typesSetupFor } from './types-setup';

export async function newExperiment(deps: TypesDeps, arg: unknown): Promise<void> {
  const folder = await targetFolder(arg);
  if (!folder) return;
  const name = await vscode.window.showInputBox({
    title: 'LR Scope: New Experiment',
    prompt: `Name of the experiment, created in ${vscode.workspace.asRelativePath(folder, true) || folder}`,
    value: 'my-model',
    valueSelection: [0, 8],
    validateInput: (v) => invalidName(v, folder),
  });
  if (name === undefined) return;
  const path = join(folder, experimentFileName(name));
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path))?.uri.fsPath ?? folder;
  const module = TFJS_MODULES[0];
  const setup = typesSetupFor(path, root, module);
  let setUpTypes = false;
  if (setup.kind !== 'installed') {
    const items = [
      { label: 'Set up types', description: describeSetup(setup, root), setUp: true },
      { label: 'Only create the file', description: `it shows "Cannot find module '${module}'" until the package is installed (or the quick fix is applied)`, setUp: false },
    ];
    const choice = await vscode.window.showQuickPick(items, { title: `LR Scope: New Experiment: types for ${module}`, placeHolder: `${module} is not installed in this workspace` });
    if (!choice) return;
    setUpTypes = choice.setUp;
  }
  const template = await readFile(join(deps.extensionPath, EXPERIMENT_TEMPLATE), 'utf8');
  // Types first: the TypeScript server then opens the file with its config in place.
  const typesMessage = setUpTypes ? await applyTypesSetup(deps, path, module) : undefined;
  await writeFile(path, fromTemplate(template, name), { flag: 'wx' });
  deps.log.info(`new experiment ${path}${typesMessage ? `; ${typesMessage}` : ''}`);
  await vscode.window.showTextDocument(vscode.Uri.file(path));
  if (typesMessage) void vscode.window.showInformationMessage(typesMessage);
}

/** The folder to create the experiment in: the explorer's (a folder, or a file's folder), else a workspace folder. */
async function targetFolder(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri && arg.scheme === 'file' && existsSync(arg.fsPath)) return statSync(arg.fsPath).isDirectory() ? arg.fsPath : dirname(arg.fsPath);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('LR Scope: open a folder first; New Experiment creates the experiment file in it.');
    return undefined;
  }
  if (folders.length === 1) return folders[0]!.uri.fsPath;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the new experiment' });
  return picked?.uri.fsPath;
}
