/** Wires schedule insertion and the CodeLenses to the host (the one call `main.ts` makes). */
import type * as vscode from 'vscode';
import { registerCodeLens } from '../codelens/provider';
import type { LrScopeHost } from '../hooks';
import { codegenLoader } from './codegen-loader';
import { registerInsertion } from './insert-command';

/**
 * Installs the `lrScope.insertSchedule` / panel Insert handler and the CodeLens provider. They share
 * one code generator, loaded from `dist/` on first use (never on activation).
 */
export function registerScheduleFeatures(context: vscode.ExtensionContext, host: LrScopeHost, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const codegen = codegenLoader(context.asAbsolutePath('dist'));
  return [registerInsertion({ host, codegen, log }), registerCodeLens({ host, codegen, log })];
}
