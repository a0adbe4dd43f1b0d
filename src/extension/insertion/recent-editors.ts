/**
 * Remembers the text editors the user worked in, newest first, so the panel's Insert button (which
 * takes the focus away from every editor) still knows which file the user meant.
 */
import * as vscode from 'vscode';

const LIMIT = 20;

export class RecentEditors implements vscode.Disposable {
  private readonly uris: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor() {
    if (vscode.window.activeTextEditor) this.remember(vscode.window.activeTextEditor.document);
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) this.remember(editor.document);
    });
  }

  private remember(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    const key = document.uri.toString();
    const at = this.uris.indexOf(key);
    if (at >= 0) this.uris.splice(at, 1);
    this.uris.unshift(key);
    this.uris.length = Math.min(this.uris.length, LIMIT);
  }

  /** The most recently active open document that satisfies `accept`, if any. */
  find(accept: (document: vscode.TextDocument) => boolean): vscode.TextDocument | undefined {
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const key of this.uris) {
      const document = open.get(key);
      if (document && !document.isClosed && accept(document)) return document;
    }
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
