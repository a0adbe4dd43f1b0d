// The streaming analyser against the batch pipeline it replaces: fastai's suggestion functions on the
// trimmed window, the diagnostics and noise computed over arrays, on random curves fed in random chunks
// (NaN and infinite losses, ties, repeated or falling learning rates, negative and huge losses, every β,
// stop factor and planned length). Equal means deep-equal: every suggestion, marker, flag and word.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeRangeTest,
  createRangeAnalyzer,
  createStopRule,
  fastaiWindow,
  noiseSigma,
  RunningNoise,
  SUGGESTION_METHODS,
  suggestMinimum,
  suggestSlide,
  suggestSteep,
  suggestValley,
  type AnalysisOptions,
  type RangeAnalysis,
  type RangePoint,
  type SuggestionMarker,
  type SuggestionMethod,
} from '../../src/core/analysis/index';
import { recommend } from '../../src/core/analysis/recommendation';
import { curveFlags } from '../../src/core/analysis/flags';
import { lagFreeCurve } from '../../src/core/analysis/zero-phase';
import { applyRecommendChoice, DEFAULT_RECOMMEND } from '../../src/core/analysis/recommend-rule';
import { medianOf } from '../../src/core/analysis/order-statistics';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The batch pipeline: every step over whole arrays, as fastai's lr_find does it. */
function reference(points: readonly RangePoint[], options: AnalysisOptions): RangeAnalysis {
  const requestedSteps = options.requestedSteps ?? points.length;
  const rule = createStopRule({ beta: options.beta, divergeFactor: options.divergeFactor });
  const smoothed: number[] = [];
  let stopIndex: number | null = null;
  let stopReason: 'diverged' | 'non-finite' | null = null;
  points.forEach((p, i) => {
    const { smoothed: s, decision } = rule.push(p.loss);
    smoothed.push(s);
    if (decision.stop && stopIndex === null) {
      stopIndex = i;
      stopReason = decision.reason;
    }
  });
  const used = stopIndex === null ? points.length : stopIndex + 1;
  const curve = smoothed.slice(0, used);
  if (stopIndex !== null && Number.isNaN(smoothed[stopIndex])) while (curve.length < requestedSteps) curve.push(NaN);
  const window = fastaiWindow(curve, requestedSteps);
  const divergeFactor = options.divergeFactor === undefined ? 4 : options.divergeFactor;
  const lagFree = lagFreeCurve(points.map((p) => p.lr), points.map((p) => p.loss), used, points.length, window, requestedSteps);
  const lrs = points.slice(window.start, window.end).map((p) => p.lr);
  const losses = smoothed.slice(window.start, window.end);
  const fns = { minimum: suggestMinimum, steep: suggestSteep, valley: suggestValley, slide: (a: readonly number[], b: readonly number[]) => suggestSlide(a, b) };
  const suggestions = {} as Record<SuggestionMethod, number | null>;
  const markers = {} as Record<SuggestionMethod, SuggestionMarker | null>;
  for (const m of SUGGESTION_METHODS) {
    const s = fns[m](lrs, losses);
    suggestions[m] = s === null ? null : s.lr;
    markers[m] = s === null ? null : { index: window.start + s.index, lr: s.markerLr, loss: s.markerLoss };
  }
  const usablePoints = window.end - window.start;
  let diagnostics = { window, usablePoints, requestedSteps, drop: 0, relativeDrop: 0, rise: 0, noiseSigma: 0, noiseRatio: Infinity };
  if (usablePoints > 0) {
    let minIdx = window.start;
    for (let i = window.start; i < window.end; i++) if (smoothed[i]! < smoothed[minIdx]!) minIdx = i;
    const min = smoothed[minIdx]!;
    let peak = -Infinity;
    for (let i = window.start; i <= minIdx; i++) peak = Math.max(peak, smoothed[i]!);
    const drop = peak - min;
    const scale = Math.max(Math.abs(peak), Math.abs(min));
    let lastFinite = used - 1;
    while (lastFinite > 0 && !Number.isFinite(smoothed[lastFinite])) lastFinite--;
    const sigma = noiseSigma(points.slice(window.start, window.end).map((p) => p.loss));
    diagnostics = { ...diagnostics, drop, relativeDrop: scale > 0 ? drop / scale : 0, rise: Math.max(0, smoothed[lastFinite]! - min), noiseSigma: sigma, noiseRatio: drop > 0 ? sigma / drop : Infinity };
  }
  const recommendation = recommend({
    pointCount: points.length,
    lrAt: (i) => points[i]!.lr,
    used,
    notIncreasing: points.slice(0, used).findIndex((p, i) => i > 0 && !(p.lr > points[i - 1]!.lr)),
    stopIndex,
    stopReason,
    requestedSteps,
    method: options.recommend ?? DEFAULT_RECOMMEND,
    suggestions,
    diagnostics,
    lossScale: losses.reduce((a, v) => Math.max(a, Math.abs(v)), 0),
    flagged: curveFlags({ lrs: points.map((p) => p.lr), losses: points.map((p) => p.loss), used, stopReason, divergeFactor, window, lagFree: lagFree.smoothed, suggestions }),
    chosen: applyRecommendChoice(options.recommend ?? DEFAULT_RECOMMEND, { suggestions, lagFree }),
  });
  const stopRule = { beta: options.beta ?? 0.98, divergeFactor };
  return { pointCount: points.length, smoothed, stopIndex, stopReason, suggestions, markers, recommendation, diagnostics, stopRule, lagFree };
}

