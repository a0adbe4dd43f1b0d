/** The insertion's commands. */
import * as vscode from 'vscode';
import type { CommandEntry } from '../command-table';
import type { InsertSchedule, InsertScheduleResult } from './insert-request';

export function insertionCommands(insert: InsertSchedule): CommandEntry[] {
  return [{ command: 'lrScope.insertSchedule', run: async (...args) => say(await insert({ source: 'command', args })) }];
}

/** The result as a message (nothing when the user cancelled). */
function say(result: InsertScheduleResult | undefined): void {
  if (result?.level === 'error') void vscode.window.showErrorMessage(`LR Scope: ${result.message}`);
  else if (result?.level === 'warning') void vscode.window.showWarningMessage(`LR Scope: ${result.message}`);
  else if (result) void vscode.window.showInformationMessage(`LR Scope: ${result.message}`);
}
