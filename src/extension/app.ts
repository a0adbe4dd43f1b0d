/**
 * The extension's composition: the parts each feature needs, created once and passed to it
 * directly, and one table of every command (each feature exports its entries). `main.ts` creates
 * one on activation.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeExperiment } from '../host/describe';
import { forkLauncher } from '../host/engine-process';
import { RunManager } from '../host/run-manager';
import { registerCommandTable } from './command-table';
import { registerCodeLens } from './codelens/provider';
import { scheduleContextFor, settingsFor } from './configuration';
import { insertionCommands } from './insertion/commands';
import { codegenLoader } from './insertion/codegen-loader';
import { createInsertion } from './insertion/insert-command';
import { panelLrSource, type LrSource } from './insertion/provenance';
import { logCommands } from './logs/commands';
import { experimentCommands, registerTypesQuickFix } from './experiments/register';
import { lazyExternalLogs } from './logs/logs-loader';
import { panelCommands, showRecords } from './panel/commands';
import { createPanelActions } from './panel/panel-actions';
import { RESULTS_VIEW_TYPE, ResultsPanel } from './panel/results-panel';
import { stateOfSource } from './panel/saved-state';
import { EXAMPLE_EXPERIMENT, rangeTestParams, runCommands } from './runs/commands';
import { Recommendations } from './runs/recommendations';
import { writeRecordAtomic } from './runs/record-file';
import { RunController } from './runs/run-controller';
import { RunsFolders } from './runs/runs-folders';
import { runsViewCommands } from './runs-view/commands';
import { RunsTreeProvider, type RunNode } from './runs-view/runs-tree';
import { sweepCommands } from './sweep/commands';

const CANCEL_GRACE_MS = 5000;

export interface LrScopeExtension extends vscode.Disposable {
  /** Kills a running engine (its partial record is saved) and stops a log watch. */
  shutdown(): Promise<void>;
}

export function createExtension(context: vscode.ExtensionContext): LrScopeExtension {
  const { workspaceState } = context;
  const log = vscode.window.createOutputChannel('LR Scope', { log: true });
  // The one code generator of the extension (Copy, Insert, CodeLens), loaded from dist/ on first use.
  const codegen = codegenLoader(context.asAbsolutePath('dist'));
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? 'dev');
  const folders = new RunsFolders(context.globalStorageUri.fsPath, log);
  const tree = new RunsTreeProvider(() => folders.dirs());
  const recommendations = new Recommendations(async () => (await tree.runs()).map((r) => r.record));
  const insertion = createInsertion({
    codegen,
    log,
    defaults: (resource) => {
      const s = settingsFor(vscode.Uri.file(resource));
      return { framework: s.defaultFramework, flavor: s.oneCycleFlavor };
    },
    latestRecommendation: (path) => recommendations.latest(path),
  });
  const manager = new RunManager({
    launch: (onOutput) => forkLauncher({ enginePath: context.asAbsolutePath(join('dist', 'engine.js')), nodePath: settingsFor().nodePath })(onOutput),
    saveRecord: writeRecordAtomic,
    hashFile: async (path) => createHash('sha256').update(await readFile(path)).digest('hex'),
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    cancelGraceMs: CANCEL_GRACE_MS,
    now: () => new Date(),
    lrscopeVersion: version,
    reportError: (err) => log.error(`a view of the live run failed: ${err instanceof Error && err.stack ? err.stack : String(err)}`),
  });
  const panel = new ResultsPanel(
    context,
    createPanelActions({
      stop: (runId) => (logs.watches(runId) ? void logs.stopWatching() : controller.stop()),
      insert: insertion.insert,
      pick: (runId, lr) => recommendations.pick(runId, lr),
      log,
      codegen,
      lrSource: async (): Promise<LrSource | undefined> => panelLrSource(panel.current?.state, (await tree.runs()).map((r) => r.record), recommendations.pickedLr),
    }),
  );
  const controller = new RunController({
    manager,
    panel,
    log,
    scheduleContext: (resource) => scheduleContextFor(workspaceState, resource),
    onRecordWritten: () => folders.fire(),
  });
  const logs = lazyExternalLogs({
    panel,
    log,
    scheduleContext: () => scheduleContextFor(workspaceState),
    runsDirFor: (file) => folders.dirFor(file),
    records: () => tree.runs(),
    recordsChanged: () => folders.fire(),
    idleSeconds: (file) => settingsFor(file).logWatchIdleSeconds,
    lrscopeVersion: version,
  });
  const treeView = vscode.window.createTreeView('lrScope.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: false });

  const commands = [
    ...runCommands({
      controller,
      folders,
      log,
      workspaceState,
      examplePath: context.asAbsolutePath(EXAMPLE_EXPERIMENT),
      latestRecommendation: (path) => recommendations.latest(path),
      describe: (params) =>
        describeExperiment(forkLauncher({ enginePath: context.asAbsolutePath(join('dist', 'engine.js')), nodePath: settingsFor().nodePath }), params, {
          onOutput: (text) => log.info(`[engine] ${text.trimEnd()}`),
          killAfterMs: CANCEL_GRACE_MS,
        }),
      codegen,
      records: async () => (await tree.runs()).map((r) => r.record),
    }),
    ...sweepCommands({
      rangeTestParams: (uri) => rangeTestParams({ folders, log }, uri),
      run: (params, label) => controller.run(params, label, { announce: false }),
      compare: async (runs) => showRecords(panel, workspaceState, runs),
      log,
    }),
    ...panelCommands({ panel, workspaceState, showLive: () => controller.showLive(), runs: () => tree.runs() }),
    ...insertionCommands(insertion.insert),
    ...logCommands(logs),
    ...experimentCommands({ extensionPath: context.extensionUri.fsPath, codegen, log }),
    ...runsViewCommands({ tree, treeView: treeView as vscode.TreeView<RunNode>, folders, panel, workspaceState, log }),
  ];

  const disposables: vscode.Disposable[] = [
    log,
    controller,
    panel,
    logs,
    tree,
    treeView,
    folders,
    insertion.disposable,
    folders.onDidChange(() => tree.refresh()),
    controller.onDidStartRun((run) => tree.observe(run)),
    registerCodeLens({ codegen, log, latestRecommendation: (path) => recommendations.latest(path), onDidChangeRuns: folders.onDidChange }),
    ...registerCommandTable(commands, log),
    registerTypesQuickFix(),
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel) => {
        panel.restore(webviewPanel, await stateOfSource(panel.savedSource ?? { kind: 'empty' }, workspaceState, logs));
      },
    }),
  ];
  folders.watch();
  void vscode.commands.executeCommand('setContext', 'lrScope.running', false);
  void vscode.commands.executeCommand('setContext', 'lrScope.watchingLog', false);

  return {
    shutdown: async () => {
      await Promise.all([manager.dispose(), logs.stopWatching()]);
    },
    dispose: () => {
      void manager.dispose();
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}
