import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeRangeTest,
  createStopRule,
  fastaiWindow,
  longestDecreasingRuns,
  noiseSigma,
  numpyGradient,
  smoothLosses,
  suggestMinimum,
  suggestSlide,
  suggestSteep,
  suggestValley,
  type RangePoint,
} from '../../src/core/analysis/index';

/** lr_i = start·(end/start)^(i/n), fastai's LRFinder ramp (pos = i/num_it). */
function ramp(n: number, start = 1e-6, end = 10): number[] {
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

/** A textbook range test: plateau at 2.3, descent around `mid`, blow-up after `blow` (log10 lr). */
function textbook(n: number, opts: { mid?: number; blow?: number; jitter?: number; start?: number; end?: number } = {}): RangePoint[] {
  const { mid = -3, blow = -1.5, jitter = 0.02, start = 1e-6, end = 10 } = opts;
  const r = noise(7);
  return ramp(n, start, end).map((lr) => {
    const x = Math.log10(lr);
    const clean = 2.3 - 2 / (1 + Math.exp(-(x - mid) / 0.4)) + 0.3 * Math.exp((x - blow) * 6);
    return { lr, loss: clean * (1 + jitter * r()) };
  });
}

describe('smoothLosses', () => {
  test('is the bias-corrected EMA: first value is the first loss, constants stay constant', () => {
    assert.deepEqual(smoothLosses([2]), [2]);
    const constant = smoothLosses(Array(50).fill(1.5));
    for (const v of constant) assert.ok(Math.abs(v - 1.5) < 1e-12);
    const losses = [3, 1, 2, 5];
    let avg = 0;
    const expected = losses.map((l, i) => {
      avg = 0.98 * avg + (1 - 0.98) * l;
      return avg / (1 - 0.98 ** (i + 1));
    });
    assert.deepEqual(smoothLosses(losses), expected);
    assert.ok(Math.abs(smoothLosses([3, 1], 0.5)[1] - (0.25 * 3 + 0.5 * 1) / 0.75) < 1e-15);
  });

  test("differs from Lightning's lr_finder, which divides by 1 − β^(i+2)", () => {
    // Lightning: smoothed = avg / (1 − β^(global_step + 1)) with global_step already 1 at the first batch.
    const lightningFirst = (0.02 * 2) / (1 - 0.98 ** 2);
    assert.ok(Math.abs(lightningFirst / 2 - 0.505) < 0.001); // Lightning starts at ~half the real loss
    assert.equal(smoothLosses([2])[0], 2);
  });

  test('beta 0 leaves the losses as they are; NaN poisons the rest; bad beta is refused', () => {
    assert.deepEqual(smoothLosses([3, 1, 2], 0), [3, 1, 2]);
    const s = smoothLosses([1, NaN, 1]);
    assert.ok(Number.isNaN(s[1]) && Number.isNaN(s[2]));
    assert.throws(() => smoothLosses([1], 1), /beta must be a number in \[0, 1\)/);
    assert.throws(() => smoothLosses([1], -0.1), /beta/);
  });
});

describe('createStopRule', () => {
  test('stops when smoothed > 4 × best smoothed, best including the current batch', () => {
    const rule = createStopRule();
    const losses = [...Array(20).fill(1), ...Array(200).fill(50)];
    const smoothed = smoothLosses(losses);
    let expected = -1;
    let best = Infinity;
    for (let i = 0; i < smoothed.length && expected < 0; i++) {
      best = Math.min(best, smoothed[i]);
      if (smoothed[i] > 4 * best) expected = i;
    }
    assert.ok(expected > 20);
    let fired = -1;
    for (let i = 0; i < losses.length; i++) {
      const { smoothed: s, decision } = rule.push(losses[i]);
      assert.equal(s, smoothed[i]);
      if (decision.stop) {
        assert.equal(decision.reason, 'diverged');
        fired = i;
        break;
      }
    }
    assert.equal(fired, expected);
    assert.ok(Math.abs(rule.best - 1) < 1e-12);
    assert.equal(rule.count, expected + 1);
  });

  test('divergeFactor changes the threshold; null disables it but a non-finite loss still stops', () => {
    const climb = Array.from({ length: 300 }, (_, i) => 1 + i * 0.05);
    const firstStop = (factor: number | null): number => {
      const rule = createStopRule({ divergeFactor: factor });
      return climb.findIndex((l) => rule.push(l).decision.stop);
    };
    assert.ok(firstStop(2) < firstStop(4));
    assert.equal(firstStop(null), -1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const rule = createStopRule({ divergeFactor: null });
      rule.push(1);
      assert.deepEqual(rule.push(bad).decision, { stop: true, reason: 'non-finite' });
    }
    assert.throws(() => createStopRule({ divergeFactor: 1 }), /divergeFactor must be a number > 1/);
  });

  test('negative losses never trip the multiplicative test', () => {
    const rule = createStopRule();
    for (const l of [-1, -2, -3, -0.5, -0.1]) assert.equal(rule.push(l).decision.stop, false);
  });
});

describe('fastai suggestion functions', () => {
  test('fastaiWindow is recorder[num_it//10 : -5], cut at the first non-finite loss', () => {
    assert.deepEqual(fastaiWindow(Array(100).fill(1), 100), { start: 10, end: 95 });
    assert.deepEqual(fastaiWindow(Array(40).fill(1), 100), { start: 10, end: 35 }); // stopped early: trim by num_it
    assert.deepEqual(fastaiWindow(Array(5).fill(1), 100), { start: 5, end: 5 });
    const withNaN = Array(100).fill(1);
    withNaN[50] = NaN;
    assert.deepEqual(fastaiWindow(withNaN, 100), { start: 10, end: 50 });
  });

  test('minimum: one tenth of the lowest-loss lr, marker at the lowest point (first on ties)', () => {
    const s = suggestMinimum([1, 2, 3, 4, 5], [5, 3, 1, 1, 4])!;
    assert.equal(s.lr, 0.3);
    assert.equal(s.index, 2);
    assert.equal(s.markerLr, 3);
    assert.equal(suggestMinimum([], []), null);
  });

  test('steep: the lr at the left end of the steepest drop in loss per ln(lr)', () => {
    const lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1];
    const s = suggestSteep(lrs, [2, 1.9, 1.0, 0.8, 3])!;
    assert.equal(s.lr, 1e-3);
    assert.equal(s.index, 1);
    assert.equal(suggestSteep([1], [1]), null);
  });

  test('valley: patience-sorted run lengths equal fastai’s O(n²) loop, ties included', () => {
    const r = noise(3);
    for (let trial = 0; trial < 30; trial++) {
      const losses = Array.from({ length: 60 }, () => Math.round((r() + 1) * 5)); // many ties
      const lds = losses.map(() => 1);
      for (let i = 1; i < losses.length; i++) {
        for (let j = 0; j < i; j++) if (losses[i] < losses[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      }
      assert.deepEqual(longestDecreasingRuns(losses), lds);
    }
  });

  test('valley: two thirds down the longest decreasing run, with fastai’s edge cases', () => {
    const lrs = Array.from({ length: 12 }, (_, i) => i + 1);
    // 10 > 9 > … > 1 over indices 1..10 (length 10): max_end 10, max_start 10 − 10 = 0,
    // sections 10/3, idx = 0 + int(3.33) + int(1.67) = 4.
    const losses = [5, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 4];
    const s = suggestValley(lrs, losses)!;
    assert.equal(s.index, 4);
    assert.equal(s.lr, 5);
    // A non-contiguous run counts too: 9 > 7 > 5 > 3 skipping the bumps (length 4, ends at index 6).
    assert.equal(suggestValley([1, 2, 3, 4, 5, 6, 7], [9, 10, 7, 8, 5, 6, 3])!.index, 6 - 4 + 1);
    assert.equal(suggestValley([1], [1])!.index, 0);
    assert.equal(suggestValley([1, 2, 3], [1, 1, 1])!.index, 0); // never beaten: max_start stays 0
    assert.equal(suggestValley([1, 2], [2, 1])!.index, 1); // idx −1 → Python's lrs[-1]
    assert.equal(suggestValley([], []), null);
  });

  test('numpyGradient: one-sided at the ends, central inside', () => {
    assert.deepEqual(numpyGradient([1, 2, 4, 7]), [1, 1.5, 2.5, 3]);
    assert.throws(() => numpyGradient([1]));
  });

  test('slide: walks left while the gradients 15 points apart differ by more than thresh', () => {
    const lrs = ramp(40);
    // Straight line: equal gradients everywhere, the loop never runs, answer is lrs[n − 16].
    const line = lrs.map((_, i) => 3 - 0.001 * i);
    assert.equal(suggestSlide(lrs, line)!.index, 40 - 16);
    // A steep fall at the right end: the window slides left until both ends are in the flat part.
    const hockey = lrs.map((_, i) => (i < 25 ? 2 : 2 - 0.2 * (i - 24)));
    const s = suggestSlide(lrs, hockey)!;
    assert.ok(s.index < 40 - 16, `index ${s.index}`);
    assert.equal(s.lr, lrs[s.index]);
    assert.equal(s.markerLoss, hockey[s.index]);
    assert.equal(suggestSlide(lrs.slice(0, 15), line.slice(0, 15)), null); // fastai: IndexError
    assert.equal(suggestSlide(lrs, line, { adjustValue: 0.5 })!.lr, lrs[24] * 0.5);
  });
});

describe('analyzeRangeTest', () => {
  test('a textbook curve: a recommendation without caveats, methods in good agreement', () => {
    const points = textbook(200);
    const a = analyzeRangeTest(points);
    assert.equal(a.stopReason, 'diverged');
    assert.ok(a.stopIndex! > 150);
    assert.deepEqual(a.recommendation.flags, []);
    // the default rule, chosen by bench/recommendation.bench.ts: the min-loss LR / 5 (twice fastai's minimum)
    assert.equal(a.recommendation.rule, 'minimum-x2');
    assert.equal(a.recommendation.method, 'minimum');
    assert.equal(a.recommendation.lr, 2 * a.suggestions.minimum!);
    const lr = a.recommendation.lr!;
    assert.ok(lr > 1e-4 && lr < 1e-1, `lr ${lr}`);
    assert.ok(a.recommendation.spreadDecades! >= 0);
    assert.notEqual(a.recommendation.agreement, 'poor');
    assert.match(a.recommendation.message, /^Use \d\.\de-\d as the one-cycle maximum learning rate \(minimum-x2: the min-loss LR \/ 5\)\./);
    const valley = analyzeRangeTest(points, { recommend: 'valley' }).recommendation;
    assert.deepEqual([valley.rule, valley.method, valley.lr], ['valley', 'valley', a.suggestions.valley]);
    assert.match(valley.message, /maximum learning rate \(valley\)\./);
    for (const m of ['minimum', 'steep', 'valley', 'slide'] as const) {
      const marker = a.markers[m]!;
      assert.equal(points[marker.index].lr, marker.lr);
      assert.ok(marker.index >= a.diagnostics.window.start && marker.index < a.diagnostics.window.end);
    }
    assert.equal(a.smoothed.length, points.length);
  });

  test('points after the stop are not analysed', () => {
    const points = textbook(200);
    const a = analyzeRangeTest(points);
    const cut = analyzeRangeTest(points.slice(0, a.stopIndex! + 1), { requestedSteps: 200 });
    assert.deepEqual(cut.suggestions, a.suggestions);
  });

  test('recommend picks the method; spread is log10(max/min) of the answers', () => {
    const a = analyzeRangeTest(textbook(200), { recommend: 'minimum' });
    assert.equal(a.recommendation.lr, a.suggestions.minimum);
    const values = Object.values(a.suggestions) as number[];
    assert.ok(Math.abs(a.recommendation.spreadDecades! - Math.log10(Math.max(...values) / Math.min(...values))) < 1e-12);
  });

  test('never-diverged: the loss still falls at the end, so the range was too narrow', () => {
    const a = analyzeRangeTest(textbook(200, { end: 1e-2, blow: 5 }));
    assert.equal(a.stopIndex, null);
    assert.ok(a.recommendation.flags.includes('never-diverged'));
    assert.notEqual(a.recommendation.lr, null);
    assert.match(a.recommendation.message, /Raise endLr/);
  });

  test('flat: no number, and the message says why', () => {
    const r = noise(11);
    const points = ramp(150).map((lr) => ({ lr, loss: 0.7 * (1 + 0.001 * r()) }));
    const a = analyzeRangeTest(points);
    assert.ok(a.recommendation.flags.includes('flat'));
    assert.equal(a.recommendation.lr, null);
    assert.match(a.recommendation.message, /^No learning rate recommended: the loss is flat/);
  });

  test('no-descent: a loss that only rises gives no number', () => {
    const points = ramp(150).map((lr, i) => ({ lr, loss: 1 + 0.01 * i }));
    const a = analyzeRangeTest(points, { divergeFactor: null });
    assert.ok(a.recommendation.flags.includes('no-descent'));
    assert.equal(a.recommendation.lr, null);
    assert.match(a.recommendation.message, /Lower startLr/);
  });

  test('too-few-points: a caveat under 50 usable points, no number under 10', () => {
    const some = analyzeRangeTest(textbook(45, { blow: 5 }));
    assert.ok(some.recommendation.flags.includes('too-few-points'));
    assert.notEqual(some.recommendation.lr, null);
    const tiny = analyzeRangeTest(textbook(12));
    assert.equal(tiny.recommendation.lr, null);
    assert.match(tiny.recommendation.message, /too few usable points/);
    const none = analyzeRangeTest([]);
    assert.equal(none.recommendation.lr, null);
    assert.deepEqual(none.suggestions, { minimum: null, steep: null, valley: null, slide: null });
    assert.equal(none.recommendation.spreadDecades, null);
  });

  test('noisy: batch noise larger than the drop is flagged', () => {
    const r = noise(5);
    const points = ramp(300).map((lr) => {
      const x = Math.log10(lr);
      return { lr, loss: 2.3 - 0.1 / (1 + Math.exp(-(x + 3) / 0.4)) + 0.5 * r() };
    });
    const a = analyzeRangeTest(points, { divergeFactor: null });
    assert.ok(a.diagnostics.noiseRatio > 1, `ratio ${a.diagnostics.noiseRatio}`);
    assert.ok(a.recommendation.flags.includes('noisy'));
    assert.ok(!analyzeRangeTest(textbook(200)).recommendation.flags.includes('noisy'));
  });

  test('noiseSigma estimates white noise on top of a trend', () => {
    const r = noise(9);
    // Uniform noise in [-1, 1) has σ = 1/√3.
    const raw = Array.from({ length: 4000 }, (_, i) => 5 - 0.001 * i + r());
    const sigma = noiseSigma(raw);
    assert.ok(Math.abs(sigma - 1 / Math.sqrt(3)) < 0.1, `σ ${sigma}`);
    assert.ok(noiseSigma(Array.from({ length: 100 }, (_, i) => 1 - i * 0.01)) < 1e-12);
  });

  test('stopped-early, incomplete and lr-not-increasing caveats', () => {
    const early = analyzeRangeTest(textbook(300, { blow: -4.5, mid: -5.5 }));
    assert.ok(early.stopIndex! < 100);
    assert.ok(early.recommendation.flags.includes('stopped-early'));
    const cancelled = analyzeRangeTest(textbook(200, { blow: 5 }).slice(0, 120), { requestedSteps: 200 });
    assert.ok(cancelled.recommendation.flags.includes('incomplete'));
    const twice = [...textbook(100, { blow: 5 }), ...textbook(100, { blow: 5 })];
    const joined = analyzeRangeTest(twice, { divergeFactor: null });
    assert.ok(joined.recommendation.flags.includes('lr-not-increasing'));
    assert.match(joined.recommendation.message, /point 100/);
  });

  test('a run cut short by a known cause: the incomplete caveat says how, no "run more steps" or "never diverged" advice', () => {
    const points = textbook(200, { blow: 5 }).slice(0, 30);
    const unknown = analyzeRangeTest(points, { requestedSteps: 200 }).recommendation;
    assert.ok(unknown.flags.includes('too-few-points') && unknown.flags.includes('incomplete'));
    assert.match(unknown.message, /ended after 30 of 200 planned steps without diverging \(cancelled or crashed\?\)/);
    for (const [ended, words] of [['cancelled', 'was cancelled'], ['crashed', 'crashed']] as const) {
      const rec = analyzeRangeTest(points, { requestedSteps: 200, ended }).recommendation;
      assert.deepEqual(rec.flags.filter((f) => f === 'too-few-points' || f === 'never-diverged'), []);
      assert.equal(rec.caveats.find((c) => c.flag === 'incomplete')?.text, `The run ${words} after 30 of 200 planned steps: the curve may be missing its upper end.`);
      assert.equal(rec.lr, null, 'still too few points for a number');
      assert.doesNotMatch(rec.message, /cancelled or crashed|run more steps/);
    }
    // A run that went its whole way is not "cut short", whatever the caller says.
    const whole = textbook(200, { blow: 5 });
    assert.deepEqual(analyzeRangeTest(whole, { ended: 'cancelled' }).recommendation, analyzeRangeTest(whole).recommendation);
    // The summary is the message without its caveats.
    assert.equal(unknown.message.startsWith(unknown.summary), true);
    assert.ok(unknown.caveats.every((c) => !unknown.summary.includes(c.text)));
    assert.throws(() => analyzeRangeTest(points, { ended: 'stopped' as 'cancelled' }), /ended must be "cancelled" or "crashed"/);
  });

  test('a NaN loss ends the usable curve; an invalid lr is refused with its index', () => {
    const points = textbook(200, { blow: 5 });
    points[150] = { lr: points[150].lr, loss: NaN };
    const a = analyzeRangeTest(points);
    assert.equal(a.stopIndex, 150);
    assert.equal(a.stopReason, 'non-finite');
    assert.equal(a.diagnostics.window.end, 150); // as fastai: cut at the NaN, no extra trimming
    assert.throws(() => analyzeRangeTest([{ lr: 1e-3, loss: 1 }, { lr: 0, loss: 1 }]), /point 1: lr must be a finite number > 0 \(got 0\)/);
    assert.throws(() => analyzeRangeTest([], { requestedSteps: 1.5 }), /requestedSteps/);
  });
});
