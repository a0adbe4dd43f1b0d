/** The webview's pure helpers, in node: y clipping, render throttling, the schedule form, exports, UI state. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile, yRange } from '../../webview/clip';
import { RenderThrottle, type FrameClock } from '../../webview/throttle';
import { buildScheduleForm, flavorFields, formatNumber, formatShort, maxLrKey } from '../../webview/schedule-form';
import { epochsToCsv, exportFileName, runsToCsv, runsToJson } from '../../webview/export-data';
import { DEFAULT_UI, parseUiState } from '../../webview/ui-state';
import { withAlpha } from '../../webview/theme';
import { columnOf, decimateCurve, isSortedByX, logGrid, type CurveColumns } from '../../webview/decimate';
import { analyzeRun, effectiveBeta, lrExtent, statusText } from '../../webview/run-analysis';
import { analyzeRangeTest, smoothLosses } from '../../src/core/analysis';
import { sampleSchedule, validateSpec } from '../../src/core/schedules';
import { PREVIEW_FLAVORS } from '../../src/protocol/webview';
import { rangeRun, rangeTestPoints, rng, trainingRun } from './harness/fixtures';

describe('yRange', () => {
  const points = rangeTestPoints({ spike: 25 });
  const raw = points.map((p) => p.loss);
  const smoothed = smoothLosses(raw, 0.98);

  test('unclipped: every finite loss, with a 5 % margin below', () => {
    const r = yRange(raw, smoothed, false)!;
    const lo = Math.min(...raw, ...smoothed);
    const hi = Math.max(...raw, ...smoothed);
    assert.equal(r.max, hi);
    assert.ok(Math.abs(r.min - (lo - 0.05 * (hi - lo))) < 1e-12);
  });

  test('clipped: neither the early spike nor the divergence sets the top', () => {
    const r = yRange(raw, smoothed, true)!;
    const start = quantile(raw.slice(0, 20), 0.5);
    const lo = Math.min(...raw, ...smoothed);
    assert.ok(Math.abs(r.max - (start + 0.25 * (start - lo))) < 1e-12);
    assert.ok(r.max < 3 && Math.max(...raw) > 25);
  });

  test('a flat or rising curve is clipped at the 95 % quantile; nothing finite gives null', () => {
    const rising = Array.from({ length: 100 }, (_, i) => 1 + i / 10);
    const r = yRange(rising, [], true)!;
    assert.ok(Math.abs(r.max - quantile(rising, 0.95)) < 1e-12);
    assert.equal(yRange([NaN, Infinity], [NaN], true), null);
    const flat = yRange([2, 2, 2], [], true)!;
    assert.ok(flat.min < 2 && flat.max > 2);
  });

  test('quantile interpolates and ignores non-finite values', () => {
    assert.equal(quantile([3, 1, NaN, 2, Infinity], 0.5), 2);
    assert.equal(quantile([0, 10], 0.25), 2.5);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});

describe('RenderThrottle', () => {
  /** A manual clock: timers and frames run only when the test says so. */
  function manualClock() {
    let now = 0;
    const timers: { at: number; f: () => void }[] = [];
    const frames: (() => void)[] = [];
    const clock: FrameClock = {
      now: () => now,
      setTimer: (f, ms) => void timers.push({ at: now + ms, f }),
      requestFrame: (f) => void frames.push(f),
    };
    return {
      clock,
      frame: () => frames.splice(0).forEach((f) => f()),
      advance: (ms: number) => {
        now += ms;
        for (const t of timers.filter((t) => t.at <= now)) {
          timers.splice(timers.indexOf(t), 1);
          t.f();
        }
      },
      pendingFrames: () => frames.length,
    };
  }

  test('many requests between frames make one render', () => {
    const c = manualClock();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, c.clock);
    for (let i = 0; i < 50; i++) t.request();
    assert.equal(c.pendingFrames(), 1);
    c.frame();
    assert.equal(renders, 1);
    assert.equal(t.renderCount, 1);
  });

  test('at most one render per 100 ms while requests keep coming', () => {
    const c = manualClock();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, c.clock);
    // 1 s of requests every 10 ms, frames every 16 ms.
    for (let ms = 0; ms < 1000; ms += 2) {
      if (ms % 10 === 0) t.request();
      if (ms % 16 === 0) c.frame();
      c.advance(2);
    }
    c.frame();
    assert.ok(renders >= 9 && renders <= 11, `${renders} renders in 1 s`);
  });

  test('after a slow render the next one waits twice as long as it took', () => {
    const c = manualClock();
    let renders = 0;
    // Each render takes 300 ms of clock time.
    const t = new RenderThrottle(() => (renders++, c.advance(300)), 100, c.clock);
    t.request();
    c.frame();
    assert.equal(renders, 1);
    t.request();
    c.advance(500);
    c.frame();
    assert.equal(renders, 1, 'not before 600 ms after the slow render');
    c.advance(100);
    c.frame();
    assert.equal(renders, 2);
  });

  test('flush renders a pending update now, and only once', () => {
    const c = manualClock();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, c.clock);
    t.request();
    t.flush();
    assert.equal(renders, 1);
    c.frame();
    assert.equal(renders, 1);
    t.flush();
    assert.equal(renders, 1);
  });
});

