/**
 * Reads an experiment file into a validated `ExperimentDefinition`: bundle, evaluate, find the
 * default export (an object, or a function `(tf) => object`), check every field. `model()` and
 * `data()` are not called here (see `instantiate.ts`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ExperimentError, experimentError, messageOf } from '../errors';
import type { Tf } from '../tf-handle';
import { bundleExperiment, evaluateBundle } from './bundle';
import { OPTIMIZER_TYPES, type ExperimentDefinition, type OptimizerConfig, type OptimizerType, type TensorFn } from './types';

/** sha256 of a file's bytes, hex. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Loads and validates the experiment module at `path`. Throws `ExperimentError` naming the
 * file and the field for anything the user can fix.
 * `fallbackFrom`: extra places (files or folders) to resolve npm packages from.
 */
export async function readExperiment(path: string, tf: Tf, fallbackFrom: string[] = []): Promise<ExperimentDefinition> {
  const file = isAbsolute(path) ? path : resolve(path);
  if (!existsSync(file)) throw experimentError(file, 'file', 'no such file');
  const sha256 = sha256File(file);
  const code = await bundleExperiment(file);
  let exports: unknown;
  try {
    exports = evaluateBundle(file, code, tf, fallbackFrom);
  } catch (err) {
    if (err instanceof ExperimentError) throw err;
    throw experimentError(file, 'file', `the module threw while loading: ${messageOf(err)}`);
  }
  let raw = defaultExport(exports);
  if (raw === undefined) {
    throw experimentError(file, 'default export', 'missing: export default an object (or a function (tf) => object) with model(), data(), loss, optimizer and batchSize');
  }
  if (typeof raw === 'function') {
    try {
      raw = await (raw as (tf: Tf) => unknown)(tf);
    } catch (err) {
      throw experimentError(file, 'default export', `the exported function threw: ${messageOf(err)}`);
    }
  }
  if (raw === null || typeof raw !== 'object') {
    throw experimentError(file, 'default export', `must be an object (or a function returning one), got ${describe(raw)}`);
  }
  return validateFields(file, sha256, raw as Record<string, unknown>);
}

function defaultExport(exports: unknown): unknown {
  if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return undefined;
  const record = exports as Record<string, unknown>;
  if ('default' in record && record.default !== undefined) return record.default;
  // A CommonJS module that assigned the experiment object itself to module.exports.
  if (typeof record.model === 'function' && typeof record.data === 'function') return record;
  return undefined;
}

function validateFields(file: string, sha256: string, raw: Record<string, unknown>): ExperimentDefinition {
  const need = (field: 'model' | 'data'): (() => unknown) => {
    const value = raw[field];
    if (typeof value !== 'function') {
      const hint = field === 'model' ? 'a function returning a tf.LayersModel' : 'an async function returning { train: { xs, ys }, validation? }';
      throw experimentError(file, field, `must be ${hint}, got ${describe(value)}`);
    }
    return value as () => unknown;
  };
  const model = need('model');
  const data = need('data');

  const loss = raw.loss;
  if (typeof loss !== 'string' && typeof loss !== 'function') {
    throw experimentError(file, 'loss', `must be a loss name (e.g. 'categoricalCrossentropy', 'meanSquaredError') or a function (yTrue, yPred) => tensor, got ${describe(loss)}`);
  }

  const metricsRaw = raw.metrics ?? [];
  const metricsList = Array.isArray(metricsRaw) ? metricsRaw : [metricsRaw];
  for (const m of metricsList) {
    if (typeof m !== 'string' && typeof m !== 'function') {
      throw experimentError(file, 'metrics', `each metric must be a name (e.g. 'accuracy') or a function, got ${describe(m)}`);
    }
  }

  const batchSize = raw.batchSize;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
    throw experimentError(file, 'batchSize', `must be a positive integer, got ${describe(batchSize)}`);
  }
  const epochs = optionalNumber(file, raw, 'epochs', (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  const weightDecay = optionalNumber(file, raw, 'weightDecay', (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  const seed = optionalNumber(file, raw, 'seed', (v) => Number.isInteger(v), 'an integer');

  const definition: ExperimentDefinition = {
    file,
    sha256,
    model,
    data,
    loss: loss as string | TensorFn,
    metrics: metricsList as Array<string | TensorFn>,
    optimizer: parseOptimizer(file, raw.optimizer),
    batchSize,
  };
  if (typeof raw.name === 'string') definition.label = raw.name;
  if (epochs !== undefined) definition.epochs = epochs;
  if (weightDecay !== undefined) definition.weightDecay = weightDecay;
  if (seed !== undefined) definition.seed = seed;
  return definition;
}

function optionalNumber(
  file: string,
  raw: Record<string, unknown>,
  field: 'epochs' | 'weightDecay' | 'seed',
  ok: (v: number) => boolean,
  what: string,
): number | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !ok(value)) throw experimentError(file, field, `must be ${what}, got ${describe(value)}`);
  return value;
}

const OPTIMIZER_NUMBER_FIELDS = ['momentum', 'beta1', 'beta2', 'epsilon', 'decay', 'rho', 'initialAccumulatorValue'] as const;

/** `'adam'` or `{ type: 'adam', beta1: 0.9, … }` → `OptimizerConfig`. The LR is LR Scope's, never read here. */
export function parseOptimizer(file: string, raw: unknown): OptimizerConfig {
  const known = OPTIMIZER_TYPES.join(', ');
  const typeOf = (name: unknown): OptimizerType => {
    if (typeof name === 'string' && (OPTIMIZER_TYPES as readonly string[]).includes(name.toLowerCase())) {
      return name.toLowerCase() as OptimizerType;
    }
    throw experimentError(file, 'optimizer', `unknown optimizer ${describe(name)}; use one of ${known} (or { type, momentum, beta1, … })`);
  };
  if (typeof raw === 'string') return withTypeDefaults({ type: typeOf(raw) });
  if (raw === null || typeof raw !== 'object') {
    throw experimentError(file, 'optimizer', `must be one of ${known} or { type, … }, got ${describe(raw)}`);
  }
  const record = raw as Record<string, unknown>;
  const config: OptimizerConfig = { type: typeOf(record.type) };
  for (const key of OPTIMIZER_NUMBER_FIELDS) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw experimentError(file, 'optimizer', `${key} must be a finite number ≥ 0, got ${describe(value)}`);
    }
    config[key] = value;
  }
  if (typeof record.nesterov === 'boolean') config.nesterov = record.nesterov;
  if (typeof record.centered === 'boolean') config.centered = record.centered;
  if (config.type === 'sgd' && config.momentum !== undefined && config.momentum > 0) config.type = 'momentum';
  return withTypeDefaults(config);
}

/** Defaults where tfjs has none (momentum for 'momentum', betas for Adam/Adamax: Keras' values). */
function withTypeDefaults(config: OptimizerConfig): OptimizerConfig {
  switch (config.type) {
    case 'momentum':
      return { momentum: 0.9, ...config };
    case 'adam':
      return { beta1: 0.9, beta2: 0.999, ...config };
    case 'adamax':
      return { beta1: 0.9, beta2: 0.999, ...config };
    case 'rmsprop':
      return { decay: 0.9, momentum: 0, ...config };
    case 'adadelta':
      return { rho: 0.95, ...config };
    case 'sgd':
    case 'adagrad':
      return config;
  }
}

/** A short description of a value for messages: `undefined`, `a string 'x'`, `42`, `an object`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
}
