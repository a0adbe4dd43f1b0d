// The inserted TF.js callback really drives the optimizer: a transformed script is run with the
// real @tensorflow/tfjs (cpu backend) and the learning rate / momentum each optimizer update used
// is recorded and compared with the core's sequence.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { applyEdits } from '../../src/codegen/types';
import { sampleSchedule, type ScheduleSpec } from '../../src/core/schedules';
import { loadParser, planOf } from './ts-helpers';

/** 40 samples, batch size 4, 2 epochs: 20 optimizer updates. */
const script = (callbacks: string): string => `import * as tf from '@tensorflow/tfjs';

export async function train(optimizer: tf.Optimizer): Promise<number> {
  let epochsSeen = 0;
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const xs = tf.randomNormal([40, 2], 0, 1, 'float32', 1);
  const ys = tf.randomNormal([40, 1], 0, 1, 'float32', 2);
  await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0${callbacks} });
  return epochsSeen;
}
`;

type Train = (optimizer: tf.Optimizer) => Promise<number>;

function load(spec: ScheduleSpec, callbacks = ''): Train {
  const text = script(callbacks);
  const transformed = applyEdits(text, planOf(spec, { text, fileName: 'train.ts' }).edits);
  const js = ts.transpileModule(transformed, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as { train?: Train } };
  const warnings: unknown[] = [];
  const sandbox = {
    module,
    exports: module.exports,
    require: (name: string) => {
      assert.equal(name, '@tensorflow/tfjs');
      return tf;
    },
    console: { log() {}, warn: (...args: unknown[]) => warnings.push(args), error() {} },
  };
  vm.runInNewContext(js, sandbox);
  const train = module.exports.train!;
  return async (optimizer) => {
    const result = await train(optimizer);
    assert.deepEqual(warnings, [], 'the step count matched the schedule');
    return result;
  };
}

interface Used {
  lr: number[];
  momentum: number[];
}

/** Records, at every update, what the optimizer is about to use. */
function record(optimizer: tf.Optimizer, read: (o: Record<string, unknown>) => { lr: number; momentum: number }): Used {
  const used: Used = { lr: [], momentum: [] };
  const apply = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (gradients) => {
    const { lr, momentum } = read(optimizer as unknown as Record<string, unknown>);
    used.lr.push(lr);
    used.momentum.push(momentum);
    apply(gradients);
  };
  return used;
}

const scalarOf = (t: unknown): number => (t as tf.Scalar).dataSync()[0]!;

function assertSequence(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: number of updates`);
  actual.forEach((a, i) => {
    const err = Math.abs(a - expected[i]!) / Math.abs(expected[i]!);
    assert.ok(err <= tolerance, `${what}[${i}]: used ${a}, schedule says ${expected[i]} (rel. err ${err})`);
  });
}

const SPEC: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 20, pctStart: 0.25 };
const expected = sampleSchedule(SPEC);

describe('the inserted TF.js callback drives real tf.js optimizers', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await loadParser();
  });

  it('SGD: the learning-rate tensor follows the schedule', async () => {
    const optimizer = tf.train.sgd(1);
    const used = record(optimizer, (o) => ({ lr: -scalarOf(o.c), momentum: Number.NaN }));
    await load(SPEC)(optimizer);
    assertSequence(used.lr, expected.lr, 1e-6, 'lr (float32 tensor)');
  });

  it('Momentum: learning rate and the momentum tensor its updates read follow the schedule', async () => {
    const optimizer = tf.train.momentum(1, 0.5);
    const used = record(optimizer, (o) => ({ lr: -scalarOf(o.c), momentum: scalarOf(o.m) }));
    await load(SPEC)(optimizer);
    assertSequence(used.lr, expected.lr, 1e-6, 'lr');
    assertSequence(used.momentum, expected.momentum!, 1e-6, 'momentum');
  });

  it('Adam: learningRate and beta1 follow the schedule', async () => {
    const optimizer = tf.train.adam(1, 0.5);
    const used = record(optimizer, (o) => ({ lr: o.learningRate as number, momentum: o.beta1 as number }));
    await load(SPEC)(optimizer);
    assertSequence(used.lr, expected.lr, 1e-9, 'lr');
    assertSequence(used.momentum, expected.momentum!, 1e-9, 'beta1');
  });

  it('RMSProp: learningRate and momentum follow the schedule', async () => {
    const optimizer = tf.train.rmsprop(1, 0.9, 0.5);
    const used = record(optimizer, (o) => ({ lr: o.learningRate as number, momentum: o.momentum as number }));
    await load(SPEC)(optimizer);
    assertSequence(used.lr, expected.lr, 1e-9, 'lr');
    assertSequence(used.momentum, expected.momentum!, 1e-9, 'momentum');
  });

  it('keeps existing callbacks working: tf.Callback instances and plain objects', async () => {
    const asCallback = tf.train.adagrad(1);
    const used = record(asCallback, (o) => ({ lr: o.learningRate as number, momentum: Number.NaN }));
    await load(SPEC, `, callbacks: [tf.callbacks.earlyStopping({ monitor: 'loss', patience: 100 })]`)(asCallback);
    assertSequence(used.lr, expected.lr, 1e-9, 'lr with an earlyStopping callback');

    const asObject = tf.train.adagrad(1);
    const usedToo = record(asObject, (o) => ({ lr: o.learningRate as number, momentum: Number.NaN }));
    const epochs = await load(SPEC, `, callbacks: { onEpochEnd: () => { epochsSeen += 1; } }`)(asObject);
    assert.equal(epochs, 2, 'the user callback still ran every epoch');
    assertSequence(usedToo.lr, expected.lr, 1e-9, 'lr with a plain callback object');
  });
});