interface Case {
  points: RangePoint[];
  options: Omit<AnalysisOptions, 'requestedSteps'>;
  /** A fixed plan, or null: the plan is the number of points so far (a log without one). */
  planned: number | null;
}

function randomCase(seed: number): Case {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = Math.floor(r() * r() * 500);
  const start = 10 ** (-7 + 3 * r());
  const end = start * 10 ** (2 + 7 * r());
  const best = Math.log10(start) + (0.3 + 0.6 * r()) * Math.log10(end / start);
  const noise = pick([0, 0.01, 0.05, 0.3]);
  const lrShape = pick(['ramp', 'ramp', 'ramp', 'repeats', 'restart', 'tiny-steps']);
  const lossShape = pick(['textbook', 'textbook', 'flat', 'rising', 'quantized', 'negative', 'huge']);
  const points: RangePoint[] = [];
  for (let i = 0; i < n; i++) {
    let lr = start * (end / start) ** (i / Math.max(1, n - 1));
    if (lrShape === 'repeats' && i % 7 === 3) lr = points[i - 1]?.lr ?? lr;
    if (lrShape === 'restart' && i > n / 2) lr = start * (end / start) ** ((i - n / 2) / Math.max(1, n - 1));
    if (lrShape === 'tiny-steps') lr = 1e-3 * (1 + i * 1e-16);
    const x = Math.log10(lr);
    let loss = 2.3 - 1.9 / (1 + Math.exp(-(x - (best - 1)) * 3)) + (x > best ? (x - best) ** 2 * 6 : 0) + (r() - 0.5) * 2 * noise;
    if (lossShape === 'flat') loss = 1 + (r() - 0.5) * noise * 0.01;
    if (lossShape === 'rising') loss = 1 + i * 0.01;
    if (lossShape === 'quantized') loss = Math.round(loss * 4) / 4;
    if (lossShape === 'negative') loss -= 3;
    if (lossShape === 'huge') loss *= 1e307;
    points.push({ lr, loss });
  }
  if (n > 0 && r() < 0.3) points[Math.floor(r() * n)]!.loss = pick([NaN, Infinity, -Infinity]);
  const options: Case['options'] = { beta: pick([0, 0.5, 0.9, 0.98, 0.98]), divergeFactor: pick([4, 4, null, 1.5]), recommend: pick(SUGGESTION_METHODS) };
  const planned = pick([null, n, n + Math.floor(r() * 300), Math.floor(n / 2)]);
  return { points, options, planned };
}

