/**
 * The run commands: range tests (an experiment, the bundled example, a PyTorch script), training,
 * Stop. Each asks what it needs, builds the engine's start parameters and hands them to the run
 * controller.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { StartParams } from '../../protocol/engine';
import type { CommandEntry } from '../command-table';
import { rememberEpochs, scheduleContextFor, settingsFor } from '../configuration';
import { interpreterFromPythonApi, PYTHON_EXTENSION_ID, resolvePython, type ResolvedPython } from '../python-interpreter';
import { exampleRunTarget } from '../experiments/bundled-example';
import { rerunParams } from '../runs-view/rerun';
import { rerunSource } from '../runs-view/runs-tree';
import { ensureTrusted } from '../trust';
import { pickExperiment, pickPythonScript, runLabel } from './experiment-picker';
import type { LrRecommendation } from './recommendations';
import type { RunController } from './run-controller';
import type { RunsFolders } from './runs-folders';
import { checkNodePath, searchFrom } from './start-checks';
import type { Codegen } from '../../codegen/index';
import type { RunRecord } from '../../core/runs/record';
import type { DescribeParams, ExperimentShape } from '../../protocol/engine';
import { trainWithSchedule } from '../training/train-command';

/** The bundled example that "Run Range Test on Example" runs (shipped in the .vsix under examples/). */
export const EXAMPLE_EXPERIMENT = 'examples/digits.experiment.ts';

export interface RunCommandDeps {
  controller: RunController;
  folders: RunsFolders;
  log: vscode.LogOutputChannel;
  workspaceState: vscode.Memento;
  /** Absolute path of the bundled example. */
  examplePath: string;
  latestRecommendation(experimentPath?: string): Promise<LrRecommendation | undefined>;
  /** The engine's `describe` of an experiment (Train reads its epochs and batches per epoch). */
  describe(params: DescribeParams): Promise<ExperimentShape>;
  codegen(): Promise<Codegen>;
  /** Every saved run record. */
  records(): Promise<RunRecord[]>;
}

export function runCommands(deps: RunCommandDeps): CommandEntry[] {
  return [
    { command: 'lrScope.runRangeTest', run: (arg) => runRangeTest(deps, arg) },
    { command: 'lrScope.runRangeTestOnExample', run: () => runRangeTest(deps, vscode.Uri.file(deps.examplePath), { bundled: true }) },
    { command: 'lrScope.runPythonRangeTest', run: (arg) => runPythonRangeTest(deps, arg) },
    { command: 'lrScope.train', run: (arg) => train(deps, arg) },
    {
      command: 'lrScope.stopRun',
      run: () => {
        if (!deps.controller.stop()) void vscode.window.showInformationMessage('LR Scope: no run is in progress.');
      },
    },
    { command: 'lrScope.runs.rerun', run: (node) => rerun(deps, node) },
  ];
}

/** `bundled`: the example shipped with LR Scope, which runs in Restricted Mode too (exampleRunTarget). */
async function runRangeTest(deps: RunCommandDeps, arg: unknown, { bundled = false } = {}): Promise<void> {
  if (!bundled && !(await ensureTrusted('run a range test'))) return;
  const uri = await pickExperiment(arg, 'Run Range Test');
  if (!uri) return;
  const params = await rangeTestParams(deps, uri, { bundled });
  if (params) await deps.controller.run(params, runLabel(uri.fsPath));
}

/** A range test on an unmodified PyTorch script, through the engine child's probe. */
async function runPythonRangeTest(deps: RunCommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureTrusted('run a Python script'))) return;
  const uri = await pickPythonScript(arg, 'Run Range Test on Python Script');
  if (!uri) return;
  const params = await rangeTestParams(deps, uri);
  if (params) await deps.controller.run(params, basename(uri.fsPath));
}

