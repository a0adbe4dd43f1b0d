/**
 * Calls the experiment's `model()` and `data()` and checks what they return against each
 * other: a LayersModel with one input and one output, tensors (or datasets, materialized here)
 * with matching example counts and shapes, a loss and metrics tfjs knows. The model is
 * compiled with the optimizer LR Scope controls.
 */
import type { LayersModel, Optimizer, Tensor, TensorContainer, data as tfData } from '@tensorflow/tfjs';
import { ExperimentError, experimentError, messageOf } from '../errors';
import type { Tf } from '../tf-handle';
import { describe } from './definition';
import { toHostArray, type HostSplit } from '../host-data';
import type { DataSplit, ExperimentDefinition, InstantiatedExperiment } from './types';

/** Datasets bigger than this many elements are refused (they are held in memory). */
const MAX_DATASET_ELEMENTS = 2_000_000;

/**
 * Builds the model and the data and compiles the model with `optimizer`. On any failure every
 * tensor made so far is freed before the `ExperimentError` propagates.
 */
export async function instantiateExperiment(def: ExperimentDefinition, tf: Tf, optimizer: Optimizer): Promise<InstantiatedExperiment> {
  const owned: Array<Tensor | LayersModel> = [];
  const release = (): void => {
    for (const item of owned) disposeQuietly(item);
    owned.length = 0;
  };
  try {
    const model = await callModel(def, tf);
    owned.push(model);
    const { train, validation } = await callData(def, tf, model);
    owned.push(train.xs, train.ys);
    if (validation) owned.push(validation.xs, validation.ys);
    checkSplit(def, model, train, 'train');
    if (validation) checkSplit(def, model, validation, 'validation');
    compile(def, model, optimizer);
    const result: InstantiatedExperiment = { definition: def, model, train: toHost(train), dispose: () => disposeQuietly(model) };
    if (validation) result.validation = toHost(validation);
    for (const t of [train.xs, train.ys, validation?.xs, validation?.ys]) if (t) disposeQuietly(t);
    return result;
  } catch (err) {
    release();
    throw err;
  }
}

async function callModel(def: ExperimentDefinition, tf: Tf): Promise<LayersModel> {
  let model: unknown;
  try {
    model = await def.model();
  } catch (err) {
    throw experimentError(def.file, 'model', `model() threw: ${messageOf(err)}`);
  }
  if (!(model instanceof tf.LayersModel)) {
    throw experimentError(def.file, 'model', `model() must return a tf.LayersModel (tf.sequential(), tf.model() or tf.loadLayersModel()), got ${describe(model)}`);
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    disposeQuietly(model);
    throw experimentError(def.file, 'model', `models with ${model.inputs.length} inputs and ${model.outputs.length} outputs are not supported; LR Scope trains models with one input and one output`);
  }
  return model;
}

async function callData(def: ExperimentDefinition, tf: Tf, model: LayersModel): Promise<{ train: DataSplit; validation?: DataSplit }> {
  let raw: unknown;
  try {
    raw = await def.data();
  } catch (err) {
    throw experimentError(def.file, 'data', `data() threw: ${messageOf(err)}`);
  }
  if (raw === null || typeof raw !== 'object' || !('train' in raw)) {
    throw experimentError(def.file, 'data', `data() must return { train: { xs, ys }, validation?: { xs, ys } }, got ${describe(raw)}`);
  }
  const { train, validation } = raw as { train: unknown; validation?: unknown };
  const inputRank = model.inputs[0]!.shape.length;
  const result: { train: DataSplit; validation?: DataSplit } = { train: await toSplit(def, tf, train, 'train', inputRank) };
  if (validation !== undefined && validation !== null) {
    try {
      result.validation = await toSplit(def, tf, validation, 'validation', inputRank);
    } catch (err) {
      disposeQuietly(result.train.xs);
      disposeQuietly(result.train.ys);
      throw err;
    }
  }
  return result;
}

/** `{ xs, ys }` tensors as is; a `tf.data.Dataset` of `{ xs, ys }` (examples or batches) concatenated. */
async function toSplit(def: ExperimentDefinition, tf: Tf, value: unknown, name: 'train' | 'validation', inputRank: number): Promise<DataSplit> {
  const where = `data().${name}`;
  if (value instanceof tf.data.Dataset) return fromDataset(def, tf, value as tfData.Dataset<TensorContainer>, where, inputRank);
  if (value === null || typeof value !== 'object') {
    throw experimentError(def.file, 'data', `${where} must be { xs, ys } tensors or a tf.data.Dataset of { xs, ys }, got ${describe(value)}`);
  }
  const { xs, ys } = value as { xs?: unknown; ys?: unknown };
  if (!(xs instanceof tf.Tensor) || !(ys instanceof tf.Tensor)) {
    const bad = !(xs instanceof tf.Tensor) ? ['xs', xs] : ['ys', ys];
    throw experimentError(def.file, 'data', `${where}.${bad[0] as string} must be a tf.Tensor, got ${describe(bad[1])}`);
  }
  return { xs, ys, size: xs.shape[0] ?? 0 };
}

