/**
 * "Train with Schedule…" (and the ▶ Train lenses): trains a TF.js experiment in the engine child, or
 * a PyTorch script as it is through the probe (the engine's `train` on a `.py` target, as `lrscope
 * train train.py --one-cycle` does), under a one-cycle or cyclical schedule. It asks only what the
 * file does not say: the experiment's own `epochs` and batches per epoch come from the engine's
 * `describe`; a script's length is its number of optimizer steps, which the insertion planner names
 * and the script's last full training run counts. The LR offered is the file's own (else another
 * run's, named), rounded as it would be written.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RecommendFlavor } from '../../core/analysis/index';
import { FLAVORS } from '../../core/schedules/index';
import type { Codegen } from '../../codegen/index';
import type { RunRecord } from '../../core/runs/record';
import type { DescribeParams, ExperimentShape, StartParams } from '../../protocol/engine';
import type { RunOutcome } from '../../host/run-manager';
import type { LrRecommendation } from '../runs/recommendations';
import { parseCount, parseLr, specFor, stepCountOf } from '../insertion/planning';
import { offeredLr, originSentence, recommendationFor } from '../insertion/provenance';
import { questionsFor, questionTitle, type Question } from '../insertion/questions';
import { EXPERIMENT_PATTERN, pickExperiment } from '../runs/experiment-picker';
import { fullRunSteps } from './script-length';
import type { LrScopeSettings } from '../settings';
import type { ResolvedPython } from '../python-interpreter';

const TITLE = 'LR Scope: Train with Schedule';
const DEFAULT_EPOCHS = 5;

export interface TrainDeps {
  settings(uri: vscode.Uri): LrScopeSettings;
  latestRecommendation(path?: string): Promise<LrRecommendation | undefined>;
  /** The engine's `describe` of an experiment (its epochs and batches per epoch). */
  describe(params: DescribeParams): Promise<ExperimentShape>;
  codegen(): Promise<Codegen>;
  /** Every saved run record (a script's last full training run counts its optimizer steps). */
  records(): Promise<RunRecord[]>;
  /** Runs it with live progress (the run controller). */
  run(params: StartParams, label: string): Promise<RunOutcome | undefined>;
  runsDirFor(uri: vscode.Uri): string;
  searchFrom(uri: vscode.Uri): string[];
  /** False (after saying why) when `lrScope.nodePath` points nowhere. */
  checkNodePath(uri: vscode.Uri): boolean;
  pythonFor(uri: vscode.Uri, setting: string): Promise<ResolvedPython>;
  /** The epochs asked last time (an experiment without `epochs` of its own). */
  lastEpochs: { get(): number | undefined; set(epochs: number): void };
  log: vscode.LogOutputChannel;
}

/** What to train: a `.py` script or an experiment, from the argument (lens, menu), the active editor, else a pick among experiments. */
async function trainTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  const path = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (path !== undefined && (/\.py$/i.test(path) || EXPERIMENT_PATTERN.test(path))) return vscode.Uri.file(path);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.py$/i.test(active.fsPath)) return active;
  return pickExperiment(arg, 'Train with Schedule');
}

class Cancelled extends Error {}

export async function trainWithSchedule(deps: TrainDeps, arg: unknown): Promise<void> {
  const uri = await trainTarget(arg);
  if (!uri) return;
  if (!deps.checkNodePath(uri)) return;
  try {
    if (/\.py$/i.test(uri.fsPath)) await trainScript(deps, uri);
    else await trainExperiment(deps, uri);
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
  }
}

