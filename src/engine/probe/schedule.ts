/**
 * A schedule trial on a PyTorch script: any schedule spec drives the script's optimizer (LR, and
 * momentum / betas[0] when the spec cycles it) for `steps` optimizer steps or the whole run, so a
 * schedule can be tried before it is inserted into the code.
 */
import type { RunRecord, StepPoint } from '../../core/runs/record';
import { compileSchedule, SpecError, validateSpec } from '../../core/schedules/index';
import type { EngineEvents } from '../run-types';
import { ProbeError } from './errors';
import { runProbe } from './session';
import type { PythonScheduleRequest } from './types';

/** Training options of the TF.js engine that the script decides for itself. */
const SCRIPT_OWNED = ['epochs', 'batchSize', 'weightDecay', 'saveModelTo'] as const;

export function pythonSchedule(request: PythonScheduleRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  const options = request.options;
  let spec;
  try {
    spec = validateSpec(options.schedule);
  } catch (err) {
    if (err instanceof SpecError) return Promise.reject(new ProbeError(`schedule: ${err.message}`, 'options'));
    throw err;
  }
  const steps = options.steps;
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
    return Promise.reject(new ProbeError(`steps must be a whole number > 0, got ${steps}`, 'options'));
  }
  const ignored = SCRIPT_OWNED.filter((name) => options[name] !== undefined);
  const notes = ignored.length > 0 ? [`${ignored.join(', ')} ignored: the script decides its own epochs, batches, weight decay and saving`] : [];

  return runProbe(
    request,
    {
      kind: 'train',
      mode: 'schedule',
      spec,
      schedule: compileSchedule(spec),
      steps: steps ?? null,
      options: { ...options },
      notes,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      judge(step, lr, loss, momentum) {
        if (!Number.isFinite(loss)) {
          return { point: null, stop: { status: 'diverged', detail: `the loss became ${loss} at step ${step} (lr ${lr.toPrecision(3)})` } };
        }
        const point: StepPoint = momentum === undefined ? { step, lr, loss } : { step, lr, loss, momentum };
        return { point };
      },
    },
    events,
    signal,
  );
}
