/**
 * Applies a types setup (`types-setup.ts`) to the workspace: copies the shipped declarations to
 * `.lrscope/types/`, then adds the `paths` entry to the config (an undoable edit of its document,
 * saved) or writes a new config. Only called on the user's word: the quick fix or New Experiment's choice.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { Codegen } from '../../codegen/index';
import { TFJS_DECLARATIONS } from './template-files';
import { typesSetupFor, WORKSPACE_DECLARATIONS } from './types-setup';

export interface TypesDeps {
  extensionPath: string;
  codegen: () => Promise<Codegen>;
  log: vscode.LogOutputChannel;
}

/** Sets up the types `module` resolves to for the experiment at `experimentPath`; returns what was done. */
export async function applyTypesSetup(deps: TypesDeps, experimentPath: string, module: string): Promise<string> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(experimentPath));
  if (!folder) throw new Error(`${experimentPath} is outside the workspace folders: open its folder to set up its types.`);
  const root = folder.uri.fsPath;
  const setup = typesSetupFor(experimentPath, root, module);
  if (setup.kind === 'installed') return `${module} is installed (${relative(root, setup.packageJson)}): its own declarations apply.`;
  await mkdir(dirname(setup.declarations), { recursive: true });
  await copyFile(join(deps.extensionPath, TFJS_DECLARATIONS), setup.declarations);
  const copied = `copied its TensorFlow.js declarations to ${WORKSPACE_DECLARATIONS.split('\\').join('/')}`;
  const configName = relative(root, setup.configPath).split('\\').join('/');
  const codegen = await deps.codegen();
  if (setup.kind === 'create') {
    await writeFile(setup.configPath, codegen.newTypesConfig(setup.configPath, [module], setup.declarations), { flag: 'wx' });
    deps.log.info(`types for ${module}: created ${setup.configPath}`);
    return `LR Scope ${copied} and created ${configName} for the experiments.`;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(setup.configPath));
  const outcome = codegen.addTypesPaths({ text: document.getText(), fileName: setup.configPath, modules: [module], declarations: setup.declarations });
  if (!outcome.ok) throw new Error(outcome.message);
  if (outcome.added.length === 0) return `LR Scope ${copied}; ${configName} already maps ${module} ("compilerOptions.paths"), left as it is.`;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), outcome.text);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) throw new Error(`${setup.configPath} could not be edited or saved.`);
  deps.log.info(`types for ${module}: added "paths" to ${setup.configPath}`);
  return `LR Scope ${copied} and added "paths" for ${module} to ${configName}.`;
}
