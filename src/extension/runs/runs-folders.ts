/**
 * Where run records live: one runs folder per workspace folder (`lrScope.runsFolder`, confined to
 * the folder when the workspace sets it), the extension's storage when no folder is open. Watches
 * them and fires `onDidChange` when records are added, changed or removed.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { confinedRunsDir } from '../settings';

export class RunsFolders implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Records changed on disk, or a run ended (its record is written). */
  readonly onDidChange = this.changed.event;
  /** Workspace runs-folder settings already refused (warned about once). */
  private readonly refused = new Set<string>();
  private watchers: vscode.FileSystemWatcher[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Starts watching (again when the folders or the setting change). */
  watch(): void {
    this.rewatch();
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rewatch()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrScope.runsFolder')) this.rewatch();
      }),
    );
  }

  /** Says that records changed without waiting for a file event (a run just ended). */
  fire(): void {
    this.changed.fire();
  }

  /** One runs folder per workspace folder; the extension's storage when no folder is open. */
  dirs(): string[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return [join(this.storageDir, 'runs')];
    return [...new Set(folders.map((f) => this.dirOf(f)))];
  }

  /** The runs folder for a run on `file`: its workspace folder's, else the first folder's, else storage. */
  dirFor(file: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return join(this.storageDir, 'runs');
    return this.dirOf(folder);
  }

  dispose(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.changed.dispose();
  }

  private dirOf(folder: vscode.WorkspaceFolder): string {
    const { dir, refused } = confinedRunsDir(vscode.workspace.getConfiguration('lrScope', folder.uri).inspect('runsFolder'), folder.uri.fsPath);
    if (refused && !this.refused.has(refused)) {
      this.refused.add(refused);
      this.log.warn(refused);
      void vscode.window.showWarningMessage(`LR Scope: ${refused}`);
    }
    return dir;
  }

  /**
   * One watcher per runs folder. Inside a workspace folder the pattern is relative to that folder,
   * so records are seen even when the runs folder does not exist yet; outside (absolute settings,
   * storage) the folder itself is watched.
   */
  private rewatch(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    const fire = (): void => this.changed.fire();
    this.watchers = this.patterns().map((pattern) => {
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      w.onDidCreate(fire);
      w.onDidChange(fire);
      w.onDidDelete(fire);
      return w;
    });
    fire();
  }

  private patterns(): vscode.RelativePattern[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return [new vscode.RelativePattern(vscode.Uri.file(this.dirs()[0]!), '*.json')];
    return folders.map((folder) => {
      const dir = this.dirOf(folder);
      const inside = relative(folder.uri.fsPath, dir);
      return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)
        ? new vscode.RelativePattern(folder, `${inside.split(sep).join('/')}/*.json`)
        : new vscode.RelativePattern(vscode.Uri.file(dir), '*.json');
    });
  }
}
