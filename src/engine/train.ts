/**
 * Training under a schedule spec (issue 3 §4): every batch gets the schedule's LR (and its
 * momentum, or Adam's β1, when the schedule cycles it); per-batch loss and per-epoch loss,
 * validation loss and metrics are streamed; the model can be saved at the end.
 */
import type { EpochPoint, RunRecord, StepPoint } from '../core/runs/record';
import { compileSchedule, MAX_SCHEDULE_STEPS, SpecError, validateSpec, type ScheduleSpec } from '../core/schedules/index';
import { BatchStream } from './batches';
import { experimentError } from './errors';
import { saveModelToFolder } from './model-save';
import { runSession, yieldToEventLoop, type LoopOutcome, type RunContext } from './run-session';
import type { EngineEvents, TrainRequest } from './run-types';

/**
 * Trains the experiment's model under `request.options.schedule` and returns the run record
 * (also saved). The number of epochs is `options.epochs`, else the experiment's `epochs`, else
 * as many as the schedule's length needs (1 for an unbounded schedule). Past the schedule's end
 * its last value is held.
 */
export async function train(request: TrainRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  const options = request.options;
  let spec: ScheduleSpec;
  try {
    spec = validateSpec(options.schedule);
  } catch (err) {
    if (err instanceof SpecError) throw experimentError(request.experimentPath, 'options', `schedule: ${err.message}`);
    throw err;
  }
  const schedule = compileSchedule(spec);
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs > 0)) {
    throw experimentError(request.experimentPath, 'options', `epochs must be a positive integer, got ${options.epochs}`);
  }
  const plan = {
    kind: 'train' as const,
    schedule: spec,
    initialLr: schedule.lr(0),
    options: { ...options },
    withMetrics: true,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.weightDecay !== undefined ? { weightDecay: options.weightDecay } : {}),
  };

  const loop = async (ctx: RunContext): Promise<LoopOutcome> => {
    const { tf, experiment, definition, control, stepper, signal: abort, record } = ctx;
    const batchSize = options.batchSize ?? definition.batchSize;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw experimentError(definition.file, 'batchSize', `must be a positive integer, got ${batchSize}`);
    const stream = new BatchStream(tf, experiment.train, batchSize, ctx.seed);
    const perEpoch = stream.batchesPerEpoch;
    const epochs = options.epochs ?? definition.epochs ?? (schedule.length === null ? 1 : Math.max(1, Math.ceil(schedule.length / perEpoch)));
    const totalSteps = epochs * perEpoch;
    if (totalSteps > MAX_SCHEDULE_STEPS) {
      throw experimentError(definition.file, 'epochs', `${epochs} epochs × ${perEpoch} batches is ${totalSteps} steps, more than the ${MAX_SCHEDULE_STEPS} a run may have (its record keeps one point per step): train fewer epochs or larger batches`);
    }
    record.options.batchSize = stream.batchSize;
    record.options.epochs = epochs;

    const notes: string[] = [];
    if (schedule.length !== null && schedule.length < totalSteps) {
      notes.push(`the schedule has ${schedule.length} steps but ${epochs} epochs × ${perEpoch} batches is ${totalSteps}: its last value is held for the rest`);
    } else if (schedule.length !== null && schedule.length > totalSteps) {
      notes.push(`the schedule has ${schedule.length} steps but ${epochs} epochs × ${perEpoch} batches is ${totalSteps}: training ends before the schedule does`);
    }
    const momentumFn = schedule.momentum !== null && control.momentumTarget !== 'none' ? schedule.momentum : null;
    if (schedule.momentum !== null && momentumFn === null) {
      notes.push(`the schedule cycles momentum but the '${definition.optimizer.type}' optimizer has none: only the LR follows the schedule`);
    }
    ctx.start(totalSteps, notes);

    const names = stepper.metricNames;
    let step = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const sums = new Float64Array(1 + names.length);
      for (let b = 0; b < perEpoch; b++, step++) {
        if (abort?.aborted) return { status: 'cancelled', detail: `cancelled after ${step} steps` };
        const lr = schedule.lr(step);
        control.setLearningRate(lr);
        if (momentumFn) control.setMomentum(momentumFn(step));
        const batch = stream.next();
        let values: Float32Array;
        try {
          values = ctx.seeded(() => stepper.train(batch.xs, batch.ys, lr));
        } finally {
          batch.xs.dispose();
          batch.ys.dispose();
        }
        const loss = values[0]!;
        if (!Number.isFinite(loss)) {
          if (step === 0) {
            throw experimentError(definition.file, 'data', `the loss is ${loss} at the very first step, before any update: the data or the model is broken (NaN or Infinity in xs/ys, labels outside the loss' range …)`);
          }
          return { status: 'diverged', detail: `the loss became ${loss} at step ${step} (lr ${lr.toPrecision(3)}); lower the maximum LR` };
        }
        const point: StepPoint = { step, lr, loss };
        if (momentumFn) point.momentum = control.currentMomentum() ?? undefined;
        ctx.point(point);
        for (let i = 0; i < sums.length; i++) sums[i]! += values[i]!;
        await yieldToEventLoop();
      }
      const epochPoint: EpochPoint = { epoch, loss: sums[0]! / perEpoch, metrics: {} };
      names.forEach((name, i) => (epochPoint.metrics[name] = sums[i + 1]! / perEpoch));
      if (experiment.validation) {
        const val = stepper.evaluate(experiment.validation, batchSize);
        epochPoint.valLoss = val[0]!;
        names.forEach((name, i) => (epochPoint.metrics[`val_${name}`] = val[i + 1]!));
      }
      ctx.epoch(epochPoint);
      ctx.log('info', `epoch ${epoch}/${epochs}: loss ${epochPoint.loss.toFixed(4)}${epochPoint.valLoss !== undefined ? `, val loss ${epochPoint.valLoss.toFixed(4)}` : ''}`);
      await yieldToEventLoop();
    }
    if (options.saveModelTo) {
      const path = await saveModelToFolder(tf, experiment.model, options.saveModelTo);
      (record.notes ??= []).push(`model saved to ${path}`);
    }
    return { status: 'completed' };
  };

  return runSession(request, plan, events, signal, loop);
}
