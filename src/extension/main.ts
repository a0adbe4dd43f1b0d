/**
 * Entry of the extension (`dist/extension.js`). Activation is cheap: no tfjs here (the engine runs
 * in a child process), the code generator loads on first use.
 */
import type * as vscode from 'vscode';
import { createExtension, type LrScopeExtension } from './app';

let extension: LrScopeExtension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  extension = createExtension(context);
  context.subscriptions.push(extension);
}

/** Kills a running engine (its partial run is saved first) and stops watching logs. */
export async function deactivate(): Promise<void> {
  const current = extension;
  extension = undefined;
  await current?.shutdown();
}
