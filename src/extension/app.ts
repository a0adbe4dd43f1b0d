/**
 * The extension's composition: settings, run manager + run UI, results panel (+ serializer), runs
 * view, external logs, and every command. `main.ts` creates one on activation.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { formatLr } from '../core/analysis/index';
import type { Codegen } from '../codegen/index';
import type { RunRecord } from '../core/runs/record';
import type { StartParams } from '../protocol/engine';
import type { PanelState } from '../protocol/webview';
import { InsertScheduleSlot, type LrRecommendation, type LrScopeHost } from './hooks';
import { codegenLoader } from './insertion/codegen-loader';
import { panelLrSource } from './insertion/provenance';
import { ExternalLogs } from './logs/external-logs';
import { createPanelActions } from './panel/panel-actions';
import { isPanelSource, stateFromRecords, stepsPerEpochOf, type PanelSource, type ScheduleContext } from './panel/panel-source';
import { RESULTS_VIEW_TYPE, ResultsPanel } from './panel/results-panel';
import { describeExperiment } from '../host/describe';
import { forkLauncher } from '../host/engine-process';
import { trainWithSchedule, type TrainDeps } from './training/train-command';
import { EXPERIMENT_PATTERN, pickExperiment, pickPythonScript } from './runs/experiment-picker';
import { interpreterFromPythonApi, PYTHON_EXTENSION_ID, resolvePython, type ResolvedPython } from './python-interpreter';
import { RunController } from './runs/run-controller';
import { RunManager } from '../host/run-manager';
import { deleteRecord, readRecord, writeRecordAtomic } from './runs/record-file';
import { RunsTreeProvider, type RunNode } from './runs-view/runs-tree';
import { experimentName } from './runs-view/run-summary';
import { confinedRunsDir, readSettings, type LrScopeSettings } from './settings';
import { ensureTrusted } from './trust';

const CANCEL_GRACE_MS = 5000;
const LAST_EPOCHS_KEY = 'lrScope.lastEpochs';
const DEFAULT_EPOCHS = 5;
const DEFAULT_STEPS_PER_EPOCH = 100;
/** The bundled example that "Run Range Test on Example" runs (shipped in the .vsix under examples/). */
export const EXAMPLE_EXPERIMENT = 'examples/digits.experiment.ts';

