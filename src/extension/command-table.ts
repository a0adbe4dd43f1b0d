/**
 * Commands as a table: each feature exports its entries (`<feature>/commands.ts`), `app.ts` joins
 * the tables and registers them here, once, each behind the same guard.
 */
import * as vscode from 'vscode';

/** One command: its id (as package.json contributes it) and a small handler. */
export interface CommandEntry {
  command: string;
  run(...args: unknown[]): unknown;
}

/**
 * Registers every entry. A handler that throws (or rejects) never throws into VS Code: the user
 * sees what failed, the log keeps the details. Two entries with one id are a programming error.
 */
export function registerCommandTable(entries: readonly CommandEntry[], log: vscode.LogOutputChannel): vscode.Disposable[] {
  const seen = new Set<string>();
  for (const { command } of entries) {
    if (seen.has(command)) throw new Error(`the command ${command} is in the command table twice`);
    seen.add(command);
  }
  return entries.map(({ command, run }) =>
    vscode.commands.registerCommand(command, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.error(`${command}: ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`LR Scope: ${message}`);
      }
    }),
  );
}
