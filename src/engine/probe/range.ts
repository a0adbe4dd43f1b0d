/**
 * The LR range test on a PyTorch script: the same `range` spec, stop rule and analysis as the
 * TF.js engine's range test (src/engine/range-test.ts); only the trainer is the user's script.
 */
import { createStopRule, describeStop } from '../../core/analysis/index';
import { attachRangeAnalysis } from '../../core/runs/range-analysis';
import type { RunRecord } from '../../core/runs/record';
import { RANGE_TEST_DEFAULTS, rangeSpecOf } from '../../core/runs/range-test-spec';
import { compileSchedule, type RangeSpec } from '../../core/schedules/index';
import type { EngineEvents } from '../run-types';
import { ProbeError } from './errors';
import { runProbe } from './session';
import type { PythonRangeTestRequest } from './types';

/** fastai's `lr_find` defaults: the TF.js engine's, from the one range-spec module. */
export const PYTHON_RANGE_TEST_DEFAULTS = RANGE_TEST_DEFAULTS;

/** Options of the TF.js range test that the script decides for itself. */
const SCRIPT_OWNED = ['batchSize', 'weightDecay', 'validationBatches'] as const;

export function pythonRangeTest(request: PythonRangeTestRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  const options = request.options;
  const spec = rangeSpec(options);
  const beta = options.beta ?? PYTHON_RANGE_TEST_DEFAULTS.beta;
  const divergeFactor = options.divergeFactor === undefined ? PYTHON_RANGE_TEST_DEFAULTS.divergeFactor : options.divergeFactor;
  let stopRule: ReturnType<typeof createStopRule>;
  try {
    stopRule = createStopRule({ beta, divergeFactor });
  } catch (err) {
    return Promise.reject(new ProbeError(`range test options: ${err instanceof Error ? err.message : String(err)}`, 'options'));
  }
  const ignored = SCRIPT_OWNED.filter((name) => options[name] !== undefined);
  const notes = ignored.length > 0 ? [`${ignored.join(', ')} ignored: the script decides its own batches, weight decay and loss`] : [];

  return runProbe(
    request,
    {
      kind: 'range-test',
      mode: 'range',
      spec,
      schedule: compileSchedule(spec),
      steps: spec.steps,
      options: { ...options, beta, divergeFactor },
      notes,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      judge(step, lr, loss) {
        const { smoothed, decision } = stopRule.push(loss);
        const point = Number.isFinite(loss) ? { step, lr, loss, smoothed } : null;
        if (!decision.stop) return { point };
        return { point, stop: { status: 'diverged', detail: describeStop(decision.reason, step, lr, loss, divergeFactor) } };
      },
      raised(steps, lastLr, failure) {
        const what = failure.kind === 'exit' ? `exited with status ${failure.message}` : `raised ${failure.type}: ${lastLine(failure.message)}`;
        const at = lastLr === null ? '' : ` (last lr ${lastLr.toPrecision(3)})`;
        return { status: 'diverged', detail: `the script ${what} after ${steps} optimizer step${steps === 1 ? '' : 's'}${at}: the range test ends there` };
      },
      finish(record) {
        attachRangeAnalysis(record, { beta, divergeFactor, requestedSteps: spec.steps });
      },
    },
    events,
    signal,
  );
}

/** The last non-empty line of an error message (Python's messages may span several). */
function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.at(-1) ?? text;
}

function rangeSpec(options: PythonRangeTestRequest['options']): RangeSpec {
  return rangeSpecOf(options, (message) => new ProbeError(`range test options: ${message}`, 'options'));
}
