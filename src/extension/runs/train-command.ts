/** "Train with Schedule…": asks the schedule, epochs and max LR (default: the latest recommendation), then trains. */
import * as vscode from 'vscode';
import { analyzeRangeTest, formatLr, recommendSchedule, type RecommendFlavor } from '../../core/analysis/index';
import type { StartParams } from '../../protocol/engine';
import { DEFAULT_STEPS_PER_EPOCH, rememberEpochs, scheduleContextFor, settingsFor } from '../configuration';
import { ensureTrusted } from '../trust';
import type { RunCommandDeps } from './commands';
import { pickExperiment, runLabel } from './experiment-picker';
import { checkNodePath, searchFrom } from './start-checks';

export async function trainFlow(deps: RunCommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureTrusted('train'))) return;
  const uri = await pickExperiment(arg, 'Train with Schedule');
  if (!uri) return;
  if (!checkNodePath(uri)) return;
  const s = settingsFor(uri);
  const flavors: Array<{ label: string; description: string; flavor: RecommendFlavor }> = [
    { label: 'One-cycle (PyTorch OneCycleLR)', description: 'cosine, 30 % warm-up, momentum cycled', flavor: 'pytorch' },
    { label: 'One-cycle (fastai fit_one_cycle)', description: '25 % warm-up, cosine', flavor: 'fastai' },
    { label: 'One-cycle (optax cosine)', description: 'optax.cosine_onecycle_schedule', flavor: 'optax-cosine' },
    { label: 'One-cycle (optax linear)', description: 'optax.linear_onecycle_schedule', flavor: 'optax-linear' },
    { label: 'One-cycle (Smith)', description: 'three linear phases, annihilation at the end', flavor: 'smith' },
    { label: 'Cyclical LR (triangular)', description: 'PyTorch CyclicLR between max/4 and max', flavor: 'cyclic' },
  ];
  flavors.sort((a, b) => Number(b.flavor === s.oneCycleFlavor) - Number(a.flavor === s.oneCycleFlavor));
  const flavor = await vscode.window.showQuickPick(flavors, { title: 'LR Scope: Train with Schedule (1/3): schedule', placeHolder: 'Schedule to train with' });
  if (!flavor) return;

  const recommendation = await deps.latestRecommendation(uri.fsPath);
  const epochsText = await vscode.window.showInputBox({
    title: 'LR Scope: Train with Schedule (2/3): epochs',
    value: String(scheduleContextFor(deps.workspaceState, uri).epochs),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number of epochs ≥ 1'),
  });
  if (epochsText === undefined) return;
  const epochs = Number(epochsText.trim());
  const lrText = await vscode.window.showInputBox({
    title: 'LR Scope: Train with Schedule (3/3): maximum learning rate',
    prompt: recommendation
      ? `${recommendation.origin === 'picked' ? 'Picked on the curve' : 'Recommended by the range test'} ${recommendation.runId}`
      : 'No range test of this experiment yet: run one first for a recommendation, or type a value.',
    value: recommendation ? formatLr(recommendation.lr) : '',
    validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? undefined : 'A learning rate > 0, e.g. 3e-3'),
  });
  if (lrText === undefined) return;
  const stepsPerEpoch = recommendation?.stepsPerEpoch ?? (await askStepsPerEpoch());
  if (stepsPerEpoch === undefined) return;
  rememberEpochs(deps.workspaceState, epochs);
  const schedule = recommendSchedule(analyzeRangeTest([]), { flavor: flavor.flavor, epochs, stepsPerEpoch, maxLr: Number(lrText) });
  const params: StartParams = {
    kind: 'train',
    experimentPath: uri.fsPath,
    backend: s.backend,
    runsDir: deps.folders.dirFor(uri),
    searchFrom: searchFrom(uri),
    options: { schedule, epochs },
  };
  await deps.controller.run(params, runLabel(uri.fsPath));
}

async function askStepsPerEpoch(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'LR Scope: Train with Schedule: steps per epoch',
    prompt: 'Batches per epoch (training examples ÷ batch size). The schedule spans epochs × this many optimizer steps.',
    value: String(DEFAULT_STEPS_PER_EPOCH),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number ≥ 1'),
  });
  return text === undefined ? undefined : Number(text.trim());
}