describe('buildScheduleForm', () => {
  const inputs = { flavor: 'pytorch' as const, maxLr: '0.01', epochs: '5', stepsPerEpoch: '100', params: {} };

  test('every flavor gives a spec the core validates, peaking at the max LR', () => {
    for (const flavor of PREVIEW_FLAVORS) {
      const form = buildScheduleForm({ ...inputs, flavor });
      assert.ok(form.spec, `${flavor}: ${JSON.stringify(form.errors)}`);
      assert.deepEqual(validateSpec(form.spec), form.spec);
      assert.equal((form.spec as unknown as Record<string, number>)[maxLrKey(flavor)], 0.01);
      const { lr } = sampleSchedule(form.spec, 500);
      assert.ok(Math.abs(Math.max(...lr) - 0.01) < 1e-12, `${flavor} peaks at ${Math.max(...lr)}`);
      assert.deepEqual(form.fields.map((f) => f.key), flavorFields(flavor).map((f) => f.key));
    }
  });

  test('fields show the defaults, and edits go into the spec', () => {
    const form = buildScheduleForm({ ...inputs, params: { pctStart: '0.25', annealStrategy: 'linear', threePhase: 'true' } });
    const byKey = Object.fromEntries(form.fields.map((f) => [f.key, f]));
    assert.equal(byKey.divFactor!.value, '25');
    assert.equal(byKey.divFactor!.edited, false);
    assert.equal(byKey.pctStart!.value, '0.25');
    assert.deepEqual(form.spec, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 500, pctStart: 0.25, annealStrategy: 'linear', threePhase: true });
  });

  test("an out-of-range value gets the core's message beside its field", () => {
    const form = buildScheduleForm({ ...inputs, params: { pctStart: '1.5' } });
    assert.equal(form.spec, null);
    const field = form.fields.find((f) => f.key === 'pctStart')!;
    assert.match(field.error ?? '', /onecycle\/pytorch: field "pctStart" must be in \(0, 1\), got 1\.5/);
  });

  test('a list field (fastai moms) is parsed and checked by the core', () => {
    const ok = buildScheduleForm({ ...inputs, flavor: 'fastai', params: { moms: '0.9, 0.8, 0.9' } });
    assert.deepEqual(ok.spec, { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 500, moms: [0.9, 0.8, 0.9] });
    const bad = buildScheduleForm({ ...inputs, flavor: 'fastai', params: { moms: '0.9, 0.8' } });
    assert.equal(bad.spec, null);
    assert.match(bad.fields.find((f) => f.key === 'moms')!.error ?? '', /moms/);
  });

  test('bad common inputs are reported by name, before the core sees anything', () => {
    const form = buildScheduleForm({ ...inputs, maxLr: 'fast', epochs: '2.5', stepsPerEpoch: '0' });
    assert.equal(form.spec, null);
    assert.equal(form.errors.maxLr, 'max LR must be a number > 0');
    assert.equal(form.errors.epochs, 'epochs must be a whole number');
    assert.equal(form.errors.stepsPerEpoch, 'steps/epoch must be a number > 0');
    assert.ok(form.fields.length > 0);
  });

  test('smith with a min LR above the max is refused with the core message on min LR or max LR', () => {
    const form = buildScheduleForm({ ...inputs, flavor: 'smith', params: { minLr: '0.1' } });
    assert.equal(form.spec, null);
    const messages = [form.errors.maxLr, form.errors.spec, ...form.fields.map((f) => f.error)].filter(Boolean).join(' ');
    assert.match(messages, /onecycle\/smith/);
  });

  test('numbers are shown short', () => {
    assert.equal(formatNumber(0.0003), '3e-4');
    assert.equal(formatNumber(1e4), '10000');
    assert.equal(formatNumber(0.3), '0.3');
    assert.equal(formatNumber(NaN), '—');
    assert.equal(formatShort(0.621204), '0.6212');
  });
});

