/**
 * The LR Scope schedule block for TF.js files: the schedule functions plus `withLrSchedule(model,
 * callbacks?)`, which returns the `callbacks` for `model.fit` / `model.fitDataset` with one more
 * callback that sets the optimizer's learning rate (and momentum) before every batch.
 *
 * tf.js facts the block relies on (tfjs 4.22): SGD and Momentum only take a new learning rate
 * through `setLearningRate`; Adam, Adamax, RMSProp, Adagrad and Adadelta read their
 * `learningRate` field on every update and have no setter. Momentum's updates read a scalar
 * tensor `m` made in its constructor (its `setMomentum` does not change them); Adam and Adamax
 * read `beta1`, RMSProp `momentum`.
 */
import { validateSpec, withDefaults, type ScheduleSpec } from '../../core/schedules';
import { scheduleSource, type ScheduleSource, type ScriptLanguage } from './schedule-source';

/** First line of every generated block; anchors and re-application look for it. */
export const BLOCK_START = '// lr-scope: schedule (generated)';
/** Last line of every generated block. */
export const BLOCK_END = '// lr-scope: end of schedule';
/** The function the block exports to the fit call. */
export const CALLBACK_FUNCTION = 'withLrSchedule';

export interface TfjsBlock {
  /** Template lines, from BLOCK_START to BLOCK_END inclusive. */
  lines: string[];
  schedule: ScheduleSource;
}

/**
 * Builds the block for a spec (validated, defaults filled; throws the core's SpecError on a bad
 * spec). `tf` is the name the file binds `@tensorflow/tfjs` (or -node …) to.
 */
export function tfjsBlock(spec: ScheduleSpec, language: ScriptLanguage, tf: string): TfjsBlock {
  const schedule = scheduleSource(spec, language);
  const recorded = withDefaults(validateSpec(spec));
  const ts = language === 'ts';
  const t = (annotation: string): string => (ts ? annotation : '');
  const lines: string[] = [
    `${BLOCK_START}: ${schedule.description}.`,
    `// Re-applying the schedule rewrites everything down to "lr-scope: end of schedule".`,
    `// spec: ${JSON.stringify(recorded)}`,
  ];
  if (schedule.length !== null) {
    lines.push(`const lrScheduleSteps = ${schedule.length}; // optimizer updates (batches) the schedule covers`);
  }
  lines.push('', ...schedule.lines, '');
  if (ts) {
    lines.push(
      `/** The fields of tf.js optimizers that LR Scope sets before each batch. */`,
      `interface ScheduledOptimizer {`,
      `  setLearningRate?(lr: number): void; // SGD, Momentum`,
      `  learningRate?: number; // Adam, Adamax, RMSProp, Adagrad, Adadelta read it every update`,
      ...(schedule.cyclesMomentum
        ? [
            `  m?: ${tf}.Scalar; // Momentum: its updates read this tensor (setMomentum alone does not change them)`,
            `  setMomentum?(momentum: number): void;`,
            `  beta1?: number; // Adam, Adamax`,
            `  momentum?: number; // RMSProp`,
          ]
        : []),
      `}`,
      '',
    );
  }
  lines.push(
    `/** Sets the learning rate${schedule.cyclesMomentum ? ' and momentum' : ''} of optimizer update \`step\` on a tf.js optimizer. */`,
    `function applyLrSchedule(optimizer${t(': ScheduledOptimizer')}, step${t(': number')})${t(': void')} {`,
    `  const lr = lrAt(step);`,
    `  if (optimizer.setLearningRate) optimizer.setLearningRate(lr);`,
    `  else optimizer.learningRate = lr;`,
  );
  if (schedule.cyclesMomentum) {
    lines.push(
      `  const momentum = momentumAt(step);`,
      `  if (optimizer.m) {`,
      `    optimizer.m.dispose();`,
      `    optimizer.m = ${tf}.keep(${tf}.scalar(momentum));`,
      `    optimizer.setMomentum?.(momentum);`,
      `  } else if (optimizer.beta1 !== undefined) {`,
      `    optimizer.beta1 = momentum;`,
      `  } else if (optimizer.momentum !== undefined) {`,
      `    optimizer.momentum = momentum;`,
      `  }`,
    );
  }
  lines.push(
    `}`,
    '',
    `/**`,
    ` * The \`callbacks\` for model.fit / model.fitDataset: sets the optimizer's learning rate${schedule.cyclesMomentum ? ' and momentum' : ''}`,
    ` * from the schedule before every batch, then runs the callbacks passed in.`,
    ` */`,
    ...(ts
      ? [
          `function ${CALLBACK_FUNCTION}(`,
          `  model: ${tf}.LayersModel,`,
          `  callbacks?: ${tf}.ModelFitArgs['callbacks'],`,
          `): ${tf}.ModelFitArgs['callbacks'] {`,
        ]
      : [`function ${CALLBACK_FUNCTION}(model, callbacks) {`]),
    `  let step = 0;`,
    `  const schedule${t(`: ${tf}.CustomCallbackArgs`)} = {`,
    `    onBatchBegin: () => {`,
    schedule.length !== null && schedule.holdsEnd
      ? `      applyLrSchedule(model.optimizer${t(' as unknown as ScheduledOptimizer')}, Math.min(step, lrScheduleSteps - 1));`
      : `      applyLrSchedule(model.optimizer${t(' as unknown as ScheduledOptimizer')}, step);`,
    `      step += 1;`,
    `    },`,
  );
  if (schedule.length !== null) {
    lines.push(
      `    onTrainEnd: () => {`,
      `      if (step !== lrScheduleSteps) {`,
      `        console.warn(\`lr-scope: the schedule covers \${lrScheduleSteps} batches but training ran \${step}.\`);`,
      `      }`,
      `    },`,
    );
  }
  lines.push(
    `  };`,
    `  const existing = callbacks == null ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];`,
    `  // tf.js reads a callback list as tf.Callback objects or as plain objects, judging by its first entry.`,
    `  const first = existing[0];`,
    `  if (first !== undefined && 'setParams' in first) {`,
    `    return [new ${tf}.CustomCallback(schedule), ...${ts ? `(existing as ${tf}.Callback[])` : 'existing'}];`,
    `  }`,
    `  return [schedule, ...${ts ? `(existing as ${tf}.CustomCallbackArgs[])` : 'existing'}];`,
    `}`,
    BLOCK_END,
  );
  return { lines, schedule };
}
