/** What every run start checks and derives from the file it runs: node path, tfjs-node search folders. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { settingsFor } from '../configuration';

/** False (with an error offering the setting) when `lrScope.nodePath` names a missing file. */
export function checkNodePath(resource: vscode.Uri): boolean {
  const nodePath = settingsFor(resource).nodePath;
  if (nodePath === '' || existsSync(nodePath)) return true;
  const open = 'Open Settings';
  void vscode.window
    .showErrorMessage(`LR Scope: lrScope.nodePath is set to ${nodePath}, which does not exist. Clear it to use VS Code's own runtime, or point it at a node executable.`, open)
    .then((c) => c === open && vscode.commands.executeCommand('workbench.action.openSettings', 'lrScope.nodePath'));
  return false;
}

/** Folders to resolve @tensorflow/tfjs-node from: the experiment's folder and the workspace folders. */
export function searchFrom(uri: vscode.Uri): string[] {
  return [...new Set([dirname(uri.fsPath), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)])];
}
