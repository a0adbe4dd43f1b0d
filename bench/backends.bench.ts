/**
 * Backend step times (issue 3 §7): wasm vs cpu (and tensorflow where installed) for an MLP (batch 64) and a
 * small CNN (2 conv + 2 max-pool + dense on 28×28×1, batch 32), in ms per training step and as ratios, each
 * backend with its stock kernels and with ours (stock wasm cannot train the CNN at all); and, kernel by
 * kernel, the cost of cpu's stock Conv2DBackpropFilter against ours on the CNN's own shapes.
 * Inputs are synthetic (random): step time does not depend on the values. Figures only, no assertions.
 *
 * Run: node --import tsx bench/backends.bench.ts
 */
import type * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { defaultWasmDir, findTfjsNode, initBackend, type BackendHandle } from '../src/engine/backend/index';

type TF = typeof tfjs;

export interface StepFigure {
  model: 'mlp' | 'cnn';
  backend: string;
  /** Median wall-clock ms per step. */
  msPerStep: number;
  /** Mean CPU ms (user + system) per step: close to wall time on an idle machine, and stable on a busy one. */
  cpuMsPerStep: number;
  steps: number;
}

export interface KernelFigure {
  shape: string;
  stockCpuMs: number;
  oursCpuMs: number;
  oursWasmMs: number;
}

export interface BackendsBenchResult {
  steps: StepFigure[];
  conv2dBackpropFilter: KernelFigure[];
  tensorflow: 'absent' | 'measured' | string;
}

