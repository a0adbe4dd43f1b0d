/**
 * `lrscope demo` (a short run on the real digits example) and the HTML report it writes: one
 * self-contained file, the chart on a log axis with the suggestions, recommendation, caveats,
 * environment and options, text escaped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRangeTest } from '../../src/core/analysis/index';
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/runs/record';
import { findDemoExperiment } from '../../src/cli/verbs/demo';
import { analyzeRecord, escapeHtml, lossChartSvg, niceTicks, renderRangeTestReport } from '../../src/cli/report/index';
import { readRunRecord } from '../../src/engine/index';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');

/** Nothing the page would fetch or run: no scripts, no external URLs, no linked files. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /\b(src|href)\s*=/i);
  assert.doesNotMatch(html, /url\((?!#)/i);
  assert.doesNotMatch(html, /@import/i);
}

describe('demo', () => {
  test('finds the digits example from the sources and from dist/', () => {
    const expected = join(root, 'examples', 'digits.experiment.ts');
    assert.equal(findDemoExperiment(join(root, 'src', 'cli', 'verbs')), expected);
    assert.equal(findDemoExperiment(join(root, 'dist')), expected);
    assert.equal(findDemoExperiment(tmpdir()), null);
  });

  test('demo --steps 20 --json: range test on the digits, record and HTML report saved, paths printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lrscope-cli-demo-'));
    const r = await runCli(['demo', '--steps', '20', '--backend', 'wasm', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as { status: string; backend: string; steps: number };
    assert.equal(summary.backend, 'wasm');
    assert.equal(summary.steps, 20);
    const runs = readdirSync(join(dir, '.lrscope', 'runs'));
    assert.equal(runs.length, 1);
    const record = await readRunRecord(join(dir, '.lrscope', 'runs', runs[0]!));
    assert.equal(record.experiment.label, 'MNIST digits (MLP 784-128-10)');
    assert.equal(record.points.length, 20);
    const reportPath = join(dir, '.lrscope', 'reports', `${record.id}.html`);
    assert.match(r.stderr, new RegExp(`report: +${reportPath.replace(/[.\\]/g, '\\$&')}`));
    assert.match(r.stderr, /LR Scope demo: an LR range test on handwritten digits/);
    const html = readFileSync(reportPath, 'utf8');
    assertSelfContained(html);
    assert.match(html, /MNIST digits/);
    assert.match(html, /wasm/);
    assert.ok(html.includes(record.id));
  });

  test('bad demo options exit 2', async () => {
    const steps = await runCli(['demo', '--steps', '5']);
    assert.equal(steps.code, 2);
    assert.match(steps.stderr, /--steps must be a whole number ≥ 10, got 5/);
    const file = await runCli(['demo', 'mine.experiment.ts']);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /takes no file/);
  });
});

/** A record with a clean curve: flat, a fall around 1e-3, then an explosion. */
function syntheticRecord(): RunRecord {
  const n = 100;
  let seed = 11;
  const noise = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04;
  const points = Array.from({ length: n }, (_, step) => {
    const lr = 1e-7 * 1e8 ** (step / (n - 1));
    const x = Math.log10(lr);
    return { step, lr, loss: 2.3 - 1.8 / (1 + Math.exp(-(x + 3) * 2)) + 3 * Math.max(0, x + 0.5) ** 2 + noise() };
  });
  const analysis = analyzeRangeTest(points, { requestedSteps: n });
  return {
    version: RUN_RECORD_VERSION,
    id: '20261128-180000-000-range-test-abcd',
    kind: 'range-test',
    status: 'completed',
    startedAt: '2026-11-28T18:00:00.000Z',
    endedAt: '2026-11-28T18:00:09.500Z',
    experiment: { path: '/home/me/<odd> & "name".experiment.ts', sha256: 'ab'.repeat(32), label: 'digits <MLP>' },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node v20.20.2 (modules 115)', threads: 1, lrscopeVersion: '0.1.0' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: n },
    options: { beta: 0.98, divergeFactor: 4, seed: 1, optimizer: { type: 'momentum', momentum: 0.9 } },
    points: points.map((p, i) => ({ ...p, smoothed: analysis.smoothed[i]! })),
    epochs: [],
    suggestions: analysis.suggestions,
    recommendation: { ...analysis.recommendation },
    notes: ['wasm: SIMD on'],
  };
}

