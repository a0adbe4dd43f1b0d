/**
 * Leslie Smith's LR range test on the user's model (issue 3 §3): the LR grows from `startLr`
 * to `endLr` over `steps` mini-batches (exponentially by default), one update per batch; the
 * core's stop rule ends the test when the smoothed loss diverges, and the core's analysis turns
 * the curve into suggestions and a recommendation.
 */
import { createStopRule, describeStop } from '../core/analysis/index';
import { attachRangeAnalysis } from '../core/runs/range-analysis';
import type { RunRecord } from '../core/runs/record';
import { RANGE_TEST_DEFAULTS, rangeSpecOf } from '../core/runs/range-test-spec';
import { compileSchedule } from '../core/schedules/index';
import { BatchStream } from './batches';
import { experimentError, messageOf } from './errors';
import { runSession, yieldToEventLoop, type LoopOutcome, type RunContext } from './run-session';
import type { EngineEvents, RangeTestOptions, RangeTestRequest } from './run-types';

export { RANGE_TEST_DEFAULTS };

/**
 * Runs a range test and returns its record (also saved under `request.runsDir`). Cancelled and
 * failed runs keep their points; see `runSession` for the error contract.
 */
export async function rangeTest(request: RangeTestRequest, events: EngineEvents = {}, signal?: AbortSignal): Promise<RunRecord> {
  const options = request.options;
  const spec = rangeSpecOf(options, (message) => experimentError(request.experimentPath, 'options', message));
  const schedule = compileSchedule(spec);
  const beta = options.beta ?? RANGE_TEST_DEFAULTS.beta;
  const divergeFactor = options.divergeFactor === undefined ? RANGE_TEST_DEFAULTS.divergeFactor : options.divergeFactor;
  try {
    createStopRule({ beta, divergeFactor }); // checks beta and divergeFactor before anything starts
  } catch (err) {
    throw experimentError(request.experimentPath, 'options', messageOf(err));
  }
  const plan = {
    kind: 'range-test' as const,
    schedule: spec,
    initialLr: schedule.lr(0),
    options: { ...options, beta, divergeFactor },
    withMetrics: false,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.weightDecay !== undefined ? { weightDecay: options.weightDecay } : {}),
  };

  const loop = async (ctx: RunContext): Promise<LoopOutcome> => {
    const { tf, experiment, definition, control, stepper, signal: abort } = ctx;
    const batchSize = options.batchSize ?? definition.batchSize;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw experimentError(definition.file, 'batchSize', `must be a positive integer, got ${batchSize}`);
    const validationBatches = options.validationBatches ?? 0;
    const validation = experiment.validation;
    if (validationBatches > 0 && !validation) {
      throw experimentError(definition.file, 'data', 'validationBatches was asked for but data() returned no validation split');
    }
    const stream = new BatchStream(tf, experiment.train, batchSize, ctx.seed);
    ctx.record.options.batchSize = stream.batchSize;
    // Batches per epoch of the experiment: what a one-cycle schedule recommended from this test is sized with.
    ctx.record.options.stepsPerEpoch = stream.batchesPerEpoch;
    const notes: string[] = [];
    if (spec.steps > stream.batchesPerEpoch) {
      notes.push(`${spec.steps} steps is ${(spec.steps / stream.batchesPerEpoch).toFixed(1)} epochs of ${stream.batchesPerEpoch} batches: the data repeats`);
    }
    ctx.start(spec.steps, notes);

    const stopRule = createStopRule({ beta, divergeFactor });
    for (let step = 0; step < spec.steps; step++) {
      if (abort?.aborted) return { status: 'cancelled', detail: `cancelled after ${step} steps` };
      const lr = schedule.lr(step);
      control.setLearningRate(lr);
      const batch = stream.next();
      let loss: number;
      try {
        loss = ctx.seeded(() => stepper.train(batch.xs, batch.ys, lr))[0]!;
      } finally {
        batch.xs.dispose();
        batch.ys.dispose();
      }
      if (validationBatches > 0 && validation) loss = stepper.evaluate(validation, batchSize, validationBatches)[0]!;
      if (step === 0 && !Number.isFinite(loss)) {
        throw experimentError(
          definition.file,
          'data',
          `the loss is ${loss} at the very first step, before any update: the data or the model is broken (NaN or Infinity in xs/ys, labels outside the loss' range, a log of 0 …), this is not a divergence`,
        );
      }
      const { smoothed, decision } = stopRule.push(loss);
      if (Number.isFinite(loss)) ctx.point({ step, lr, loss, smoothed });
      if (decision.stop) {
        return { status: 'diverged', detail: describeStop(decision.reason, step, lr, loss, divergeFactor) };
      }
      await yieldToEventLoop();
    }
    if (abort?.aborted) return { status: 'cancelled', detail: `cancelled after ${spec.steps} steps` };
    return { status: 'completed' };
  };

  return runSession(request, plan, events, signal, loop, (_ctx, record) => attachRangeAnalysis(record, { beta, divergeFactor, requestedSteps: spec.steps }));
}

