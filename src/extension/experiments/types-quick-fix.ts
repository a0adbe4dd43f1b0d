/**
 * The quick fix on "Cannot find module '@tensorflow/tfjs'" in an experiment file: it sets up LR
 * Scope's declarations for the workspace (see `types-setup.ts`). The choice of fixes is pure
 * (`types-fixes.ts`); this provider turns them into code actions.
 */
import * as vscode from 'vscode';
import { EXPERIMENT_PATTERN } from '../runs/experiment-picker';
import { typesFixesFor } from './types-fixes';

export class TypesQuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (document.uri.scheme !== 'file') return [];
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    return typesFixesFor(document.uri.fsPath, EXPERIMENT_PATTERN.test(document.uri.fsPath), root, context.diagnostics).map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [context.diagnostics[fix.diagnostic]!];
      action.isPreferred = true;
      action.command = { command: fix.command, title: fix.title, arguments: fix.arguments };
      return action;
    });
  }
}
