// Super-convergence on the digits example (issue 3 §7): with the same epoch budget, an untuned
// default LR, a constant LR at the range test's suggestion, the best of a small grid of constant
// LRs, and one-cycle at the range test's LR. Prints validation accuracy per epoch and the epochs
// each needs to reach a target. Figures only, no assertions.
// Usage: node --import tsx bench/superconvergence.bench.ts [--epochs N] [--target 0.92] [--seed S] [--backend wasm|cpu]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatLr, recommendSchedule } from '../src/core/analysis/index';
import type { EpochPoint, RunRecord } from '../src/core/runs/record';
import type { ScheduleSpec } from '../src/core/schedules/index';
import { analyzeRecord } from '../src/cli/report/index';
import { runRangeTest, runTraining } from '../src/engine/index';

const EXPERIMENT = join(__dirname, '..', 'examples', 'digits.experiment.ts');

export interface SuperconvergenceOptions {
  epochs?: number;
  /** Validation accuracy to reach. */
  target?: number;
  backend?: 'wasm' | 'cpu';
  /** Constant LRs tried by the grid search. */
  grid?: number[];
  /** Steps of the range test. */
  rangeSteps?: number;
  /** Seed of every run (default: the experiment's). */
  seed?: number;
  log?: (line: string) => void;
}

export interface RunFigure {
  name: string;
  schedule: string;
  /** Validation accuracy after each epoch. */
  valAccuracy: number[];
  /** First epoch whose validation accuracy reaches the target, or null. */
  epochsToTarget: number | null;
  finalValLoss: number;
  seconds: number;
}

export interface SuperconvergenceResult {
  epochs: number;
  target: number;
  stepsPerEpoch: number;
  rangeTest: { suggestions: Record<string, number | null>; recommended: number | null; method: string; seconds: number };
  runs: RunFigure[];
  /** The grid's constant LRs with their final validation accuracy. */
  grid: { lr: number; finalValAccuracy: number }[];
}

/** The validation-accuracy metric of an epoch (`val_acc` or `val_accuracy`, whichever tfjs named it). */
function valAccuracy(e: EpochPoint): number {
  const key = Object.keys(e.metrics).find((k) => k.startsWith('val_') && k.includes('acc'));
  return key === undefined ? NaN : e.metrics[key]!;
}

