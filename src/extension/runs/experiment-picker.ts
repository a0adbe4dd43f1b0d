/** Which experiment a command runs: the given file, the active editor's, else a quick pick. */
import { basename } from 'node:path';
import * as vscode from 'vscode';

export const EXPERIMENT_PATTERN = /\.experiment\.(ts|js|mjs)$/;
/** The name a run of `path` is shown by: the experiment's name, else the file name. */
export function runLabel(path: string): string {
  return basename(path).replace(EXPERIMENT_PATTERN, '') || basename(path);
}

const EXPERIMENT_GLOB = '**/*.experiment.{ts,js,mjs}';

/**
 * The experiment to run: `arg` when it is an experiment file (explorer/editor menus pass a Uri),
 * else the active editor's file when it is one, else the user's pick among the workspace's
 * experiments. Undefined when the user cancels or there is none (a message says what to do).
 */
export async function pickExperiment(arg: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && EXPERIMENT_PATTERN.test(arg.path)) return arg;
  if (typeof arg === 'string' && EXPERIMENT_PATTERN.test(arg)) return vscode.Uri.file(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && EXPERIMENT_PATTERN.test(active.path)) return active;
  const found = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/node_modules/**', 200);
  if (found.length === 0) {
    const example = 'Run on Example';
    const choice = await vscode.window.showInformationMessage(
      'No experiment found: LR Scope runs files named *.experiment.ts, .js or .mjs whose default export gives model(), data(), loss, optimizer and batchSize.',
      example,
    );
    if (choice === example) await vscode.commands.executeCommand('lrScope.runRangeTestOnExample');
    return undefined;
  }
  if (found.length === 1) return found[0];
  const items = found
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: vscode.workspace.asRelativePath(uri, true), uri }));
  const picked = await vscode.window.showQuickPick(items, { title: `LR Scope: ${purpose}`, placeHolder: 'Experiment to run', matchOnDescription: true });
  return picked?.uri;
}

const PYTHON_PATTERN = /\.py$/i;
/** Folders whose Python files are libraries, not the user's training scripts. */
const PYTHON_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/__pycache__/**}';

/**
 * The PyTorch script to probe: `arg` when it is a `.py` file (explorer menu: a Uri; CodeLens: a
 * path), else the active editor's saved `.py` file, else the user's pick among the workspace's
 * Python files. Undefined when the user cancels or there is none (a message says so).
 */
export async function pickPythonScript(arg: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && PYTHON_PATTERN.test(arg.path)) return arg;
  if (typeof arg === 'string' && PYTHON_PATTERN.test(arg)) return vscode.Uri.file(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && PYTHON_PATTERN.test(active.path)) return active;
  const found = await vscode.workspace.findFiles('**/*.py', PYTHON_EXCLUDE, 500);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('LR Scope: no Python script found. Open your PyTorch training script and run the command again.');
    return undefined;
  }
  const items = found
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: vscode.workspace.asRelativePath(uri, true), uri }));
  const picked = await vscode.window.showQuickPick(items, { title: `LR Scope: ${purpose}`, placeHolder: 'PyTorch training script to run', matchOnDescription: true });
  return picked?.uri;
}