const mlp = (tf: TF): tfjs.Sequential => tf.sequential({
  layers: [
    tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});

const cnn = (tf: TF): tfjs.Sequential => tf.sequential({
  layers: [
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});

/** The CNN's two Conv2DBackpropFilter calls per step: [x shape, dy shape, filter shape]. */
const CNN_FILTER_GRADS: Array<[number[], number[], [number, number, number, number]]> = [
  [[32, 28, 28, 1], [32, 26, 26, 16], [3, 3, 1, 16]],
  [[32, 13, 13, 16], [32, 11, 11, 32], [3, 3, 16, 32]],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall and CPU ms per `trainOnBatch` step after `warmup` steps. */
async function stepTime(tf: TF, kind: 'mlp' | 'cnn', backend: string, steps: number, warmup = 2): Promise<StepFigure> {
  const model = kind === 'mlp' ? mlp(tf) : cnn(tf);
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const batch = kind === 'mlp' ? 64 : 32;
  const xs = tf.randomNormal(kind === 'mlp' ? [batch, 784] : [batch, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tfjs.Tensor1D, 10);
  const times: number[] = [];
  let cpuMicros = 0;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await model.trainOnBatch(xs, ys);
    const c = process.cpuUsage(c0);
    if (i >= warmup) {
      times.push(performance.now() - t0);
      cpuMicros += c.user + c.system;
    }
  }
  tf.dispose([xs, ys]);
  model.dispose();
  return { model: kind, backend, msPerStep: median(times), cpuMsPerStep: cpuMicros / 1000 / steps, steps };
}

function kernelTime(tf: TF, [xShape, dyShape, filterShape]: (typeof CNN_FILTER_GRADS)[number], repeats: number, warmup = 1): number {
  const x = tf.randomNormal(xShape);
  const dy = tf.randomNormal(dyShape);
  const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape } as unknown as tfjs.NamedAttrMap;
  const times: number[] = [];
  for (let i = 0; i < repeats + warmup; i++) {
    const c0 = process.cpuUsage();
    const out = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tfjs.Tensor;
    out.dataSync();
    const c = process.cpuUsage(c0);
    if (i >= warmup) times.push((c.user + c.system) / 1000);
    out.dispose();
  }
  tf.dispose([x, dy]);
  return median(times);
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(7);

/** Measures and prints; returns the figures. `quick` takes fewer steps (for smoke runs). */
export async function run(options: { quick?: boolean; log?: (line: string) => void } = {}): Promise<BackendsBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const n = options.quick ? 3 : 20;
  const steps: StepFigure[] = [];
  const kernels: KernelFigure[] = [];

  // 1. cpu with its stock kernels: must come before initBackend('cpu') puts ours in place.
  const plain = await import('@tensorflow/tfjs');
  await plain.setBackend('cpu');
  await plain.ready();
  // (the stock kernel is a plain loop that takes seconds: no warm-up, few repeats)
  const stockKernelMs = CNN_FILTER_GRADS.map((c) => kernelTime(plain, c, options.quick ? 1 : 2, 0));
  steps.push(await stepTime(plain, 'cnn', 'cpu (stock kernels)', options.quick ? 1 : 2, 0));

  const cpu = await initBackend('cpu', { searchFrom: [] });
  const oursCpuMs = CNN_FILTER_GRADS.map((c) => kernelTime(cpu.tf, c, n));
  steps.push(await stepTime(cpu.tf, 'mlp', 'cpu', n));
  steps.push(await stepTime(cpu.tf, 'cnn', 'cpu (+ our kernels)', options.quick ? 2 : 5));

  // 2. wasm with its stock kernels (it can train the MLP, not the CNN), then with ours.
  setWasmPaths(`${defaultWasmDir()}/`);
  await plain.setBackend('wasm');
  await plain.ready();
  steps.push(await stepTime(plain, 'mlp', 'wasm (stock kernels)', n));
  const wasm = await initBackend('wasm', { searchFrom: [] });
  const oursWasmMs = CNN_FILTER_GRADS.map((c) => kernelTime(wasm.tf, c, n));
  steps.push(await stepTime(wasm.tf, 'mlp', 'wasm', n));
  steps.push(await stepTime(wasm.tf, 'cnn', 'wasm', n));
  CNN_FILTER_GRADS.forEach(([x, dy], i) => kernels.push({
    shape: `x [${x}] dy [${dy}]`, stockCpuMs: stockKernelMs[i], oursCpuMs: oursCpuMs[i], oursWasmMs: oursWasmMs[i],
  }));

  let tensorflow: BackendsBenchResult['tensorflow'] = 'absent';
  if (findTfjsNode([process.cwd()]).candidates.length > 0) {
    try {
      const handle: BackendHandle = await initBackend('tensorflow', { searchFrom: [process.cwd()] });
      steps.push(await stepTime(handle.tf, 'mlp', 'tensorflow', n));
      steps.push(await stepTime(handle.tf, 'cnn', 'tensorflow', n));
      tensorflow = 'measured';
    } catch (error) {
      tensorflow = error instanceof Error ? error.message : String(error);
    }
  }

  log(`backends bench — ${wasm.runtime}, tfjs ${wasm.libraryVersion}; ${wasm.notes.find((s) => s.startsWith('wasm:')) ?? ''}`);
  log('');
  log('Conv2DBackpropFilter on the CNN\'s shapes (CPU ms per call, median)');
  log('  shape                                     cpu stock   cpu ours  wasm ours');
  for (const k of kernels) log(`  ${k.shape.padEnd(40)} ${fmt(k.stockCpuMs)}    ${fmt(k.oursCpuMs)}    ${fmt(k.oursWasmMs)}`);
  log('');
  log('training step (MLP 784-256-128-10 batch 64; CNN conv16-pool-conv32-pool-dense10 batch 32)');
  log('  model backend                  wall ms   CPU ms   (wall: median; CPU: mean user+system; ratios use CPU)');
  for (const s of steps) {
    log(`  ${s.model.padEnd(5)} ${s.backend.padEnd(22)} ${fmt(s.msPerStep)}  ${fmt(s.cpuMsPerStep)}   (${s.steps} steps)`);
  }
  const ms = (model: string, backend: string): number | undefined =>
    steps.find((s) => s.model === model && s.backend === backend)?.cpuMsPerStep;
  const ratio = (a?: number, b?: number): string => (a !== undefined && b !== undefined ? `${(a / b).toFixed(1)}×` : 'n/a');
  log('');
  log(`  MLP: wasm is ${ratio(ms('mlp', 'cpu'), ms('mlp', 'wasm'))} faster than cpu; `
    + `our BatchMatMul makes wasm ${ratio(ms('mlp', 'wasm (stock kernels)'), ms('mlp', 'wasm'))} faster than stock wasm`);
  log(`  CNN: wasm is ${ratio(ms('cnn', 'cpu (+ our kernels)'), ms('cnn', 'wasm'))} faster than cpu with our kernels, `
    + `${ratio(ms('cnn', 'cpu (stock kernels)'), ms('cnn', 'wasm'))} faster than stock cpu`);
  log(tensorflow === 'absent'
    ? '  tensorflow: not measured — @tensorflow/tfjs-node is not installed here (it cannot be, on this machine)'
    : tensorflow === 'measured' ? '  tensorflow: measured above' : `  tensorflow: failed to start — ${tensorflow}`);
  return { steps, conv2dBackpropFilter: kernels, tensorflow };
}

if (require.main === module) {
  run({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
