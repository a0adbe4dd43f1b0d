// Range-test analysis of 10k points (smoothing, stop rule, fastai's four suggestions, flags), and reading
// the same run from a 10k-row CSV log. Prints figures only; nothing here asserts a time.
import { performance } from 'node:perf_hooks';
import { analyzeRangeTest, type RangePoint } from '../src/core/analysis/index';
import { parseLrLog } from '../src/core/logs/index';

const POINTS = 10_000;
const REPEATS = 7;

function rangeTest(n: number): RangePoint[] {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => {
    const lr = 1e-7 * 1e8 ** (i / n);
    const x = Math.log10(lr);
    const clean = 2.3 - 2 / (1 + Math.exp(-(x + 3) / 0.5)) + 0.2 * Math.exp((x + 0.3) * 5);
    return { lr, loss: clean * (1 + 0.05 * (rand() - 0.5)) };
  });
}

function medianMs(fn: () => void): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[REPEATS >> 1];
}

export interface BenchFigure {
  name: string;
  ms: number;
}

/** Runs the benchmark, prints one line per figure, and returns the figures. */
export function run(): BenchFigure[] {
  const points = rangeTest(POINTS);
  const csv = 'lr,loss\n' + points.map((p) => `${p.lr},${p.loss}`).join('\n') + '\n';
  const figures: BenchFigure[] = [
    { name: `analyzeRangeTest, ${POINTS} points (median of ${REPEATS})`, ms: medianMs(() => analyzeRangeTest(points, { divergeFactor: null })) },
    { name: `parseLrLog, ${POINTS}-row CSV (median of ${REPEATS})`, ms: medianMs(() => parseLrLog(csv, 'bench.csv')) },
  ];
  for (const f of figures) console.log(`${f.name}: ${f.ms.toFixed(2)} ms`);
  return figures;
}

if (require.main === module) run();