describe('exports', () => {
  const run = rangeRun('r1', 'wd=1e-4, "sgd"', rangeTestPoints({ steps: 5 }), 'completed', 5);

  test('CSV: one row per step, quoted labels, the current smoothing, empty for non-finite', () => {
    const withNaN = { ...run, points: [...run.points, { step: 5, lr: 20, loss: NaN }] };
    const csv = runsToCsv([withNaN], new Map([['r1', [1, 2, 3, 4, 5, Infinity]]]));
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'run,step,lr,loss,smoothed,momentum');
    assert.equal(lines.length, 7);
    assert.match(lines[1]!, /^"wd=1e-4, ""sgd""",0,0\.000001,[\d.]+,1,$/);
    assert.match(lines[6]!, /^"wd=1e-4, ""sgd""",5,20,,,$/);
  });

  test('epoch CSV and JSON', () => {
    const t = trainingRun();
    const csv = epochsToCsv(t).trim().split('\n');
    assert.equal(csv[0], 'epoch,loss,valLoss,acc,val_acc');
    assert.equal(csv.length, 5);
    const json = JSON.parse(runsToJson([run], { pickedLr: Infinity }));
    assert.equal(json.pickedLr, null);
    assert.equal(json.runs[0].points.length, 5);
  });

  test('file names are safe for the export message', () => {
    assert.equal(exportFileName('wd=1e-4, "sgd"', 'data', 'csv'), 'wd-1e-4-sgd-data.csv');
    assert.equal(exportFileName('../../x', 'chart', 'png'), '..-..-x-chart.png');
    assert.match(exportFileName('', 'data', 'json'), /^lrscope-data\.json$/);
  });
});

describe('UI state', () => {
  test('a stored state is read field by field; garbage falls back to the defaults', () => {
    assert.deepEqual(parseUiState(undefined), DEFAULT_UI);
    assert.deepEqual(parseUiState('x'), DEFAULT_UI);
    const s = parseUiState({ beta: 0.9, clip: false, picked: { runId: 'r', lr: 0.003 }, flavor: 'smith', framework: 'keras', maxLr: '0.01', params: { smith: { minLr: '0.001' }, bogus: { a: 'b' }, fastai: { moms: 3 } } });
    assert.deepEqual(s, { ...DEFAULT_UI, beta: 0.9, clip: false, picked: { runId: 'r', lr: 0.003 }, flavor: 'smith', framework: 'keras', maxLr: '0.01', params: { smith: { minLr: '0.001' } } });
    const bad = parseUiState({ beta: 1, picked: { runId: 'r', lr: -1 }, flavor: 'adam', framework: 'matlab' });
    assert.deepEqual(bad, DEFAULT_UI);
  });
});