async function fromDataset(
  def: ExperimentDefinition,
  tf: Tf,
  dataset: tfData.Dataset<TensorContainer>,
  where: string,
  inputRank: number,
): Promise<DataSplit> {
  const xsParts: Tensor[] = [];
  const ysParts: Tensor[] = [];
  const free = (): void => {
    for (const t of [...xsParts, ...ysParts]) disposeQuietly(t);
  };
  try {
    const iterator = await dataset.iterator();
    for (let count = 0; ; count++) {
      const { value, done } = await iterator.next();
      if (done) break;
      if (count >= MAX_DATASET_ELEMENTS) throw experimentError(def.file, 'data', `${where}: the dataset has more than ${MAX_DATASET_ELEMENTS} elements (is it infinite? drop .repeat())`);
      const element = value as { xs?: unknown; ys?: unknown } | null;
      if (!element || !(element.xs instanceof tf.Tensor) || !(element.ys instanceof tf.Tensor)) {
        throw experimentError(def.file, 'data', `${where}: each dataset element must be { xs, ys } tensors, got ${describe(element)}`);
      }
      xsParts.push(element.xs);
      ysParts.push(element.ys);
    }
    if (xsParts.length === 0) throw experimentError(def.file, 'data', `${where} is empty: the dataset yielded no elements`);
    // Elements with the model input's rank are batches; one rank less are single examples.
    const batched = xsParts[0]!.rank === inputRank;
    const join = (parts: Tensor[]): Tensor => (batched ? tf.concat(parts, 0) : tf.stack(parts, 0));
    const xs = join(xsParts);
    const ys = batched ? join(ysParts) : tf.stack(ysParts.map((y) => (y.rank === 0 ? y.reshape([1]) : y)), 0);
    free();
    return { xs, ys, size: xs.shape[0] ?? 0 };
  } catch (err) {
    free();
    if (err instanceof ExperimentError) throw err;
    throw experimentError(def.file, 'data', `${where}: reading the dataset failed: ${messageOf(err)}`);
  }
}

function checkSplit(def: ExperimentDefinition, model: LayersModel, split: DataSplit, name: 'train' | 'validation'): void {
  const where = `data().${name}`;
  const { xs, ys } = split;
  if (split.size === 0 || xs.size === 0) throw experimentError(def.file, 'data', `${where} is empty (0 examples)`);
  if (ys.shape[0] !== split.size) {
    throw experimentError(def.file, 'data', `${where}: xs has ${split.size} examples but ys has ${ys.shape[0]}`);
  }
  const input = model.inputs[0]!.shape;
  if (!shapeFits(xs.shape, input)) {
    throw experimentError(def.file, 'data', `${where}.xs has shape [${xs.shape}] but the model's input is [${fmtShape(input)}]`);
  }
  const output = model.outputs[0]!.shape;
  const sparse = def.loss === 'sparseCategoricalCrossentropy';
  const ysFit = sparse ? ys.rank === 1 || (ys.rank === 2 && ys.shape[1] === 1) : shapeFits(ys.shape, output);
  if (!ysFit) {
    const expected = sparse ? `[${split.size}] class indices (sparseCategoricalCrossentropy)` : `[${fmtShape(output)}]`;
    throw experimentError(def.file, 'data', `${where}.ys has shape [${ys.shape}] but the model's output is [${fmtShape(output)}]; ys must be ${expected}`);
  }
}

function shapeFits(actual: number[], expected: Array<number | null>): boolean {
  if (actual.length !== expected.length) return false;
  return expected.every((dim, i) => i === 0 || dim === null || dim === actual[i]);
}

function fmtShape(shape: Array<number | null>): string {
  return shape.map((d) => (d === null ? 'batch' : String(d))).join(',');
}

function compile(def: ExperimentDefinition, model: LayersModel, optimizer: Optimizer): void {
  try {
    model.compile({ optimizer, loss: def.loss, metrics: def.metrics });
  } catch (err) {
    const text = messageOf(err);
    if (/loss/i.test(text)) {
      throw experimentError(def.file, 'loss', `unknown loss ${describe(def.loss)} (${text}); use e.g. 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError' or a function (yTrue, yPred) => tensor`);
    }
    if (/metric/i.test(text)) throw experimentError(def.file, 'metrics', `unknown metric (${text}); use e.g. 'accuracy' or a function (yTrue, yPred) => tensor`);
    throw experimentError(def.file, 'model', `compiling the model failed: ${text}`);
  }
}

function toHost(split: DataSplit): HostSplit {
  return { size: split.size, xs: toHostArray(split.xs), ys: toHostArray(split.ys) };
}

function disposeQuietly(item: Tensor | LayersModel): void {
  try {
    item.dispose();
  } catch {
    // already disposed
  }
}