async function trainExperiment(deps: TrainDeps, uri: vscode.Uri): Promise<void> {
  const s = deps.settings(uri);
  const shape = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `LR Scope: reading ${basename(uri.fsPath)}…` },
    () => deps.describe({ experimentPath: uri.fsPath, backend: s.backend, searchFrom: deps.searchFrom(uri) }),
  );
  const questions = questionsFor({ asksFlavor: true, frameworkChoices: 1, maxLr: false, epochs: shape.epochs !== null, stepsPerEpoch: true });
  const flavor = await askFlavor(questions, s.oneCycleFlavor);
  const maxLr = await askMaxLr(questions, await recommendationFor((p) => deps.latestRecommendation(p), uri.fsPath), uri.fsPath);
  let epochs = shape.epochs;
  if (epochs === null) {
    epochs = await askCount(questionTitle(TITLE, questions, 'epochs'), `${basename(uri.fsPath)} does not set \`epochs\`: how many to train (${shape.batchesPerEpoch} batches each)`, deps.lastEpochs.get() ?? DEFAULT_EPOCHS);
    deps.lastEpochs.set(epochs);
  }
  const schedule = specFor(flavor, maxLr, epochs, shape.batchesPerEpoch);
  const params: StartParams = {
    kind: 'train',
    experimentPath: uri.fsPath,
    backend: s.backend,
    runsDir: deps.runsDirFor(uri),
    searchFrom: deps.searchFrom(uri),
    options: { schedule, epochs },
  };
  await deps.run(params, basename(uri.fsPath).replace(EXPERIMENT_PATTERN, '') || basename(uri.fsPath));
}

async function trainScript(deps: TrainDeps, uri: vscode.Uri): Promise<void> {
  // The script runs from disk: unsaved edits would silently not be part of the run.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const s = deps.settings(uri);
  const text = open?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const codegen = await deps.codegen();
  const count = stepCountOf(codegen, 'pytorch', 1e-3, 'pytorch', { text, fileName: uri.fsPath });
  const counted = fullRunSteps(await deps.records(), uri.fsPath);
  const questions = questionsFor({ asksFlavor: true, frameworkChoices: 1, maxLr: false, epochs: false, stepsPerEpoch: false, lengthInSteps: true });
  const flavor = await askFlavor(questions, s.oneCycleFlavor);
  const maxLr = await askMaxLr(questions, await recommendationFor((p) => deps.latestRecommendation(p), uri.fsPath), uri.fsPath);
  const name = basename(uri.fsPath);
  const length = count ? `${name} takes ${count.expr} optimizer steps (${count.describe})` : `${name} does not say how many optimizer steps it takes`;
  const known = counted !== undefined ? `; its last full training run took ${counted}` : '';
  const steps = await askCount(
    questionTitle(TITLE, questions, 'steps'),
    `${length}${known}. The schedule spans this many steps and the script is stopped after them.`,
    counted,
  );
  const python = await deps.pythonFor(uri, s.pythonPath);
  deps.log.info(`Python for ${name}: ${python.command}`);
  const params: StartParams = {
    kind: 'train',
    experimentPath: uri.fsPath,
    backend: s.backend,
    runsDir: deps.runsDirFor(uri),
    python: python.command,
    ...(s.pythonLauncher ? { launcher: s.pythonLauncher } : {}),
    options: { schedule: specFor(flavor, maxLr, 1, steps), steps },
  };
  await deps.run(params, name);
}

async function askFlavor(questions: readonly Question[], preferred: RecommendFlavor): Promise<RecommendFlavor> {
  const items = FLAVORS.map((f) => ({ label: f.label, description: f.description, flavor: f.id })).sort((a, b) => Number(b.flavor === preferred) - Number(a.flavor === preferred));
  const picked = await vscode.window.showQuickPick(items, { title: questionTitle(TITLE, questions, 'flavor'), placeHolder: 'Schedule to train with' });
  if (!picked) throw new Cancelled();
  return picked.flavor;
}

async function askMaxLr(questions: readonly Question[], recommendation: LrRecommendation | undefined, path: string): Promise<number> {
  const typed = await vscode.window.showInputBox({
    title: questionTitle(TITLE, questions, 'max-lr'),
    prompt: recommendation
      ? `${originSentence(recommendation, path)}; edit it if you like.`
      : `No range test of ${basename(path)} yet: run one first for a recommendation, or type a value.`,
    value: recommendation ? String(offeredLr(recommendation)) : '',
    validateInput: (v) => (parseLr(v) === null ? 'A learning rate > 0, e.g. 3e-3' : undefined),
  });
  if (typed === undefined) throw new Cancelled();
  return parseLr(typed)!;
}

async function askCount(title: string, prompt: string, value: number | undefined): Promise<number> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value: value === undefined ? '' : String(value),
    validateInput: (v) => (parseCount(v) === null ? 'A whole number ≥ 1' : undefined),
  });
  if (typed === undefined) throw new Cancelled();
  return parseCount(typed)!;
}
