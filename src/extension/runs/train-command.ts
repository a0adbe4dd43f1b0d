/** "Train with Schedule…": asks the schedule, epochs and max LR (default: the latest recommendation), then trains. */
import * as vscode from 'vscode';
import { formatLr, type RecommendFlavor } from '../../core/analysis/index';
import { FLAVORS, flavorById } from '../../core/schedules/index';
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
  const flavors: Array<{ label: string; description: string; flavor: RecommendFlavor }> = FLAVORS.map((f) => ({ label: f.label, description: f.description, flavor: f.id }));

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
  const schedule = flavorById(flavor.flavor).fromMaxLr(Number(lrText), { epochs, stepsPerEpoch });
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
