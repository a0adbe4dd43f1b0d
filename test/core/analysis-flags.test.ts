/**
 * The analysis' honest flags, each on a curve made to trip it: a raw loss that exploded while the
 * lagging EMA never crossed the stop rule, a suggestion on the plateau after that explosion, one past
 * the lag-free minimum, and an analysis without the divergence test; and a clean curve trips none.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agreeingMean, analyzeRangeTest, rawExplosion, type RangePoint, type RecommendRule } from '../../src/core/analysis/index';

function ramp(n: number, start: number, end: number): number[] {
  return Array.from({ length: n }, (_, i) => start * (end / start) ** (i / n));
}

/** Deterministic pseudo-noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/**
 * The shape measured on two PyTorch curves: a clean descent to 0.4, then at point 85 the raw loss jumps
 * to 14× that and eases off (a plateau after the divergence) — too late in a 120-step test for the
 * β = 0.98 EMA to cross 4× its best.
 */
function explodesLate(): RangePoint[] {
  const r = noise(3);
  return ramp(120, 1e-5, 10).map((lr, i) => {
    const base = 0.4 + 1.9 / (1 + Math.exp((Math.log10(lr) + 3) / 0.3));
    return { lr, loss: (i < 85 ? base : 0.4 * (14 - (8 * (i - 85)) / 35)) * (1 + 0.02 * r()) };
  });
}

/** A V in log lr: down to 0.5 at 1e-2, then up by 0.4 per decade (never 4×): the EMA's minimum lags past the real one. */
function vShape(): RangePoint[] {
  const r = noise(5);
  return ramp(100, 1e-6, 10).map((lr) => {
    const x = Math.log10(lr);
    return { lr, loss: (x < -2 ? 0.5 + 1.8 / (1 + Math.exp((x + 4) / 0.4)) : 0.5 + 0.4 * (x + 2)) * (1 + 0.02 * r()) };
  });
}

/** The textbook curve of analysis.test.ts: plateau, descent at 1e-3, blow-up after 10^-1.5, 200 steps. */
function textbook(): RangePoint[] {
  const r = noise(7);
  return ramp(200, 1e-6, 10).map((lr) => {
    const x = Math.log10(lr);
    const clean = 2.3 - 2 / (1 + Math.exp(-(x + 3) / 0.4)) + 0.3 * Math.exp((x + 1.5) * 6);
    return { lr, loss: clean * (1 + 0.02 * r()) };
  });
}

const NEW_FLAGS = ['raw-exploded', 'post-divergence', 'past-minimum', 'no-divergence-test'] as const;

