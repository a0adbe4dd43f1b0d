/**
 * Entry of the extension (`dist/extension.js`). Activation is cheap: no tfjs here (the engine runs
 * in a child process), the code generator loads on first use.
 */
import type * as vscode from 'vscode';
import { LrScopeExtension } from './app';
import type { LrScopeHost } from './hooks';
import { registerExperimentFeatures } from './experiments/register';
import { registerScheduleFeatures } from './insertion/register';

let extension: LrScopeExtension | undefined;

/** Activates LR Scope and returns the host API (the hooks insertion and CodeLens register with). */
export function activate(context: vscode.ExtensionContext): LrScopeHost {
  extension = new LrScopeExtension(context);
  context.subscriptions.push(extension);
  const host = extension.host();
  // Insertion + CodeLens (issue 4 §4).
  context.subscriptions.push(...registerScheduleFeatures(host, extension.log));
  context.subscriptions.push(...registerExperimentFeatures({ extensionPath: context.extensionUri.fsPath, codegen: host.codegen, log: extension.log }));
  return host;
}

/** Kills a running engine (its partial run is saved first) and stops watching logs. */
export async function deactivate(): Promise<void> {
  const current = extension;
  extension = undefined;
  await current?.shutdown();
}