/** Runs the whole comparison and prints a table; returns the figures. */
export async function run(options: SuperconvergenceOptions = {}): Promise<SuperconvergenceResult> {
  const epochs = options.epochs ?? 4;
  const target = options.target ?? 0.92;
  const backend = options.backend ?? 'wasm';
  const grid = options.grid ?? [0.003, 0.01, 0.03, 0.1, 0.3];
  const log = options.log ?? ((line: string) => console.log(line));
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-superconvergence-'));
  const cache = new Map<string, RunFigure>();
  const seed = options.seed !== undefined ? { seed: options.seed } : {};

  const train = async (name: string, schedule: ScheduleSpec, label: string): Promise<{ figure: RunFigure; record: RunRecord }> => {
    const t0 = performance.now();
    const record = await runTraining({ experimentPath: EXPERIMENT, backend, runsDir, options: { schedule, epochs, ...seed } });
    const accs = record.epochs.map(valAccuracy);
    const reached = accs.findIndex((a) => a >= target);
    const figure: RunFigure = {
      name,
      schedule: label,
      valAccuracy: accs,
      epochsToTarget: reached === -1 ? null : reached + 1,
      finalValLoss: record.epochs.at(-1)?.valLoss ?? NaN,
      seconds: (performance.now() - t0) / 1000,
    };
    log(`  ${name}: ${accs.map((a) => (100 * a).toFixed(2)).join(' → ')} % (${figure.seconds.toFixed(1)} s)`);
    return { figure, record };
  };
  /** A constant-LR run; the same LR twice (the grid holds 0.01) reuses the first run. */
  const constant = async (name: string, lr: number): Promise<{ figure: RunFigure; record: RunRecord | null }> => {
    const key = lr.toPrecision(6);
    const cached = cache.get(key);
    if (cached) {
      log(`  ${name}: same run as constant ${formatLr(lr)}`);
      return { figure: { ...cached, name }, record: null };
    }
    const result = await train(name, { policy: 'constant', lr }, `constant ${formatLr(lr)}`);
    cache.set(key, result.figure);
    return result;
  };

  log(
    `super-convergence on ${EXPERIMENT} (${backend}), ${epochs} epochs each, target ${(100 * target).toFixed(1)} % validation accuracy` +
      (options.seed !== undefined ? `, seed ${options.seed}` : ", the experiment's seed"),
  );
  const runs: RunFigure[] = [];

  // 1. Untuned: Keras's SGD default learning rate (the experiment's optimizer: momentum 0.9).
  const untuned = await constant('untuned default (Keras SGD 0.01)', 0.01);
  runs.push(untuned.figure);
  const stepsPerEpoch = (untuned.record?.points.length ?? 0) / epochs;

  // 2. The range test.
  const t0 = performance.now();
  const rangeRecord = await runRangeTest({ experimentPath: EXPERIMENT, backend, runsDir, options: { steps: options.rangeSteps ?? 200, ...seed } });
  const rangeSeconds = (performance.now() - t0) / 1000;
  const analysis = analyzeRecord(rangeRecord);
  const recommended = analysis.recommendation.lr;
  log(
    `  range test (${rangeRecord.points.length} steps, ${rangeSeconds.toFixed(1)} s): ` +
      Object.entries(analysis.suggestions).map(([m, v]) => `${m} ${v === null ? '—' : formatLr(v)}`).join(', ') +
      `; recommended ${recommended === null ? 'none' : formatLr(recommended)} (${analysis.recommendation.method})`,
  );

  // 3. Constant at the suggestion, 4. one-cycle at the same LR (PyTorch OneCycleLR defaults).
  if (recommended !== null) {
    runs.push((await constant(`constant at the range test's LR`, recommended)).figure);
    const spec = recommendSchedule(analysis, { flavor: 'pytorch', epochs, stepsPerEpoch });
    runs.push((await train(`one-cycle at the range test's LR`, spec, `one-cycle max ${formatLr(recommended)}`)).figure);
  }
  // Also one-cycle at the 'minimum' suggestion (min-loss LR / 10, the seed's rule), often larger.
  const minimum = analysis.suggestions.minimum;
  if (minimum !== null && (recommended === null || Math.abs(Math.log10(minimum / recommended)) > 0.05)) {
    const spec = recommendSchedule(analysis, { flavor: 'pytorch', epochs, stepsPerEpoch, maxLr: minimum });
    runs.push((await train(`one-cycle at 'minimum'`, spec, `one-cycle max ${formatLr(minimum)}`)).figure);
  }

  // 5. The grid of constant LRs; the best by final validation accuracy.
  const gridFigures: { lr: number; finalValAccuracy: number; figure: RunFigure }[] = [];
  for (const lr of grid) {
    const { figure } = await constant(`grid constant ${formatLr(lr)}`, lr);
    gridFigures.push({ lr, finalValAccuracy: figure.valAccuracy.at(-1) ?? NaN, figure });
  }
  const best = gridFigures.reduce((a, b) => (b.finalValAccuracy > a.finalValAccuracy ? b : a));
  runs.push({ ...best.figure, name: `best constant of the grid (${formatLr(best.lr)})` });
  // One-cycle at the grid's best LR, to see whether the schedule or the LR makes the difference.
  const bestSpec = recommendSchedule(analysis, { flavor: 'pytorch', epochs, stepsPerEpoch, maxLr: best.lr });
  runs.push((await train(`one-cycle at the grid's best LR`, bestSpec, `one-cycle max ${formatLr(best.lr)}`)).figure);

  rmSync(runsDir, { recursive: true, force: true });

  const header = ['run'.padEnd(40), 'schedule'.padEnd(22), ...Array.from({ length: epochs }, (_, i) => `ep${i + 1}`.padStart(7)), `to ${(100 * target).toFixed(0)}%`.padStart(7)];
  log('');
  log(header.join(' '));
  for (const r of runs) {
    log(
      [
        r.name.padEnd(40),
        r.schedule.padEnd(22),
        ...r.valAccuracy.map((a) => (100 * a).toFixed(2).padStart(7)),
        (r.epochsToTarget === null ? '—' : String(r.epochsToTarget)).padStart(7),
      ].join(' '),
    );
  }
  log(`grid (final val acc): ${gridFigures.map((g) => `${formatLr(g.lr)} ${(100 * g.finalValAccuracy).toFixed(2)} %`).join(', ')}`);
  return {
    epochs,
    target,
    stepsPerEpoch,
    rangeTest: { suggestions: analysis.suggestions, recommended, method: analysis.recommendation.method, seconds: rangeSeconds },
    runs,
    grid: gridFigures.map(({ lr, finalValAccuracy }) => ({ lr, finalValAccuracy })),
  };
}

if (require.main === module) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const backend = arg('backend');
  void run({
    ...(arg('epochs') ? { epochs: Number(arg('epochs')) } : {}),
    ...(arg('target') ? { target: Number(arg('target')) } : {}),
    ...(arg('seed') ? { seed: Number(arg('seed')) } : {}),
    ...(backend === 'cpu' || backend === 'wasm' ? { backend } : {}),
  });
}