describe('honest flags', () => {
  test('raw-exploded: the raw loss went 14× while the smoothed loss never tripped the stop rule; never-diverged is not claimed', () => {
    const a = analyzeRangeTest(explodesLate());
    assert.equal(a.stopIndex, null, 'the lagging EMA never crossed 4×');
    assert.ok(a.recommendation.flags.includes('raw-exploded'), a.recommendation.flags.join());
    assert.ok(!a.recommendation.flags.includes('never-diverged'));
    const caveat = a.recommendation.caveats.find((c) => c.flag === 'raw-exploded')!;
    assert.match(caveat.text, /^The raw loss rose to 1[34]× its lowest level \(above 4× from lr 1\.[0-9]e-1 on\), but the smoothed loss, which lags, never tripped the stop rule \(4× its best\)/);
    assert.match(a.recommendation.message, /The raw loss rose to/);
  });

  test('post-divergence: a suggestion on the plateau after the raw loss exploded is named', () => {
    const a = analyzeRangeTest(explodesLate());
    const curve = explodesLate();
    const explosion = rawExplosion(curve.map((p) => p.lr), curve.map((p) => p.loss), 120, 4)!;
    assert.equal(explosion.index, 85);
    const caveat = a.recommendation.caveats.find((c) => c.flag === 'post-divergence');
    assert.ok(caveat, a.recommendation.flags.join());
    assert.ok(a.suggestions.slide! >= explosion.lr, `slide ${a.suggestions.slide} sits past the explosion at ${explosion.lr}`);
    assert.match(caveat.text, /^slide 1\.8e-1 lies where the raw loss had already exploded/);
  });

  test('past-minimum: a suggestion beyond the lowest point of the lag-free curve', () => {
    const a = analyzeRangeTest(vShape());
    assert.equal(a.stopIndex, null);
    const caveat = a.recommendation.caveats.find((c) => c.flag === 'past-minimum');
    assert.ok(caveat, a.recommendation.flags.join());
    let minIdx = a.diagnostics.window.start;
    for (let i = a.diagnostics.window.start; i < a.diagnostics.window.end; i++) if (a.lagFree.smoothed[i]! < a.lagFree.smoothed[minIdx]!) minIdx = i;
    const minLr = vShape()[minIdx]!.lr;
    assert.ok(a.suggestions.minimum! > minLr, `the EMA's minimum/10 (${a.suggestions.minimum}) is past the lag-free minimum (${minLr})`);
    assert.match(caveat.text, /^minimum \d\.\de-2 lies past the lowest point of the lag-free smoothed loss \(lr \d\.\de-3\)/);
    assert.ok(!a.recommendation.flags.includes('raw-exploded'), 'it rose, but never 4×');
  });

  test('no-divergence-test: an analysis with diverge factor none says so, and what factor its flags used', () => {
    const a = analyzeRangeTest(explodesLate(), { divergeFactor: null });
    assert.deepEqual(a.stopRule, { beta: 0.98, divergeFactor: null });
    assert.equal(a.recommendation.flags[a.recommendation.flags.indexOf('no-divergence-test') + 1], 'raw-exploded');
    const caveat = a.recommendation.caveats.find((c) => c.flag === 'no-divergence-test')!;
    assert.match(caveat.text, /^The divergence test was off \(diverge factor none\): .* an explosion at 4× the lowest loss\.$/);
    assert.match(a.recommendation.caveats.find((c) => c.flag === 'raw-exploded')!.text, /never tripped the stop rule \(it was off\)/);
    assert.deepEqual(analyzeRangeTest(explodesLate(), { divergeFactor: 6 }).stopRule, { beta: 0.98, divergeFactor: 6 });
  });

  test('a clean curve trips none of them', () => {
    const a = analyzeRangeTest(textbook());
    for (const flag of NEW_FLAGS) assert.ok(!a.recommendation.flags.includes(flag), flag);
  });

  test('rawExplosion reads the lowest level from a running median: one lucky batch is not the minimum', () => {
    const points = ramp(40, 1e-4, 1).map((lr) => ({ lr, loss: 1 }));
    points[20] = { lr: points[20]!.lr, loss: 0.1 }; // 10× below its neighbours
    const lrs = points.map((p) => p.lr);
    assert.equal(rawExplosion(lrs, points.map((p) => p.loss), 40, 4), null);
    points[30] = { lr: points[30]!.lr, loss: 4.5 };
    assert.deepEqual(rawExplosion(lrs, points.map((p) => p.loss), 40, 4), { index: 30, lr: points[30]!.lr, ratio: 4.5 });
    assert.equal(rawExplosion(lrs, points.map((p) => p.loss), 30, 4), null, 'only the analysed points count');
  });
});

describe('recommendation rules', () => {
  test('each rule reads the suggestions (or the lag-free ones) as it says; the suggestions themselves are untouched', () => {
    const a = analyzeRangeTest(textbook());
    const s = a.suggestions;
    const l = a.lagFree.suggestions;
    const expected: Record<string, number | null> = {
      valley: s.valley,
      minimum: s.minimum,
      'minimum-x2': 2 * s.minimum!,
      'valley-x10': 10 * s.valley!,
      'lag-free-minimum': l.minimum,
      'lag-free-minimum-x3': (l.minimum! * 10) / 3,
      'lag-free-valley': l.valley,
    };
    for (const [rule, lr] of Object.entries(expected)) {
      const r = analyzeRangeTest(textbook(), { recommend: rule as RecommendRule }).recommendation;
      assert.ok(Math.abs(r.lr! - lr!) <= 1e-15 * lr!, `${rule}: ${r.lr} vs ${lr}`);
      assert.equal(r.rule, rule);
      assert.deepEqual(analyzeRangeTest(textbook(), { recommend: rule as RecommendRule }).suggestions, s);
    }
    assert.throws(() => analyzeRangeTest(textbook(), { recommend: 'median' as RecommendRule }), /recommend must be one of minimum, steep, valley, slide, minimum-x2, valley-x10/);
  });

  test('agreeing-mean: the geometric mean of the suggestions within half a decade of their median', () => {
    assert.ok(Math.abs(agreeingMean({ minimum: 1e-2, steep: 1e-4, valley: 4e-3, slide: 6e-3 })! - (1e-2 * 4e-3 * 6e-3) ** (1 / 3)) < 1e-15);
    assert.equal(agreeingMean({ minimum: null, steep: null, valley: null, slide: null }), null);
    assert.ok(Math.abs(agreeingMean({ minimum: 3e-3, steep: null, valley: null, slide: null })! - 3e-3) < 1e-15);
  });
});
