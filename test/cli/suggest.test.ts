import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeRangeTest } from '../../src/core/analysis/index';
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/runs/record';
import { runCli } from './run-cli';

/** A typical range-test curve: flat, a fast fall around 1e-3, then an explosion. */
function curve(n = 100): { lr: number; loss: number }[] {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04;
  return Array.from({ length: n }, (_, i) => {
    const lr = 1e-7 * 1e8 ** (i / (n - 1));
    const x = Math.log10(lr);
    return { lr, loss: 2.3 - 1.8 / (1 + Math.exp(-(x + 3) * 2)) + 3 * Math.max(0, x + 0.5) ** 2 + noise() };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'lrscope-suggest-'));

test('suggest --json on a CSV log gives the four suggestions and the recommendation', async () => {
  const points = curve();
  const csv = ['lr,loss', ...points.map((p) => `${p.lr},${p.loss}`)].join('\n');
  writeFileSync(join(dir, 'log.csv'), csv);
  const r = await runCli(['suggest', 'log.csv', '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['minimum', 'steep', 'valley', 'slide', 'recommendation']);
  const expected = analyzeRangeTest(points);
  for (const m of ['minimum', 'steep', 'valley', 'slide'] as const) assert.equal(out[m], expected.suggestions[m]);
  assert.deepEqual([(out.recommendation as { rule: string }).rule, (out.recommendation as { method: string }).method], ['minimum-x2', 'minimum']);
  assert.equal((out.recommendation as { lr: number }).lr, 2 * (out.minimum as number));
  assert.ok(typeof out.valley === 'number' && out.valley > 1e-4 && out.valley < 1e-2, `valley ${out.valley}`);
});

test('suggest reads a run record and honours its planned steps', async () => {
  const points = curve(80).map((p, step) => ({ step, ...p }));
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    id: 'r1',
    kind: 'range-test',
    status: 'diverged',
    startedAt: new Date(0).toISOString(),
    experiment: { path: '/x.experiment.ts', sha256: '0'.repeat(64) },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 'dev' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: {},
    points,
    epochs: [],
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  const r = await runCli(['suggest', 'run.json', '--json', '--recommend', 'steep'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { steep: number; recommendation: { method: string; lr: number } };
  const expected = analyzeRangeTest(points, { requestedSteps: 100, recommend: 'steep' });
  assert.equal(out.steep, expected.suggestions.steep);
  assert.equal(out.recommendation.method, 'steep');
  assert.equal(out.recommendation.lr, expected.recommendation.lr);
});

test('suggest on a record made with --diverge-factor none says which stop rule it applied', async () => {
  const points = curve(100).map((p, step) => ({ step, ...p }));
  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    id: 'r-none',
    kind: 'range-test',
    status: 'completed',
    startedAt: new Date(0).toISOString(),
    experiment: { path: '/x.experiment.ts', sha256: '0'.repeat(64) },
    environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 'dev' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    options: { beta: 0.98, divergeFactor: null },
    points,
    epochs: [],
  };
  writeFileSync(join(dir, 'run-none.json'), JSON.stringify(record));
  const r = await runCli(['suggest', 'run-none.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^stop rule applied: a non-finite loss only \(diverge factor none: the divergence test was off; EMA β 0\.98\)$/m);
  assert.match(r.stdout, /The divergence test was off \(diverge factor none\)/);
  assert.doesNotMatch(r.stdout, /stop rule fired/);
  const json = JSON.parse((await runCli(['suggest', 'run-none.json', '--json'], { cwd: dir })).stdout) as { recommendation: { flags: string[] } };
  assert.ok(json.recommendation.flags.includes('no-divergence-test'), json.recommendation.flags.join());
  const csv = ['lr,loss', ...points.map((p) => `${p.lr},${p.loss}`)].join('\n');
  writeFileSync(join(dir, 'log4.csv'), csv);
  assert.match((await runCli(['suggest', 'log4.csv'], { cwd: dir })).stdout, /^stop rule applied: the smoothed loss \(EMA β 0\.98\) above 4× its best, or a non-finite loss$/m);
});

test('suggest prints a readable report with a plot', async () => {
  const r = await runCli(['suggest', 'log.csv'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}▶ \d\.\de-\d +recommended \(minimum-x2: the min-loss LR \/ 5\)$/m);
  assert.match(r.stdout, /one-cycle maximum/);
  assert.match(r.stdout, /└─+/);
});

test('suggest: a malformed row is one clear error with the row number, exit 2', async () => {
  writeFileSync(join(dir, 'bad.csv'), 'lr,loss\n0.001,2.3\n0.002,abc\n');
  const r = await runCli(['suggest', 'bad.csv'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.csv/);
  assert.match(r.stderr, /row 3|line 3/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const opt = await runCli(['suggest', 'log.csv', '--recommend', 'best'], { cwd: dir });
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /--recommend must be one of minimum, steep, valley, slide, minimum-x2, valley-x10, agreeing-mean, lag-free-minimum, lag-free-minimum-x3, lag-free-valley, got 'best'/);
});
