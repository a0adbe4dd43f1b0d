/**
 * What can go wrong when probing a script (issue 5 §3), each with one message meant to be shown as
 * is: what happened, where, and what to do.
 */
import type { RunRecord } from '../../core/runs/record';
import type { LossProblem } from './wire';

export type ProbeErrorKind =
  /** The interpreter cannot be started. */
  | 'no-python'
  /** The interpreter runs but cannot import torch. */
  | 'no-torch'
  /** The probe itself did not start (bad probe folder, an interpreter too old …). */
  | 'probe-failed'
  | 'script-not-found'
  /** A bad option (schedule spec, stop rule, timeout). */
  | 'options'
  /** The script raised (or exited with a non-zero status). */
  | 'script-failed'
  /** No optimizer step within the first-step timeout, or none at all before the script ended. */
  | 'no-step'
  /** An optimizer step without a scalar loss back-propagated before it. */
  | 'no-loss'
  /** The very first loss is NaN or infinite: broken data or model, not a divergence. */
  | 'nan-at-start'
  /** The interpreter died without a word from the probe (a signal, out of memory …). */
  | 'crashed';

/** Where the script stopped: its innermost frame in the script (else the innermost frame). */
export interface ScriptLocation {
  file: string;
  line: number;
  function: string;
  code: string;
}

/**
 * A probe run that could not give a result. `recordPath`/`record` are set once the failed run's
 * record is saved (runs that failed before the interpreter said hello have none); a record keeps
 * every point the run produced.
 */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  recordPath?: string;
  record?: RunRecord;
  constructor(
    message: string,
    readonly kind: ProbeErrorKind,
    readonly details: { where?: ScriptLocation; traceback?: string } = {},
  ) {
    super(message);
  }
}

/** Tells a user how to choose the interpreter, on both surfaces. */
export const CHOOSE_PYTHON = 'choose the interpreter with --python PATH (CLI) or the lrScope.pythonPath setting (VS Code)';

export function noPythonError(python: string, code: string | undefined): ProbeError {
  const what = code === 'ENOENT' ? 'was not found' : `cannot be started (${code ?? 'unknown error'})`;
  return new ProbeError(`Python interpreter "${python}" ${what}. Install Python 3 with PyTorch, or ${CHOOSE_PYTHON}.`, 'no-python');
}

export function noTorchError(python: string, executable: string, problem: string): ProbeError {
  const which = executable && executable !== python ? `${python} (${executable})` : python;
  return new ProbeError(
    `${which} cannot import torch (${problem}). Install PyTorch for this interpreter — \`${python} -m pip install torch\`, ` +
      `or on Debian/Ubuntu \`sudo apt-get install python3-torch\` — or ${CHOOSE_PYTHON}.`,
    'no-torch',
  );
}

/** `train.py failed before its first optimizer step, at line 12 (in main: `x = model(y)`): RuntimeError: …` and the traceback tail. */
export function scriptFailedError(
  script: string,
  steps: number,
  failure: { type: string; message: string; where?: ScriptLocation | null; traceback?: string },
): ProbeError {
  const when = steps === 0 ? 'before its first optimizer step' : `after ${steps} optimizer step${steps === 1 ? '' : 's'}`;
  const where = failure.where ? `, at ${locationText(failure.where, script)}` : '';
  const what = failure.type === 'SystemExit' ? `it exited with status ${failure.message}` : `${failure.type}: ${failure.message}`;
  const tail = failure.traceback ? `\n${failure.traceback}` : '';
  return new ProbeError(`${script} failed ${when}${where}: ${what}${tail}`, 'script-failed', {
    ...(failure.where ? { where: failure.where } : {}),
    ...(failure.traceback ? { traceback: failure.traceback } : {}),
  });
}

/** `line 9 (in forward_pass: `return model(x)`)`; a place outside the script gets its file: `util.py:9 (in …)`. */
export function locationText(where: ScriptLocation, script: string): string {
  const code = where.code ? `: \`${where.code}\`` : '';
  const place = where.file === script ? `line ${where.line}` : `${where.file}:${where.line}`;
  return `${place} (in ${where.function}${code})`;
}

export function noLauncherError(launcher: string, code: string | undefined): ProbeError {
  const what = code === 'ENOENT' ? 'was not found' : `cannot be started (${code ?? 'unknown error'})`;
  return new ProbeError(
    `The launcher "${launcher}" ${what}. Give its full path, or the interpreter's module form ("python -m torch.distributed.run --nproc-per-node 2"), ` +
      'with --launcher (CLI) or the lrScope.python.launcher setting (VS Code).',
    'no-python',
  );
}

/**
 * No optimizer step. `processes`: processes the script started itself — hogwild-style workers
 * (torch.multiprocessing) train where the probe is not, which is said when they are the likely cause.
 */
export function noStepError(script: string, timeoutMs: number | null, processes = 0): ProbeError {
  const why =
    timeoutMs === null
      ? 'ended without a single optimizer step'
      : `made no optimizer step within ${formatSeconds(timeoutMs)} of starting (it was stopped)`;
  if (processes > 0) {
    return new ProbeError(
      `${script} ${why} in the process LR Scope probes, and it started ${processes} process${processes === 1 ? '' : 'es'} of its own ` +
        '(multiprocessing / torch.multiprocessing). Hogwild-style workers that train in processes of their own, without a ' +
        'torch.distributed process group, are not supported: LR Scope probes the script\'s own process and, with a launcher ' +
        '(--launcher "torchrun --nproc-per-node N" or the lrScope.python.launcher setting), every rank the launcher starts. ' +
        'Run the training loop in the main process, or launch it with torchrun (DistributedDataParallel, one process per rank).',
      'no-step',
    );
  }
  return new ProbeError(
    `${script} ${why}. LR Scope counts the step() calls of the torch.optim optimizer it drives (the first one that steps): ` +
      `does the script reach optimizer.step()?` +
      (timeoutMs === null ? '' : ' Is it waiting for input, or loading data for longer than that? Raise the first-step timeout if it needs more time.'),
    'no-step',
  );
}

export function noLossError(script: string, step: number, problem: LossProblem): ProbeError {
  const base = `${script}: no loss was captured for optimizer step ${step}: `;
  const how = 'LR Scope records the scalar tensor the script back-propagates (`loss.backward()`)';
  switch (problem.kind) {
    case 'non-scalar':
      return new ProbeError(
        `${base}backward() was called on a non-scalar tensor of shape [${problem.shape.join(', ')}]. ${how}; ` +
          'reduce the loss to a scalar (e.g. `loss.mean()`) before calling backward().',
        'no-loss',
      );
    case 'no-backward':
      return new ProbeError(
        `${base}nothing was back-propagated since the previous step. ${how}; gradients from \`torch.autograd.grad\` ` +
          'or set by hand leave no loss to record.',
        'no-loss',
      );
  }
}

export function nanAtStartError(script: string, loss: number): ProbeError {
  return new ProbeError(
    `${script}: the loss is ${loss} at the very first optimizer step, before any update: the data or the model is broken ` +
      `(NaN or Infinity in the inputs, labels outside the loss' range, a log of 0 …); this is not a divergence.`,
    'nan-at-start',
  );
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