export class LrScopeExtension implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly insertSlot = new InsertScheduleSlot();
  readonly runs: RunsTreeProvider;
  private readonly manager: RunManager;
  private readonly runController: RunController;
  private readonly panel: ResultsPanel;
  private readonly logs: ExternalLogs;
  private readonly treeView: vscode.TreeView<RunNode>;
  private readonly runsChanged = new vscode.EventEmitter<void>();
  /** The one code generator of the extension (Copy, Insert, CodeLens), loaded from dist/ on first use. */
  private readonly codegen: () => Promise<Codegen>;
  private picked: { runId: string; lr: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Workspace runs-folder settings already refused (warned about once). */
  private readonly refusedRunsFolders = new Set<string>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('LR Scope', { log: true });
    this.codegen = codegenLoader(context.asAbsolutePath('dist'));
    const version = String((context.extension.packageJSON as { version?: unknown }).version ?? 'dev');
    this.manager = new RunManager({
      launch: (onOutput) => forkLauncher({ enginePath: context.asAbsolutePath(join('dist', 'engine.js')), nodePath: this.settings().nodePath })(onOutput),
      saveRecord: writeRecordAtomic,
      hashFile: async (path) => createHash('sha256').update(await readFile(path)).digest('hex'),
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      cancelGraceMs: CANCEL_GRACE_MS,
      now: () => new Date(),
      lrscopeVersion: version,
    });
    this.panel = new ResultsPanel(
      context,
      createPanelActions({
        stop: () => this.runController.stop(),
        insert: this.insertSlot,
        pick: (runId, lr) => (this.picked = lr === null ? undefined : { runId, lr }),
        log: this.log,
        codegen: this.codegen,
        lrSource: async () => panelLrSource(this.panel.current?.state, (await this.runs.runs()).map((r) => r.record), this.picked),
      }),
    );
    this.runController = new RunController({
      manager: this.manager,
      panel: this.panel,
      log: this.log,
      scheduleContext: (resource) => this.scheduleContext(resource),
      onRecordWritten: () => this.recordsChanged(),
    });
    this.logs = new ExternalLogs(this.panel, this.log, () => this.scheduleContext());
    this.runs = new RunsTreeProvider(() => this.runsDirs());
    this.treeView = vscode.window.createTreeView('lrScope.runs', { treeDataProvider: this.runs, canSelectMany: true, showCollapseAll: false });
    this.disposables.push(this.log, this.runController, this.panel, this.logs, this.runs, this.treeView, this.runsChanged);
    this.watchRecords();
    this.registerCommands();
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel) => {
          const source = this.panel.savedSource ?? { kind: 'empty' };
          this.panel.restore(webviewPanel, await this.stateOf(source));
        },
      }),
    );
    void vscode.commands.executeCommand('setContext', 'lrScope.running', false);
    void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', false);
  }

  /** The hooks later features (insertion, CodeLens) use. */
  host(): LrScopeHost {
    return {
      setInsertScheduleHandler: (handler) => this.insertSlot.set(handler),
      codegen: this.codegen,
      latestRecommendation: (experimentPath) => this.latestRecommendation(experimentPath),
      defaults: (resource) => {
        const s = this.settings(resource ? vscode.Uri.file(resource) : undefined);
        return { framework: s.defaultFramework, flavor: s.oneCycleFlavor };
      },
      showSchedule: (maxLr) => this.showSchedule(maxLr),
      runRangeTest: (experimentPath) => this.runRangeTest(vscode.Uri.file(experimentPath)),
      trainOneCycle: (experimentPath) => this.train(vscode.Uri.file(experimentPath)),
      onDidChangeRuns: (listener) => this.runsChanged.event(listener),
    };
  }

  /** Kills a running engine (its partial record is saved) and stops a log watch. */
  async shutdown(): Promise<void> {
    await Promise.all([this.manager.dispose(), this.logs.stopWatching()]);
  }

  dispose(): void {
    void this.manager.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  // ------------------------------------------------------------------------------------------
  // settings and folders

  settings(scope?: vscode.Uri): LrScopeSettings {
    const config = vscode.workspace.getConfiguration('lrScope', scope);
    return readSettings((key) => config.get(key));
  }

  /** One runs folder per workspace folder; the extension's storage when no folder is open. */
  runsDirs(): string[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return [join(this.context.globalStorageUri.fsPath, 'runs')];
    return [...new Set(folders.map((f) => this.runsDirOf(f)))];
  }

  /** A workspace folder's runs folder (`lrScope.runsFolder`, confined to the folder when the workspace sets it). */
  private runsDirOf(folder: vscode.WorkspaceFolder): string {
    const { dir, refused } = confinedRunsDir(vscode.workspace.getConfiguration('lrScope', folder.uri).inspect('runsFolder'), folder.uri.fsPath);
    if (refused && !this.refusedRunsFolders.has(refused)) {
      this.refusedRunsFolders.add(refused);
      this.log.warn(refused);
      void vscode.window.showWarningMessage(`LR Scope: ${refused}`);
    }
    return dir;
  }

  /** Glob patterns of the run records of every runs folder (see `watchRecords`). */
  private recordPatterns(): vscode.RelativePattern[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return [new vscode.RelativePattern(vscode.Uri.file(this.runsDirs()[0]!), '*.json')];
    return folders.map((folder) => {
      const dir = this.runsDirOf(folder);
      const inside = relative(folder.uri.fsPath, dir);
      return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)
        ? new vscode.RelativePattern(folder, `${inside.split(sep).join('/')}/*.json`)
        : new vscode.RelativePattern(vscode.Uri.file(dir), '*.json');
    });
  }

  /** The runs folder for a run on `file`: its workspace folder's, else the first folder's, else storage. */
  private runsDirFor(file: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return join(this.context.globalStorageUri.fsPath, 'runs');
    return this.runsDirOf(folder);
  }

  private scheduleContext(resource?: vscode.Uri): ScheduleContext {
    const s = this.settings(resource);
    const epochs = this.context.workspaceState.get<number>(LAST_EPOCHS_KEY);
    return {
      flavor: s.oneCycleFlavor,
      framework: s.defaultFramework,
      epochs: typeof epochs === 'number' && Number.isInteger(epochs) && epochs > 0 ? epochs : DEFAULT_EPOCHS,
      stepsPerEpoch: DEFAULT_STEPS_PER_EPOCH,
    };
  }

  /** Run records changed on disk: the runs view and everyone listening (CodeLenses) refresh. */
  private recordsChanged(): void {
    this.runs.refresh();
    this.runsChanged.fire();
  }

  private watchRecords(): void {
    const refresh = (): void => this.recordsChanged();
    // One watcher per runs folder. Inside a workspace folder the pattern is relative to that folder,
    // so records are seen even when the runs folder does not exist yet; outside (absolute settings,
    // storage) the folder itself is watched.
    let watchers: vscode.FileSystemWatcher[] = [];
    const rewatch = (): void => {
      for (const w of watchers) w.dispose();
      watchers = this.recordPatterns().map((pattern) => {
        const w = vscode.workspace.createFileSystemWatcher(pattern);
        w.onDidCreate(refresh);
        w.onDidChange(refresh);
        w.onDidDelete(refresh);
        return w;
      });
      refresh();
    };
    rewatch();
    this.disposables.push(
      { dispose: () => watchers.forEach((w) => w.dispose()) },
      vscode.workspace.onDidChangeWorkspaceFolders(rewatch),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrScope.runsFolder')) rewatch();
      }),
    );
  }

  // ------------------------------------------------------------------------------------------
  // commands

  private registerCommands(): void {
    const register = (id: string, fn: (...args: unknown[]) => unknown): void => {
      this.disposables.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            await fn(...args);
          } catch (err) {
            // The extension host never throws into VS Code: say what failed, keep the details in the log.
            const message = err instanceof Error ? err.message : String(err);
            this.log.error(`${id}: ${err instanceof Error && err.stack ? err.stack : message}`);
            void vscode.window.showErrorMessage(`LR Scope: ${message}`);
          }
        }),
      );
    };
    register('lrScope.runRangeTest', (arg) => this.runRangeTest(arg));
    register('lrScope.runRangeTestOnExample', () => this.runRangeTest(vscode.Uri.file(this.context.asAbsolutePath(EXAMPLE_EXPERIMENT))));
    register('lrScope.runPythonRangeTest', (arg) => this.runPythonRangeTest(arg));
    register('lrScope.train', (arg) => this.train(arg));
    register('lrScope.stopRun', () => {
      if (!this.runController.stop()) void vscode.window.showInformationMessage('LR Scope: no run is in progress.');
    });
    register('lrScope.showResults', () => this.showResults());
    register('lrScope.insertSchedule', async (...args) => {
      const result = await this.insertSlot.run({ source: 'command', args });
      if (result?.level === 'error') void vscode.window.showErrorMessage(`LR Scope: ${result.message}`);
      else if (result?.level === 'warning') void vscode.window.showWarningMessage(`LR Scope: ${result.message}`);
      else if (result) void vscode.window.showInformationMessage(`LR Scope: ${result.message}`);
    });
    register('lrScope.compareRuns', () => this.compareRuns());
    register('lrScope.importLog', (arg) => this.logs.importLog(arg));
    register('lrScope.watchLog', (arg) => this.logs.watchLog(arg));
    register('lrScope.stopWatchingLog', () => this.logs.stopWatching());
    register('lrScope.runs.refresh', () => this.runs.refresh());
    register('lrScope.runs.open', (node) => this.openRuns(this.selectedRuns(node, undefined)));
    register('lrScope.runs.compare', (node, selection) => {
      const picked = this.selectedRuns(node, selection);
      return picked.length >= 2 ? this.openRuns(picked) : this.compareRuns(picked.map((p) => p.path));
    });
    register('lrScope.runs.delete', (node, selection) => this.deleteRuns(this.selectedRuns(node, selection)));
    register('lrScope.runs.revealRecord', async (node) => {
      const [run] = this.selectedRuns(node, undefined);
      if (run) await vscode.window.showTextDocument(vscode.Uri.file(run.path));
    });
  }

  private async runRangeTest(arg: unknown): Promise<void> {
    if (!(await ensureTrusted('run a range test'))) return;
    const uri = await pickExperiment(arg, 'Run Range Test');
    if (!uri) return;
    if (!existsSync(uri.fsPath)) throw new Error(`${uri.fsPath} does not exist.`);
    if (!this.checkNodePath(uri)) return;
    const s = this.settings(uri);
    const params: StartParams = {
      kind: 'range-test',
      experimentPath: uri.fsPath,
      backend: s.backend,
      runsDir: this.runsDirFor(uri),
      searchFrom: this.searchFrom(uri),
      options: { startLr: s.rangeTest.startLr, endLr: s.rangeTest.endLr, steps: s.rangeTest.steps, divergeFactor: s.rangeTest.divergeFactor },
    };
    await this.runController.run(params, labelOf(uri.fsPath));
  }

  /** A range test on an unmodified PyTorch script, through the engine child's probe (issue 5 §2). */
  private async runPythonRangeTest(arg: unknown): Promise<void> {
    if (!(await ensureTrusted('run a Python script'))) return;
    const uri = await pickPythonScript(arg, 'Run Range Test on Python Script');
    if (!uri) return;
    if (!existsSync(uri.fsPath)) throw new Error(`${uri.fsPath} does not exist.`);
    if (!this.checkNodePath(uri)) return;
    // The script runs from disk: unsaved edits would silently not be part of the run.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    const s = this.settings(uri);
    const python = await this.pythonFor(uri, s.pythonPath);
    this.log.info(`Python for ${basename(uri.fsPath)}: ${python.command} (${PYTHON_SOURCE_TEXT[python.source]})`);
    const params: StartParams = {
      kind: 'range-test',
      experimentPath: uri.fsPath,
      backend: s.backend,
      runsDir: this.runsDirFor(uri),
      python: python.command,
      ...(s.pythonLauncher ? { launcher: s.pythonLauncher } : {}),
      options: { startLr: s.rangeTest.startLr, endLr: s.rangeTest.endLr, steps: s.rangeTest.steps, divergeFactor: s.rangeTest.divergeFactor },
    };
    await this.runController.run(params, basename(uri.fsPath));
  }

  /** The interpreter for `uri`: the setting, else the Python extension's selection, else python3. */
  private pythonFor(uri: vscode.Uri, setting: string): Promise<ResolvedPython> {
    return resolvePython(setting, async () => {
      const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
      if (!extension) return undefined;
      const api: unknown = extension.isActive ? extension.exports : await extension.activate();
      return interpreterFromPythonApi(api, uri);
    });
  }

  private async train(arg: unknown): Promise<void> {
    if (!(await ensureTrusted('train'))) return;
    await trainWithSchedule(this.trainDeps(), arg);
  }

  private trainDeps(): TrainDeps {
    return {
      settings: (uri) => this.settings(uri),
      latestRecommendation: (path) => this.latestRecommendation(path),
      describe: (params) =>
        describeExperiment(
          forkLauncher({ enginePath: this.context.asAbsolutePath(join('dist', 'engine.js')), nodePath: this.settings().nodePath }),
          params,
          { onOutput: (text) => this.log.info(`[engine] ${text.trimEnd()}`), killAfterMs: CANCEL_GRACE_MS },
        ),
      codegen: this.codegen,
      records: async () => (await this.runs.runs()).map((r) => r.record),
      run: (params, label) => this.runController.run(params, label),
      runsDirFor: (uri) => this.runsDirFor(uri),
      searchFrom: (uri) => this.searchFrom(uri),
      checkNodePath: (uri) => this.checkNodePath(uri),
      pythonFor: (uri, setting) => this.pythonFor(uri, setting),
      lastEpochs: {
        get: () => {
          const epochs = this.context.workspaceState.get<number>(LAST_EPOCHS_KEY);
          return typeof epochs === 'number' && Number.isInteger(epochs) && epochs > 0 ? epochs : undefined;
        },
        set: (epochs) => void this.context.workspaceState.update(LAST_EPOCHS_KEY, epochs),
      },
      log: this.log,
    };
  }

  private checkNodePath(resource: vscode.Uri): boolean {
    const nodePath = this.settings(resource).nodePath;
    if (nodePath === '' || existsSync(nodePath)) return true;
    const open = 'Open Settings';
    void vscode.window
      .showErrorMessage(`LR Scope: lrScope.nodePath is set to ${nodePath}, which does not exist. Clear it to use VS Code's own runtime, or point it at a node executable.`, open)
      .then((c) => c === open && vscode.commands.executeCommand('workbench.action.openSettings', 'lrScope.nodePath'));
    return false;
  }

  /** Folders to resolve @tensorflow/tfjs-node from: the experiment's folder and the workspace folders. */
  private searchFrom(uri: vscode.Uri): string[] {
    return [...new Set([dirname(uri.fsPath), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)])];
  }

  private async showResults(): Promise<void> {
    if (this.runController.showLive()) return;
    const current = this.panel.current;
    if (current) {
      this.panel.show(current.state, this.panel.savedSource ?? { kind: 'empty' });
      return;
    }
    const [latest] = await this.runs.runs();
    if (latest) {
      await this.openRuns([latest]);
      return;
    }
    this.panel.show(
      { view: 'empty', message: 'No runs yet. Run "LR Scope: Run Range Test on Example", run a range test on your own experiment, or import an LR log.' },
      { kind: 'empty' },
    );
  }

  private showSchedule(maxLr: number | null): void {
    const c = this.scheduleContext();
    this.panel.show(
      { view: 'schedule', maxLr, schedule: { flavor: c.flavor, framework: c.framework, epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch } },
      { kind: 'schedule', maxLr },
    );
  }

  private async compareRuns(preselected: string[] = []): Promise<void> {
    const runs = (await this.runs.runs()).filter((r) => r.record.kind === 'range-test' && r.record.points.length > 0);
    if (runs.length < 2) {
      void vscode.window.showInformationMessage('LR Scope: comparing needs at least two saved range tests (e.g. one per weight decay or batch size).');
      return;
    }
    const items = runs.map((r) => ({
      label: experimentName(r.record),
      description: `${r.record.startedAt.slice(0, 16).replace('T', ' ')} · ${r.record.status}${typeof r.record.recommendation?.lr === 'number' ? ` · lr ${formatLr(r.record.recommendation.lr)}` : ''}`,
      detail: optionsText(r.record),
      picked: preselected.includes(r.path),
      run: r,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'LR Scope: Compare Runs', placeHolder: 'Range tests to overlay (two or more)', canPickMany: true, matchOnDetail: true });
    if (!picked) return;
    if (picked.length < 2) {
      void vscode.window.showInformationMessage('LR Scope: pick two or more runs to compare.');
      return;
    }
    await this.openRuns(picked.map((p) => p.run));
  }

  private async openRuns(runs: Array<{ path: string; record: RunRecord }>): Promise<void> {
    if (runs.length === 0) return;
    const context = this.scheduleContext(vscode.Uri.file(runs[0]!.record.experiment.path));
    this.panel.show(stateFromRecords(runs.map((r) => r.record), context), { kind: 'records', paths: runs.map((r) => r.path) });
  }

  private async deleteRuns(runs: Array<{ path: string; record: RunRecord }>): Promise<void> {
    if (runs.length === 0) return;
    const what = runs.length === 1 ? `the run ${experimentName(runs[0]!.record)} of ${runs[0]!.record.startedAt.slice(0, 16).replace('T', ' ')}` : `${runs.length} runs`;
    const confirm = runs.length === 1 ? 'Delete Run' : 'Delete Runs';
    const choice = await vscode.window.showWarningMessage(`Delete ${what}? The record file is removed from disk.`, { modal: true }, confirm);
    if (choice !== confirm) return;
    await Promise.all(runs.map((r) => deleteRecord(r.path)));
    this.log.info(`deleted ${runs.map((r) => r.path).join(', ')}`);
    this.recordsChanged();
  }

  /** Tree nodes a view command applies to: the multi-selection when it holds the clicked node. */
  private selectedRuns(node: unknown, selection: unknown): Array<{ path: string; record: RunRecord }> {
    const isRun = (n: unknown): n is Extract<RunNode, { kind: 'run' }> =>
      typeof n === 'object' && n !== null && (n as RunNode).kind === 'run' && typeof (n as { path?: unknown }).path === 'string';
    const fromSelection = Array.isArray(selection) ? selection.filter(isRun) : [];
    if (fromSelection.length > 0) return fromSelection;
    if (isRun(node)) return [node];
    return this.treeView.selection.filter(isRun);
  }

  // ------------------------------------------------------------------------------------------
  // state

  private async latestRecommendation(experimentPath?: string): Promise<LrRecommendation | undefined> {
    const runs = (await this.runs.runs()).map((r) => r.record);
    const sameExperiment = (r: RunRecord): boolean => experimentPath === undefined || r.experiment.path === experimentPath;
    if (this.picked) {
      const { runId, lr } = this.picked;
      const record = runs.find((r) => r.id === runId);
      const path = record?.experiment.path ?? (runId.startsWith('log:') ? runId.slice(4) : undefined);
      if (path !== undefined && (experimentPath === undefined || path === experimentPath)) {
        const steps = record && this.stepsPerEpochFor(path, runs);
        return { lr, origin: 'picked', runId, experimentPath: path, ...(steps ? { stepsPerEpoch: steps } : {}) };
      }
    }
    const withLr = runs.filter((r) => r.kind === 'range-test' && typeof r.recommendation?.lr === 'number');
    const best = withLr.find(sameExperiment);
    if (!best || typeof best.recommendation?.lr !== 'number') return undefined;
    const steps = this.stepsPerEpochFor(best.experiment.path, runs);
    return { lr: best.recommendation.lr, origin: 'recommended', runId: best.id, experimentPath: best.experiment.path, ...(steps ? { stepsPerEpoch: steps } : {}) };
  }

  private stepsPerEpochFor(experimentPath: string, runs: RunRecord[]): number | undefined {
    for (const r of runs) {
      if (r.experiment.path !== experimentPath) continue;
      const steps = stepsPerEpochOf(r);
      if (steps) return steps;
    }
    return undefined;
  }

  /** The panel state for a saved source (serializer, "Show Results"). Never throws. */
  private async stateOf(source: PanelSource): Promise<PanelState> {
    if (!isPanelSource(source)) return { view: 'empty', message: 'Nothing to show.' };
    switch (source.kind) {
      case 'empty':
        return { view: 'empty', message: 'No run is shown. Use "LR Scope: Show Results" or open a run from the LR Scope Runs view.' };
      case 'schedule': {
        const c = this.scheduleContext();
        return { view: 'schedule', maxLr: source.maxLr, schedule: { flavor: c.flavor, framework: c.framework, epochs: c.epochs, stepsPerEpoch: c.stepsPerEpoch } };
      }
      case 'log':
        try {
          return await this.logs.stateOf(source.path);
        } catch (err) {
          return { view: 'empty', message: `The log ${source.path} could not be read again: ${err instanceof Error ? err.message : String(err)}` };
        }
      case 'records': {
        const reads = await Promise.all(source.paths.map((p) => readRecord(p)));
        const records = reads.flatMap((r) => (r.ok ? [r.record] : []));
        return stateFromRecords(records, this.scheduleContext(records[0] ? vscode.Uri.file(records[0].experiment.path) : undefined));
      }
    }
  }
}

const PYTHON_SOURCE_TEXT: Record<ResolvedPython['source'], string> = {
  setting: 'setting lrScope.pythonPath',
  'python-extension': 'selected in the Python extension',
  default: 'default; set lrScope.pythonPath or select an interpreter in the Python extension to change it',
};

function labelOf(path: string): string {
  return basename(path).replace(EXPERIMENT_PATTERN, '') || basename(path);
}

function optionsText(record: RunRecord): string {
  const parts = Object.entries(record.options)
    .filter(([k, v]) => ['weightDecay', 'batchSize', 'steps', 'seed'].includes(k) && (typeof v === 'number' || typeof v === 'string'))
    .map(([k, v]) => `${k} ${String(v)}`);
  return [record.experiment.path, ...parts].join(' · ');
}