describe('HTML report', () => {
  test('one self-contained page: recommendation, chart, suggestions, caveats, run, environment, options', () => {
    const record = syntheticRecord();
    const analysis = analyzeRecord(record);
    const html = renderRangeTestReport(record, analysis, { generatedAt: new Date('2026-11-28T19:00:00Z') });
    assertSelfContained(html);
    assert.match(html, /^<!doctype html>\n<html lang="en">/);
    assert.match(html, /@media \(prefers-color-scheme: dark\)/);
    const rec = analysis.recommendation;
    assert.ok(rec.lr !== null);
    assert.match(html, new RegExp(`<p class="lr">${rec.lr.toExponential(1).replace('+', '\\+')}</p>`));
    for (const m of ['minimum', 'steep', 'valley', 'slide'] as const) {
      const lr = analysis.suggestions[m];
      assert.ok(lr !== null);
      assert.ok(html.includes(`${m} ${lr.toExponential(1)}</text>`), `chart marker for ${m}`);
    }
    const chart = html.slice(html.indexOf('<svg class="chart"'), html.indexOf('</svg>'));
    assert.equal((chart.match(/class="marker recommended"/g) ?? []).length, 1, 'one recommended marker');
    assert.equal((chart.match(/class="marker"/g) ?? []).length, 4, 'the four suggestions beside it (the default rule is none of them as it is)');
    assert.ok(html.includes(`recommended (minimum-x2) ${rec.lr.toExponential(1)}</text>`), 'the recommended marker names its rule');
    assert.match(html, /one-cycle training \(minimum-x2: the min-loss LR \/ 5\)/);
    // Log axis: a tick per decade from 1e-7 to 1e1.
    for (let d = -7; d <= 1; d++) assert.ok(html.includes(`>1e${d}</text>`), `tick 1e${d}`);
    // Environment and options.
    assert.match(html, /tfjs 4\.22\.0/);
    assert.match(html, /node v20\.20\.2 \(modules 115\)/);
    assert.match(html, /1\.0e-7 → 1\.0e\+1 over 100 steps \(exp\)/);
    assert.match(html, /\{&quot;type&quot;:&quot;momentum&quot;,&quot;momentum&quot;:0\.9\}/);
    assert.match(html, /duration<\/th><td>9\.5 s/);
    // The user's text is escaped.
    assert.ok(html.includes('digits &lt;MLP&gt;'));
    assert.ok(html.includes('/home/me/&lt;odd&gt; &amp; &quot;name&quot;.experiment.ts'));
    assert.ok(!html.includes('<odd>'));
    assert.match(html, /Made by LR Scope 0\.1\.0 at 2026-11-28T19:00:00\.000Z/);
  });

  test('caveats are listed; a run with no recommendation says why instead of a number', () => {
    const record = syntheticRecord();
    record.points = record.points.slice(0, 12);
    record.status = 'cancelled';
    const analysis = analyzeRecord(record);
    assert.equal(analysis.recommendation.lr, null);
    const html = renderRangeTestReport(record, analysis);
    assert.match(html, /<p class="lr">No recommendation<\/p>/);
    for (const c of analysis.recommendation.caveats) assert.ok(html.includes(`<strong>${c.flag}</strong>`), c.flag);
    assert.match(html, /12 of 100 planned/);
  });

  test('chart helpers: nice ticks, the y-axis clipped to the interesting part, non-finite points break the line', () => {
    assert.deepEqual(niceTicks(0.4, 2.6, 5), [0.5, 1, 1.5, 2, 2.5]);
    assert.deepEqual(niceTicks(1, 1), [1]);
    const svg = lossChartSvg({
      lr: [1e-4, 1e-3, 1e-2, 1e-1, 1],
      loss: [2, 1.5, NaN, 1, 50],
      smoothed: [2, 1.8, 1.6, 1.4, 5],
      markers: [{ label: 'valley', lr: 1e-2, recommended: true }],
    });
    const raw = /<path class="raw" d="([^"]*)"/.exec(svg)![1]!;
    assert.equal((raw.match(/M/g) ?? []).length, 2, 'the NaN splits the raw line in two');
    assert.match(svg, /clip-path="url\(#plot-area\)"/);
    assert.match(svg, /valley 1\.0e-2<\/text>/);
    const empty = lossChartSvg({ lr: [], loss: [], smoothed: [], markers: [] });
    assert.match(empty, /No finite loss to plot/);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
