/** Wires schedule insertion and the CodeLenses to the host (the one call `main.ts` makes). */
import type * as vscode from 'vscode';
import { registerCodeLens } from '../codelens/provider';
import type { LrScopeHost } from '../hooks';
import { registerInsertion } from './insert-command';

/**
 * Installs the `lrScope.insertSchedule` / panel Insert handler and the CodeLens provider. They share
 * the host's one code generator, loaded from `dist/` on first use (never on activation).
 */
export function registerScheduleFeatures(host: LrScopeHost, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const codegen = (): ReturnType<LrScopeHost['codegen']> => host.codegen();
  return [registerInsertion({ host, codegen, log }), registerCodeLens({ host, codegen, log })];
}