describe('createRangeAnalyzer', () => {
  test('equals the batch pipeline after every chunk, on 300 random curves fed in random chunks', () => {
    let compared = 0;
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const { points, options, planned } = randomCase(seed);
      const r = rng(seed * 7919);
      const analyzer = createRangeAnalyzer(options);
      let at = 0;
      while (at < points.length || at === 0) {
        const chunk = points.slice(at, at + 1 + Math.floor(r() * r() * 60));
        analyzer.push(chunk);
        at += chunk.length;
        const sofar = points.slice(0, at);
        const requestedSteps = planned === null ? at : planned;
        const expected = reference(sofar, { ...options, requestedSteps });
        const got = analyzer.analysis(planned === null ? undefined : planned);
        assert.deepStrictEqual(got, expected, `seed ${seed}, ${at} points`);
        compared += 1;
        for (const f of got.recommendation.flags) seen.add(f);
        if (got.stopReason) seen.add(got.stopReason);
        if (at === 0) break;
      }
    }
    assert.ok(compared > 2000, `${compared} comparisons`);
    // The sample must reach every flag and both stop reasons, or the comparison proves little.
    for (const f of ['too-few-points', 'never-diverged', 'flat', 'no-descent', 'noisy', 'stopped-early', 'incomplete', 'lr-not-increasing', 'diverged', 'non-finite']) {
      assert.ok(seen.has(f), `no curve exercised ${f}`);
    }
  });

  test('analyzeRangeTest is the analyser fed every point; analysis() is cached until a point arrives', () => {
    const { points, options } = randomCase(4242);
    const analyzer = createRangeAnalyzer(options);
    analyzer.push(points);
    const a = analyzer.analysis(points.length + 50);
    assert.equal(analyzer.analysis(points.length + 50), a);
    assert.deepStrictEqual(a, analyzeRangeTest(points, { ...options, requestedSteps: points.length + 50 }));
    // The analysis is a snapshot: later points do not change it.
    const smoothed = a.smoothed.slice();
    analyzer.add(1e3, 1);
    assert.deepStrictEqual(a.smoothed, smoothed);
    assert.notEqual(analyzer.analysis(points.length + 50), a);
    assert.equal(analyzer.count, points.length + 1);
    assert.equal(analyzer.smoothed.length, points.length + 1);
  });

  test('refuses a bad lr with its index, and bad options, as analyzeRangeTest does', () => {
    const analyzer = createRangeAnalyzer();
    analyzer.add(1e-3, 1);
    assert.throws(() => analyzer.add(0, 1), /point 1: lr must be a finite number > 0 \(got 0\)/);
    assert.throws(() => analyzer.analysis(-1), /requestedSteps must be a whole number/);
    assert.throws(() => createRangeAnalyzer({ beta: 1 }), /beta must be a number in \[0, 1\)/);
    assert.throws(() => createRangeAnalyzer({ divergeFactor: 1 }), /divergeFactor must be a number > 1/);
    assert.throws(() => createRangeAnalyzer({ recommend: 'best' as SuggestionMethod }), /recommend must be one of/);
  });
});

describe('RunningNoise', () => {
  test('equals noiseSigma after every point, ties and even and odd counts included', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const quantum = seed % 3 === 0 ? 0.5 : 0;
      const running = new RunningNoise();
      const raw: number[] = [];
      const n = 5 + Math.floor(r() * 300);
      for (let i = 0; i < n; i++) {
        const v = 2 - i * 0.003 + (r() - 0.5) * 0.2;
        raw.push(quantum ? Math.round(v / quantum) * quantum : v);
        running.push(raw[i]!);
        if (r() < 0.2 || i === n - 1) {
          assert.equal(running.sigma(), noiseSigma(raw), `seed ${seed}, ${raw.length} losses`);
        }
      }
    }
  });

  test('equals noiseSigma on long series and on non-finite second differences', () => {
    const r = rng(99);
    const raw = Array.from({ length: 30_000 }, (_, i) => Math.round((2 - i * 1e-5 + (r() - 0.5) * 0.1) * 1e3) / 1e3);
    const running = new RunningNoise();
    raw.slice(0, 20_000).forEach((v) => running.push(v));
    assert.equal(running.sigma(), noiseSigma(raw.slice(0, 20_000)));
    raw.slice(20_000).forEach((v) => running.push(v));
    assert.equal(running.sigma(), noiseSigma(raw));
    const huge = [1, 2, 1.7e308, 3, -1.7e308, 2, 1];
    const h = new RunningNoise();
    huge.forEach((v) => h.push(v));
    assert.ok(Object.is(h.sigma(), noiseSigma(huge)));
  });

  test('medianOf equals the middle of Float64Array#sort: ties, zeros, infinities, NaN, even and odd counts', () => {
    const r = rng(7);
    const specials = [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Infinity, Infinity, 1, -1, 0.1 + 0.2];
    for (const n of [1, 2, 3, 10, 5000, 50_001]) {
      for (const withNaN of [false, true]) {
        const values = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? specials[(i / 10) % specials.length]! : Math.round((r() - 0.5) * 100) / 10));
        if (withNaN) values[n >> 1] = NaN;
        const sorted = Float64Array.from(values).sort();
        const mid = n >> 1;
        const expected = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
        const got = medianOf(Float64Array.from(values));
        assert.ok(Object.is(got, expected) || (got === 0 && expected === 0), `n ${n}${withNaN ? ' with NaN' : ''}: ${got} vs ${expected}`);
      }
    }
  });
});
