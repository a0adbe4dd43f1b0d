// The engine's per-batch overhead: our range-test loop (schedule, LR control, batching, stop rule,
// events, a yield per batch) against a bare tfjs loop on the same model, backend and data, in one
// run; then tf.memory().numTensors and RSS over 1,000 steps of our loop; then the cost of keeping
// the run record on disk as it grows (RunRecordWriter) at 10k, 100k and 1M points. Prints figures only.
// Usage: node --import tsx bench/engine-overhead.bench.ts [wasm|cpu] (default wasm)
import { performance } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { runRangeTest } from '../src/engine/index';
import { RunRecordWriter } from '../src/engine/run-store';
import { RUN_RECORD_VERSION, type RunRecord } from '../src/core/runs/record';
import { initBackend, type Tf } from '../src/engine/tf-handle';
import { readExperiment } from '../src/engine/experiment/definition';
import { instantiateExperiment } from '../src/engine/experiment/instantiate';
import { takeRange } from '../src/engine/host-data';

const EXPERIMENT = join(__dirname, '..', 'examples', 'digits.experiment.ts');
const STEPS = 150; // timed steps per round
const WARMUP = 20;
const ROUNDS = 5;
const MEMORY_STEPS = 1000;

export interface OverheadFigures {
  backend: string;
  /** CPU ms per step of this process (robust to other load on the machine). */
  bareMsPerStep: number;
  trainOnBatchMsPerStep: number;
  oursMsPerStep: number;
  ratio: number;
  ratioVsTrainOnBatch: number;
  /** Same ratio in wall-clock time (noisy when other processes share the cores). */
  wallRatio: number;
  tensors: Record<number, number>;
  rssMb: Record<number, number>;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Wall-clock and CPU time of this process, ms. CPU time is the robust figure on a shared machine. */
interface Clock {
  wall: number;
  cpu: number;
}
function now(): Clock {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}
function perStep(from: Clock, to: Clock, steps: number): Clock {
  return { wall: (to.wall - from.wall) / steps, cpu: (to.cpu - from.cpu) / steps };
}

/** The bare loops: pre-made batches; optimizer.minimize + one dataSync of the loss per step, and model.trainOnBatch. */
async function bareLoop(tf: Tf, steps: number): Promise<{ minimize: Clock; trainOnBatch: Clock }> {
  const def = await readExperiment(EXPERIMENT, tf);
  const optimizer = tf.train.momentum(1e-3, 0.9);
  const exp = await instantiateExperiment(def, tf, optimizer);
  const n = exp.train.size;
  const batchSize = def.batchSize;
  const batches: Array<{ xs: Tensor; ys: Tensor }> = [];
  for (let start = 0; start + batchSize <= n; start += batchSize) {
    batches.push({ xs: takeRange(tf, exp.train.xs, start, batchSize), ys: takeRange(tf, exp.train.ys, start, batchSize) });
  }
  const vars = exp.model.trainableWeights.map((w) => w.read() as Variable);
  const minimizeStep = (i: number): void => {
    const { xs, ys } = batches[i % batches.length]!;
    const cost = tf.tidy(() => {
      // The same loss as the experiment's ('categoricalCrossentropy', the Layers API's).
      const loss = optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(ys, exp.model.apply(xs, { training: true }) as Tensor)) as Scalar, true, vars);
      return loss!;
    });
    cost.dataSync();
    cost.dispose();
  };
  const time = async (stepFn: (i: number) => void | Promise<unknown>): Promise<Clock> => {
    for (let i = 0; i < WARMUP; i++) await stepFn(i);
    const t0 = now();
    for (let i = 0; i < steps; i++) await stepFn(i);
    return perStep(t0, now(), steps);
  };
  const minimize = await time(minimizeStep);
  const trainOnBatch = await time((i) => exp.model.trainOnBatch(batches[i % batches.length]!.xs, batches[i % batches.length]!.ys));
  tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
  exp.dispose();
  optimizer.dispose();
  return { minimize, trainOnBatch };
}

/** Our loop: a real range test; per-step time from the point timestamps after the warm-up. */
async function ourLoop(backend: 'wasm' | 'cpu', steps: number, onStep?: (step: number) => void): Promise<Clock> {
  const stamps: Clock[] = [];
  await runRangeTest(
    { experimentPath: EXPERIMENT, backend, runsDir: mkdtempSync(join(tmpdir(), 'lrscope-bench-')), options: { startLr: 1e-5, endLr: 1e-2, steps: WARMUP + steps, divergeFactor: null } },
    {
      onPoint: (p) => {
        stamps[p.step] = now();
        onStep?.(p.step);
      },
    },
  );
  return perStep(stamps[WARMUP - 1]!, stamps[WARMUP + steps - 1]!, steps);
}