describe('run analysis for the view', () => {
  test("is the core's analysis with the run's β and planned steps, memoised until points are added", () => {
    const run = rangeRun('r', 'r', rangeTestPoints());
    const a = analyzeRun(run, 0.98);
    assert.deepEqual(a, analyzeRangeTest(run.points, { beta: 0.98, requestedSteps: 200 }));
    assert.equal(analyzeRun(run, 0.98), a);
    run.points.push({ step: 200, lr: 11, loss: 50 });
    assert.notEqual(analyzeRun(run, 0.98), a);
    assert.equal(effectiveBeta(run, null), 0.98);
    assert.equal(effectiveBeta({ ...run, beta: 0.9 }, null), 0.9);
    assert.equal(effectiveBeta({ ...run, beta: 0.9 }, 0.5), 0.5);
  });

  test('the LR extent is the range spec, else the data; the status line counts steps', () => {
    assert.deepEqual(lrExtent(rangeRun('r', 'r', [])), { min: 1e-6, max: 10 });
    const t = trainingRun('t', 2);
    assert.deepEqual(lrExtent({ ...t, points: [{ step: 0, lr: 0.2, loss: 1 }, { step: 1, lr: 0.1, loss: 1 }] }), { min: 0.1, max: 0.2 });
    assert.equal(statusText(t), 'running · 100 / 200 steps · 2 epochs · wasm');
  });
});

describe('theme colours', () => {
  test('withAlpha', () => {
    assert.equal(withAlpha('#3794ff', 0.5), '#3794ff80');
    assert.equal(withAlpha('#abc', 1), '#aabbccff');
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.25), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('red', 0.5), 'red');
  });
});