async function train(deps: RunCommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureTrusted('train'))) return;
  await trainWithSchedule(
    {
      settings: (uri) => settingsFor(uri),
      latestRecommendation: (path) => deps.latestRecommendation(path),
      describe: (params) => deps.describe(params),
      codegen: () => deps.codegen(),
      records: () => deps.records(),
      run: (params, label) => deps.controller.run(params, label),
      runsDirFor: (uri) => deps.folders.dirFor(uri),
      searchFrom,
      checkNodePath,
      pythonFor,
      lastEpochs: { get: () => scheduleContextFor(deps.workspaceState).epochs, set: (epochs) => rememberEpochs(deps.workspaceState, epochs) },
      log: deps.log,
    },
    arg,
  );
}

const PYTHON_SOURCE_TEXT: Record<ResolvedPython['source'], string> = {
  setting: 'setting lrScope.pythonPath',
  'python-extension': 'selected in the Python extension',
  default: 'default; set lrScope.pythonPath or select an interpreter in the Python extension to change it',
};

/** A range test's params on an experiment or a PyTorch script (`.py`), from the settings; undefined after a message. */
export async function rangeTestParams(deps: Pick<RunCommandDeps, 'folders' | 'log'>, uri: vscode.Uri, { bundled = false } = {}): Promise<StartParams | undefined> {
  if (!existsSync(uri.fsPath)) throw new Error(`${uri.fsPath} does not exist.`);
  if (!checkNodePath(uri)) return undefined;
  const s = settingsFor(uri);
  const options = { startLr: s.rangeTest.startLr, endLr: s.rangeTest.endLr, steps: s.rangeTest.steps, divergeFactor: s.rangeTest.divergeFactor };
  if (!uri.fsPath.toLowerCase().endsWith('.py')) {
    const target = bundled ? exampleRunTarget(vscode.workspace.isTrusted, s.backend, searchFrom(uri)) : { backend: s.backend, searchFrom: searchFrom(uri) };
    return { kind: 'range-test', experimentPath: uri.fsPath, ...target, runsDir: deps.folders.dirFor(uri), options };
  }
  // The script runs from disk: unsaved edits would silently not be part of the run.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const python = await pythonFor(uri, s.pythonPath);
  deps.log.info(`Python for ${basename(uri.fsPath)}: ${python.command} (${PYTHON_SOURCE_TEXT[python.source]})`);
  return {
    kind: 'range-test',
    experimentPath: uri.fsPath,
    backend: s.backend,
    runsDir: deps.folders.dirFor(uri),
    python: python.command,
    ...(s.pythonLauncher ? { launcher: s.pythonLauncher } : {}),
    options,
  };
}

/** The Runs view's Re-run: the same experiment or script with the options its record holds. */
async function rerun(deps: RunCommandDeps, node: unknown): Promise<void> {
  const run = rerunSource(node);
  if (!run) return;
  const path = run.record.experiment.path;
  const bundled = path === deps.examplePath;
  if (!bundled && !(await ensureTrusted('re-run a range test or training run'))) return;
  if (!existsSync(path)) throw new Error(`${path} no longer exists, so its run cannot be repeated.`);
  const uri = vscode.Uri.file(path);
  if (!checkNodePath(uri)) return;
  const again = rerunParams(run.record, { runsDir: deps.folders.dirFor(uri), searchFrom: searchFrom(uri), backend: settingsFor(uri).backend });
  if (!again.ok) throw new Error(again.message);
  const params = bundled ? { ...again.params, ...exampleRunTarget(vscode.workspace.isTrusted, again.params.backend, again.params.searchFrom ?? []) } : again.params;
  await deps.controller.run(params, path.endsWith('.py') ? basename(path) : runLabel(path));
}

/** The interpreter for `uri`: the setting, else the Python extension's selection, else python3. */
function pythonFor(uri: vscode.Uri, setting: string): Promise<ResolvedPython> {
  return resolvePython(setting, async () => {
    const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
    if (!extension) return undefined;
    const api: unknown = extension.isActive ? extension.exports : await extension.activate();
    return interpreterFromPythonApi(api, uri);
  });
}