/** Runs the benchmark, prints the figures, and returns them. */
export async function run(backend: 'wasm' | 'cpu' = 'wasm'): Promise<OverheadFigures> {
  const { tf } = await initBackend(backend, { searchFrom: [] });
  const bare: Clock[] = [];
  const tob: Clock[] = [];
  const ours: Clock[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const b = await bareLoop(tf, STEPS);
    bare.push(b.minimize);
    tob.push(b.trainOnBatch);
    ours.push(await ourLoop(backend, STEPS));
  }
  const tensors: Record<number, number> = {};
  const rssMb: Record<number, number> = {};
  const marks = new Set([WARMUP, 250, 500, 750, MEMORY_STEPS - 1 + WARMUP]);
  await ourLoop(backend, MEMORY_STEPS, (step) => {
    if (marks.has(step)) {
      tensors[step] = tf.memory().numTensors;
      rssMb[step] = Math.round(process.memoryUsage().rss / 2 ** 20);
    }
  });
  const m = (xs: Clock[], key: keyof Clock): number => median(xs.map((x) => x[key]));
  const figures: OverheadFigures = {
    backend,
    bareMsPerStep: m(bare, 'cpu'),
    trainOnBatchMsPerStep: m(tob, 'cpu'),
    oursMsPerStep: m(ours, 'cpu'),
    ratio: m(ours, 'cpu') / m(bare, 'cpu'),
    ratioVsTrainOnBatch: m(ours, 'cpu') / m(tob, 'cpu'),
    wallRatio: m(ours, 'wall') / m(bare, 'wall'),
    tensors,
    rssMb,
  };
  const row = (label: string, xs: Clock[]): string =>
    `  ${label.padEnd(58)} cpu ${m(xs, 'cpu').toFixed(2)} ms/step, wall ${m(xs, 'wall').toFixed(2)} ms/step  [cpu per round: ${xs.map((x) => x.cpu.toFixed(2)).join(', ')}]`;
  console.log(`engine overhead on ${backend}, digits MLP 784-128-10, batch 64, median of ${ROUNDS} rounds × ${STEPS} steps:`);
  console.log(row('bare tfjs loop (minimize + dataSync, pre-made batches):', bare));
  console.log(row('bare tfjs loop (model.trainOnBatch, pre-made batches):', tob));
  console.log(row('LR Scope range-test loop:', ours));
  console.log(`  ratio ours / bare minimize: ${figures.ratio.toFixed(3)} (cpu), ${figures.wallRatio.toFixed(3)} (wall);  ours / trainOnBatch: ${figures.ratioVsTrainOnBatch.toFixed(3)} (cpu)   (goal ≤ 1.03)`);
  console.log(`  over ${MEMORY_STEPS} steps of our loop: numTensors ${JSON.stringify(tensors)}  RSS MB ${JSON.stringify(rssMb)}`);
  await persistence();
  return figures;
}

/** A step of simulated training: `ms` of busy CPU, then a yield (as the engine's loop does). */
async function fakeStep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The record saved as it grows: the same simulated run (2 ms steps for 3 s) with and without the
 * writer, side by side, from records that already hold 10k, 100k and 1M points.
 */
export async function persistence(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-bench-record-'));
  const STEP_MS = 2;
  const SECONDS = 3;
  console.log(`record persistence (RunRecordWriter defaults: ≤ 1 save/s, full rewrites ≤ 5 % of the time, new points appended in between), ${STEP_MS} ms steps for ${SECONDS} s:`);
  for (const size of [10_000, 100_000, 1_000_000]) {
    const points = Array.from({ length: size }, (_, i) => ({ step: i, lr: 1e-7 * Math.pow(1e8, i / size), loss: 2 + Math.sin(i), smoothed: 2 }));
    const record: RunRecord = {
      version: RUN_RECORD_VERSION,
      id: `bench-${size}`,
      kind: 'range-test',
      status: 'running',
      startedAt: new Date().toISOString(),
      experiment: { path: '/bench.experiment.ts', sha256: '' },
      environment: { backend: 'cpu', libraryVersion: '-', runtime: '-', threads: 1, lrscopeVersion: 'bench' },
      schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 1_000_000 },
      options: {},
      points,
      epochs: [],
    };
    const run = async (withWriter: boolean): Promise<{ steps: number; wallMs: number; writer?: RunRecordWriter }> => {
      const writer = withWriter ? await RunRecordWriter.open(dir, record) : undefined;
      const start = performance.now();
      let steps = 0;
      while (performance.now() - start < SECONDS * 1000) {
        await fakeStep(STEP_MS);
        record.points.push({ step: record.points.length, lr: 1, loss: 1, smoothed: 1 });
        writer?.changed();
        steps++;
      }
      const wallMs = performance.now() - start;
      if (writer) await writer.close();
      return writer ? { steps, wallMs, writer } : { steps, wallMs };
    };
    const without = await run(false);
    const withIt = await run(true);
    const msPerStep = (r: { steps: number; wallMs: number }): number => r.wallMs / r.steps;
    const w = withIt.writer!;
    console.log(
      `  ${String(size).padStart(9)} points: ${msPerStep(without).toFixed(3)} ms/step without, ${msPerStep(withIt).toFixed(3)} ms/step with ` +
        `(ratio ${(msPerStep(withIt) / msPerStep(without)).toFixed(3)}); ${w.saves} saves: ${w.saves - w.appends} full rewrites ` +
        `(${((w.savingMs - w.appendingMs) / Math.max(1, w.saves - w.appends)).toFixed(1)} ms each: the one at the start), ` +
        `${w.appends} appends (${(w.appendingMs / Math.max(1, w.appends)).toFixed(2)} ms each); ${((w.savingMs / withIt.steps) * 1000).toFixed(1)} µs of saving per step`,
    );
  }
}

if (require.main === module) {
  const arg = process.argv[2];
  // `persistence` alone: the record-saving figures without the tfjs rounds
  void (arg === 'persistence' ? persistence() : run(arg === 'cpu' ? 'cpu' : 'wasm'));
}