describe('decimateCurve', () => {
  /** A curve's columns on a log axis. */
  const columnsOf = (xs: number[], ys: ArrayLike<number>): CurveColumns => ({
    xs: Float64Array.from(xs),
    ys: Float64Array.from(ys),
    count: xs.length,
    sorted: isSortedByX(xs.map((x) => ({ x, y: 0 }))),
  });
  const noisy = rangeTestPoints({ steps: 20_000, noise: 0.2 });
  const xs = noisy.map((p) => p.lr);
  const ys = noisy.map((p) => p.loss);
  const grid = logGrid(xs[0]!, xs[xs.length - 1]!, 500);
  const column = (x: number) => columnOf(grid, x);

  /** Per column: the lowest and highest y among `points`. */
  function extents(points: readonly { x: number; y: number }[]): Map<number, { min: number; max: number }> {
    const m = new Map<number, { min: number; max: number }>();
    for (const p of points) {
      if (!Number.isFinite(p.y)) continue;
      const c = column(p.x);
      const e = m.get(c) ?? { min: Infinity, max: -Infinity };
      m.set(c, { min: Math.min(e.min, p.y), max: Math.max(e.max, p.y) });
    }
    return m;
  }

  test('keeps the first, lowest, highest and last point of every column, in order: ≤ 4 per column', () => {
    const out = decimateCurve(columnsOf(xs, ys), grid);
    assert.ok(out.length <= 4 * 500 && out.length > 1500, `${out.length} points`);
    assert.equal(isSortedByX(out), true);
    const index = new Map(xs.map((x, i) => [x, i]));
    for (const p of out) assert.equal(ys[index.get(p.x)!], p.y, 'every drawn point is a point of the curve');
    assert.deepEqual(extents(out), extents(noisy.map((p) => ({ x: p.lr, y: p.loss }))));
    // The lines between columns are the curve's own: each column's last point is followed by the next one's first.
    for (let k = 1; k < out.length; k++) {
      const a = index.get(out[k - 1]!.x)!;
      const b = index.get(out[k]!.x)!;
      if (column(out[k - 1]!.x) !== column(out[k]!.x)) assert.equal(b, a + 1, `columns joined at ${a} → ${b}`);
    }
  });

  test('keeps every local minimum visible: each sharp dip is kept, every other one is inside its column’s drawn span', () => {
    // A million points: a smooth descent and divergence, noise, and 40 one-point dips at random places
    // (one per fortieth of the curve, so no two share a pixel column).
    const n = 1_000_000;
    const rand = rng(5);
    const lr = Array.from({ length: n }, (_, i) => 1e-6 * 1e7 ** (i / (n - 1)));
    const loss = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = Math.log10(lr[i]!);
      loss[i] = 2.3 - 1.9 / (1 + Math.exp(-(x + 2.7) * 3)) + (x > -1.5 ? (x + 1.5) ** 2 * 6 : 0) + (rand() - 0.5) * 0.02;
    }
    const dips = Array.from({ length: 40 }, (_, k) => Math.floor(((k + 0.1 + 0.8 * rand()) * n) / 40));
    for (const i of dips) loss[i] = loss[i]! - 0.5;
    const g = logGrid(lr[0]!, lr[n - 1]!, 1000);
    const out = decimateCurve({ xs: Float64Array.from(lr), ys: loss, count: n, sorted: true }, g);
    assert.ok(out.length <= 4000, `${out.length} points`);
    const drawn = new Set(out.map((p) => `${p.x},${p.y}`));
    for (const i of dips) assert.ok(drawn.has(`${lr[i]},${loss[i]}`), `dip at ${i} kept`);
    // Every local minimum of the million points (the noise makes ~300k of them) lies within the
    // vertical span drawn in its column, whose bottom is the column's lowest point.
    const col = (x: number) => columnOf(g, x);
    const span = new Map<number, { min: number; max: number }>();
    for (const p of out) {
      const e = span.get(col(p.x)) ?? { min: Infinity, max: -Infinity };
      span.set(col(p.x), { min: Math.min(e.min, p.y), max: Math.max(e.max, p.y) });
    }
    let minima = 0;
    for (let i = 1; i + 1 < n; i++) {
      if (!(loss[i]! < loss[i - 1]! && loss[i]! < loss[i + 1]!)) continue;
      minima++;
      const e = span.get(col(lr[i]!))!;
      if (!(e.min <= loss[i]! && loss[i]! <= e.max)) assert.fail(`local minimum at ${i} (${loss[i]}) outside its column's span ${JSON.stringify(e)}`);
    }
    assert.ok(minima > 100_000, `${minima} local minima`);
  });

  test('keeps the divergence point and the suggestions’ markers, wherever they fall in their column', () => {
    const points = rangeTestPoints({ steps: 100_000, noise: 0.05 });
    const analysis = analyzeRangeTest(points, { requestedSteps: 100_000 });
    assert.equal(analysis.stopReason, 'diverged');
    const stop = analysis.stopIndex!;
    const markers = Object.values(analysis.markers).map((m) => m!.index);
    const curve = columnsOf(points.map((p) => p.lr), analysis.smoothed);
    const g = logGrid(1e-6, 10, 300);
    const has = (out: { x: number; y: number }[], i: number) => out.some((p) => p.x === points[i]!.lr && p.y === analysis.smoothed[i]);
    const plain = decimateCurve(curve, g);
    const kept = decimateCurve(curve, g, [stop, ...markers]);
    assert.ok(!has(plain, stop), 'the stop point is in the middle of a rising column: only `keep` keeps it');
    for (const i of [stop, ...markers]) assert.ok(has(kept, i), `point ${i} kept`);
    assert.ok(kept.length <= plain.length + 5);
    assert.equal(isSortedByX(kept), true);
  });

  test('short or unsorted curves are drawn whole; a non-finite value breaks the line once per column', () => {
    const short = columnsOf(xs.slice(0, 100), ys.slice(0, 100));
    assert.equal(decimateCurve(short, grid).length, 100);
    const reversed = columnsOf([...xs].reverse(), [...ys].reverse());
    assert.equal(reversed.sorted, false);
    assert.equal(decimateCurve(reversed, grid).length, xs.length);
    const withGap = ys.map((y, i) => (i > 18_000 || i === 5000 ? NaN : y));
    const out = decimateCurve(columnsOf(xs, withGap), grid);
    const gaps = out.filter((p) => Number.isNaN(p.y));
    assert.ok(gaps.length >= 2 && gaps.length <= 500, `${gaps.length} gaps`);
    assert.ok(out.some((p, k) => k > 0 && p.x === xs[5000] && Number.isNaN(p.y)), 'the single NaN breaks the line where it is');
  });
});
