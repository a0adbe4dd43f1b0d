// Our range-test analysis against fastai's own `lr_find` pipeline (recorder smoothing, LRFinder stop rule,
// `[num_it//10:-5]` trimming, NaN cut, valley/slide/minimum/steep), ported faithfully to Python in
// fixtures/analysis/fastai_lr_find.py and run with real torch + numpy on the same random curves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyzeRangeTest, SUGGESTION_METHODS, type RangePoint, type SuggestionMethod } from '../../src/core/analysis/index';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'fixtures', 'analysis', 'fastai_lr_find.py');
const INSTALL_HINT =
  `fastai reference needs Python 3 with torch and numpy at ${PYTHON}. ` +
  'Install them with: sudo apt-get install -y python3-torch python3-numpy';

interface Curve {
  lrs: number[];
  losses: (number | null)[];
  numIt: number;
  stopDiv: boolean;
}

interface FastaiResult {
  recorded: number;
  smoothed: (number | null)[];
  points: Record<SuggestionMethod, [number, number] | null>;
  minimum: number | null;
  steep: number | null;
  valley: number | null;
  slide: number | null;
}

/** mulberry32: a small deterministic PRNG, so the curves are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Realistic range-test curves: plateau, descent, blow-up; multiplicative batch noise; some NaN tails. */
function makeCurves(count: number, seed: number): Curve[] {
  const rand = prng(seed);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const curves: Curve[] = [];
  for (let c = 0; c < count; c++) {
    const numIt = Math.floor(uniform(30, 260));
    const startLr = 10 ** uniform(-8, -5);
    const endLr = 10 ** uniform(-1, 1.5);
    const lrs = Array.from({ length: numIt }, (_, i) => startLr * (endLr / startLr) ** (i / numIt));
    const x0 = Math.log10(startLr);
    const x1 = Math.log10(endLr);
    const base = uniform(0.3, 3);
    const drop = c % 10 === 9 ? 0 : uniform(0.1, 0.9) * base; // every tenth curve is flat
    const mid = uniform(x0 + 0.2 * (x1 - x0), x0 + 0.7 * (x1 - x0));
    const width = uniform(0.2, 1);
    const blowAt = uniform(mid, x1 + 0.3);
    const blowRate = uniform(3, 10);
    const sigma = uniform(0, 0.12);
    const nanAbove = rand() < 0.3 ? base * uniform(3, 20) : Infinity;
    // Some runs hit NaN abruptly (overflow) while the loss still looks fine.
    const nanFrom = rand() < 0.2 ? Math.floor(uniform(0.4, 0.95) * numIt) : Infinity;
    const losses = lrs.map((lr, i) => {
      if (i >= nanFrom) return null;
      const x = Math.log10(lr);
      const clean = base - drop / (1 + Math.exp(-(x - mid) / width)) + base * 0.05 * Math.exp((x - blowAt) * blowRate);
      const noisy = clean * Math.max(0.05, 1 + sigma * gauss());
      return noisy > nanAbove ? null : noisy;
    });
    curves.push({ lrs, losses, numIt, stopDiv: rand() < 0.85 });
  }
  return curves;
}

function runFastai(curves: Curve[]): FastaiResult[] {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ curves }), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) assert.fail(`${INSTALL_HINT} (${run.error.message})`);
  if (run.status !== 0) {
    const missing = /ModuleNotFoundError|ImportError/.test(run.stderr);
    assert.fail(missing ? `${INSTALL_HINT}\n${run.stderr}` : `fastai reference failed:\n${run.stderr}`);
  }
  return (JSON.parse(run.stdout) as { results: FastaiResult[] }).results;
}

function close(actual: number, expected: number, what: string, rel = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300),
    `${what}: ${actual} vs fastai ${expected}`,
  );
}

test('suggestions, markers, smoothing and stop point match fastai lr_find on 50 random curves', () => {
  const curves = makeCurves(50, 20260501);
  const results = runFastai(curves);
  assert.equal(results.length, curves.length);
  const answered: Record<SuggestionMethod, number> = { minimum: 0, steep: 0, valley: 0, slide: 0 };
  let stopped = 0;
  let withNaN = 0;
  curves.forEach((curve, c) => {
    const expected = results[c];
    const points: RangePoint[] = curve.lrs.map((lr, i) => ({ lr, loss: curve.losses[i] ?? NaN }));
    const analysis = analyzeRangeTest(points, { requestedSteps: curve.numIt, divergeFactor: curve.stopDiv ? 4 : null });
    const hasNaN = curve.losses.includes(null);
    if (hasNaN && analysis.stopReason === 'non-finite') withNaN++;
    // fastai keeps recording NaN losses; it stops only on divergence or after num_it batches.
    if (analysis.stopReason === 'diverged') {
      stopped++;
      assert.equal(analysis.stopIndex! + 1, expected.recorded, `curve ${c}: stop point`);
    } else if (analysis.stopReason === null) {
      assert.equal(points.length, expected.recorded, `curve ${c}: recorded length`);
    }
    expected.smoothed.forEach((s, i) => {
      if (s === null) assert.ok(Number.isNaN(analysis.smoothed[i]), `curve ${c}: smoothed[${i}] should be NaN`);
      else close(analysis.smoothed[i], s, `curve ${c}: smoothed[${i}]`, 1e-9);
    });
    for (const m of SUGGESTION_METHODS) {
      const want = expected[m];
      const got = analysis.suggestions[m];
      if (want === null) {
        assert.equal(got, null, `curve ${c}: ${m} should be null like fastai's (which raises)`);
        continue;
      }
      answered[m]++;
      assert.notEqual(got, null, `curve ${c}: ${m} missing, fastai gives ${want}`);
      close(got!, want, `curve ${c}: ${m}`);
      const point = expected.points[m]!;
      const marker = analysis.markers[m]!;
      close(marker.lr, point[0], `curve ${c}: ${m} marker lr`);
      close(marker.loss, point[1], `curve ${c}: ${m} marker loss`, 1e-9);
      assert.equal(points[marker.index].lr, marker.lr, `curve ${c}: ${m} marker index`);
    }
  });
  // The sample must exercise every branch, or the comparison proves little.
  for (const m of SUGGESTION_METHODS) assert.ok(answered[m] >= 40, `${m} answered on only ${answered[m]} curves`);
  assert.ok(stopped >= 10, `only ${stopped} curves stopped on divergence`);
  assert.ok(withNaN >= 8, `only ${withNaN} curves stopped on a NaN loss`);
});
