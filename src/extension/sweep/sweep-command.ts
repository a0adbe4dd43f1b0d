/**
 * "LR Scope: Range Test Sweep…": the same range test once per value of weight decay or batch size
 * (Smith's procedure), on an experiment (through its field) or a PyTorch script (through an argument
 * template, `--wd {}`). The members run one after another through the ordinary run path (progress,
 * Stop, a run record each, tagged with the sweep); then the panel overlays them labelled by value,
 * with Smith's reading.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/record';
import {
  parameterText,
  parseSweepValues,
  planSweep,
  SweepError,
  templateWords,
  type SweepMember,
  type SweepParameter,
} from '../../core/sweeps/plan';
import { newSweepId, runRecordPath } from '../../engine/run-store';
import type { RunOutcome } from '../../host/run-manager';
import type { StartParams } from '../../protocol/engine';

export interface SweepDeps {
  /** The params of an ordinary range test on the file (checks, interpreter, settings); undefined when the user cancelled. */
  rangeTestParams(uri: vscode.Uri): Promise<StartParams | undefined>;
  /** Runs one member with live progress, no closing notification. */
  run(params: StartParams, label: string): Promise<RunOutcome | undefined>;
  /** Overlays the records in the panel. */
  compare(runs: Array<{ path: string; record: RunRecord }>): Promise<void>;
  log: vscode.LogOutputChannel;
}

const EXPERIMENT_OR_SCRIPT = /\.(experiment\.(ts|js|mjs)|py)$/i;

/** The experiment or script of the sweep: the argument, the active editor's, else a pick. */
async function pickTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && EXPERIMENT_OR_SCRIPT.test(arg.path)) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && EXPERIMENT_OR_SCRIPT.test(active.path)) return active;
  const found = await vscode.workspace.findFiles('**/*.{experiment.ts,experiment.js,experiment.mjs,py}', '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**}', 500);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('LR Scope: a sweep runs an experiment (*.experiment.ts|js|mjs) or a PyTorch script (*.py): none found in the workspace.');
    return undefined;
  }
  const items = found
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri, true), uri }));
  const picked = await vscode.window.showQuickPick(items, { title: 'LR Scope: Range Test Sweep (1/3): experiment or script', matchOnDescription: true });
  return picked?.uri;
}

/** The validation message of an input box, from a `SweepError`. */
function problem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return err instanceof SweepError ? err.message : String(err);
  }
}

/** Asks what to sweep and runs it. */
export async function rangeTestSweep(deps: SweepDeps, arg: unknown): Promise<void> {
  const uri = await pickTarget(arg);
  if (!uri) return;
  const script = /\.py$/i.test(uri.fsPath);
  const steps = script ? 4 : 3;
  const kinds: Array<{ label: string; description: string; parameter: SweepParameter }> = [
    { label: 'Weight decay', description: 'e.g. 0, 1e-4, 1e-3: which tolerates the largest LR', parameter: 'weightDecay' },
    { label: 'Batch size', description: 'e.g. 32, 64, 128', parameter: 'batchSize' },
  ];
  const kind = await vscode.window.showQuickPick(kinds, { title: `LR Scope: Range Test Sweep (2/${steps}): what to sweep over ${basename(uri.fsPath)}` });
  if (!kind) return;
  const parameter = kind.parameter;
  const valuesText = await vscode.window.showInputBox({
    title: `LR Scope: Range Test Sweep (3/${steps}): ${parameterText(parameter)} values`,
    prompt: `One range test per value, one after another (commas or spaces between values).`,
    value: parameter === 'weightDecay' ? '0, 1e-4, 1e-3' : '32, 64, 128',
    validateInput: (v) => problem(() => parseSweepValues(v, parameter)),
  });
  if (valuesText === undefined) return;
  const values = parseSweepValues(valuesText, parameter);
  let template = '';
  if (script) {
    const typed = await vscode.window.showInputBox({
      title: `LR Scope: Range Test Sweep (4/4): how ${basename(uri.fsPath)} takes the ${parameterText(parameter)}`,
      prompt: 'The script arguments for one value, {} where the value goes (as typed above), e.g. --wd {}',
      value: parameter === 'weightDecay' ? '--weight-decay {}' : '--batch-size {}',
      validateInput: (v) => problem(() => templateWords(v)),
    });
    if (typed === undefined) return;
    template = typed;
  }
  const base = await deps.rangeTestParams(uri);
  if (!base) return;
  const id = newSweepId();
  const members = planSweep({
    id,
    parameter,
    values,
    target: script ? { kind: 'script', template, scriptArgs: base.scriptArgs ?? [] } : { kind: 'experiment' },
  });
  deps.log.info(`sweep ${id}: ${parameterText(parameter)} ${values.map((v) => v.text).join(', ')} on ${uri.fsPath}`);
  const done: Array<{ path: string; record: RunRecord }> = [];
  for (const member of members) {
    const outcome = await deps.run(memberParams(base, member), `${basename(uri.fsPath).replace(/\.experiment\.(ts|js|mjs)$/, '')} ${member.label} (${member.tag.index + 1}/${members.length})`);
    const ended = outcome && endedRecord(base, outcome);
    if (ended && ended.record.points.length > 0) done.push(ended);
    const stop = !outcome ? 'another run is going' : outcome.kind === 'failed' ? outcome.message : ended?.record.status === 'cancelled' || outcome.kind === 'killed' ? 'stopped' : null;
    if (stop !== null) {
      deps.log.warn(`sweep ${id} stopped after ${member.tag.index + 1} of ${members.length} runs: ${stop}`);
      if (done.length >= 2) await deps.compare(done);
      void vscode.window.showWarningMessage(`LR Scope: the sweep stopped after ${member.tag.index + 1} of ${members.length} runs (${stop}); the runs so far are saved.`);
      return;
    }
  }
  if (done.length >= 2) await deps.compare(done);
  void vscode.window.showInformationMessage(`LR Scope: sweep done: ${done.length} range tests of ${basename(uri.fsPath)} over ${parameterText(parameter)}, overlaid in the panel.`);
}

/** A member's start params: the value as the experiment's option, or the script's arguments; the sweep tag either way. */
export function memberParams(base: StartParams, member: SweepMember): StartParams {
  if (base.kind !== 'range-test') throw new Error('a sweep runs range tests');
  const options = { ...base.options, sweep: member.tag };
  if (member.change.kind === 'script-args') return { ...base, scriptArgs: member.change.scriptArgs, options };
  const { weightDecay, batchSize } = member.change;
  return { ...base, options: { ...options, ...(weightDecay !== undefined ? { weightDecay } : {}), ...(batchSize !== undefined ? { batchSize } : {}) } };
}

function endedRecord(base: StartParams, outcome: RunOutcome): { path: string; record: RunRecord } | undefined {
  switch (outcome.kind) {
    case 'finished':
      return { path: runRecordPath(base.runsDir, outcome.record.id), record: outcome.record };
    case 'crashed':
    case 'killed':
      return { path: outcome.recordPath, record: outcome.record };
    case 'failed':
      return undefined;
  }
}
