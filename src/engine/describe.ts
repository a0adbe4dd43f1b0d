/**
 * "Describe this experiment": what a caller needs to size a schedule before training — the
 * epochs, the batch size and the batches per epoch — read by building the experiment's model and
 * data exactly as a run does (same seed, same batching), without training or saving a record.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ExperimentShape } from '../protocol/engine';
import { experimentError } from './errors';
import { readExperiment } from './experiment/definition';
import { instantiateExperiment } from './experiment/instantiate';
import { createOptimizer } from './optimizer-control';
import { DEFAULT_SEED } from './run-session';
import type { DescribeRequest } from './run-types';
import { createRandom, seedMathRandom } from './seeded-random';
import { initBackend } from './tf-handle';

/** Full batches per epoch of `examples` at `batchSize`, as `BatchStream` cuts them (at least 1). */
export function batchesPerEpoch(examples: number, batchSize: number): { batchSize: number; batches: number } {
  const size = Math.min(batchSize, examples);
  return { batchSize: size, batches: Math.max(1, Math.floor(examples / size)) };
}

export async function describeExperiment(request: DescribeRequest): Promise<ExperimentShape> {
  const file = isAbsolute(request.experimentPath) ? request.experimentPath : resolve(request.experimentPath);
  const backend = await initBackend(request.backend, {
    searchFrom: [dirname(file), ...(request.searchFrom ?? [])],
    ...(request.wasmDir ? { wasmDir: request.wasmDir } : {}),
  });
  const { tf } = backend;
  const definition = await readExperiment(file, tf, [__filename]);
  const batchSize = request.batchSize ?? definition.batchSize;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw experimentError(definition.file, 'batchSize', `must be a positive integer, got ${batchSize}`);
  const control = createOptimizer(tf, definition.optimizer, 1e-3);
  const unseed = seedMathRandom(createRandom(request.seed ?? definition.seed ?? DEFAULT_SEED));
  try {
    const experiment = await instantiateExperiment(definition, tf, control.optimizer);
    try {
      const cut = batchesPerEpoch(experiment.train.size, batchSize);
      return {
        epochs: request.epochs ?? definition.epochs ?? null,
        batchSize: cut.batchSize,
        batchesPerEpoch: cut.batches,
        examples: experiment.train.size,
        ...(experiment.validation ? { validationExamples: experiment.validation.size } : {}),
        backend: backend.name,
      };
    } finally {
      experiment.dispose();
    }
  } finally {
    unseed();
    control.dispose();
  }
}
