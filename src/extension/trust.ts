/** Workspace Trust: running an experiment executes the workspace's code, so it needs trust. */
import * as vscode from 'vscode';

/**
 * True when the workspace is trusted. Otherwise says why the action is refused and offers
 * "Manage Workspace Trust"; analysis, plots and insertion never call this.
 */
export async function ensureTrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `LR Scope cannot ${action} in Restricted Mode: running an experiment executes this workspace's code. Trust the workspace to run it; saved runs, logs, plots, schedule insertion and the bundled example (Run Range Test on Example) work without trust.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
