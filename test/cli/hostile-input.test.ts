/**
 * Hostile and absurd input through the CLI: lengths past the documented cap and LRs that
 * overflow are refused naming the field (exit 2), a record with a junk point is refused naming
 * the record and the entry, a BOM is accepted, a folder or an unwritable runs folder gives a
 * message naming the path, a million-point log is analysed and plotted, and a seeded, bounded
 * fuzz of specs, logs and records never exits other than 0 or 2 nor prints a stack trace.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SCHEDULE_STEPS } from '../../src/core/schedules/index';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');
const synthetic = join(root, 'examples', 'synthetic.experiment.ts');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrscope-hostile-'));
}

const STACK = /^\s+at .+[:(]\d+/m;

function rangeRecord(points: unknown[]): Record<string, unknown> {
  return {
    version: 1,
    id: '20260101-000000-000-range-test-abcd',
    kind: 'range-test',
    status: 'completed',
    startedAt: '2026-01-01T00:00:00.000Z',
    experiment: { path: '/x/a.experiment.ts', sha256: '' },
    environment: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 'dev' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: points.length },
    options: {},
    points,
    epochs: [],
  };
}

function curve(n: number): { step: number; lr: number; loss: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const lr = 1e-5 * Math.pow(1e5, i / (n - 1));
    return { step: i, lr, loss: 2 - Math.log10(lr / 1e-5) * 0.3 + Math.pow(lr, 2) * 3 };
  });
}

describe('refused with exit 2, naming the field', () => {
  test('lengths past the cap', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 1e12 }));
    for (const verb of ['schedule', 'snippet']) {
      const r = await runCli(verb === 'snippet' ? [verb, '--spec', 'huge.json', '--framework', 'pytorch'] : [verb, 'huge.json'], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`huge\\.json: onecycle/pytorch: field "totalSteps" must be at most ${MAX_SCHEDULE_STEPS}`));
    }
    const steps = await runCli(['range-test', synthetic, '--steps', '5e7'], { cwd: dir });
    assert.equal(steps.code, 2);
    assert.match(steps.stderr, /--steps must be at most 1000000, got 5e7/);
  });

  test('LRs whose sequence overflows, in a spec and in range options', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wide.json'), JSON.stringify({ policy: 'range', mode: 'exp', startLr: 1e-300, endLr: 1e300, steps: 100 }));
    for (const args of [['schedule', 'wide.json'], ['snippet', '--spec', 'wide.json', '--framework', 'pytorch'], ['train', synthetic, '--schedule', 'wide.json']]) {
      const r = await runCli(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /range: the learning rate of step 1 is Infinity, not a finite number > 0/);
    }
    const r = await runCli(['range-test', synthetic, '--start-lr', '1e-300', '--end-lr', '1e300', '--runs-dir', 'runs'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--start-lr 1e-300, --end-lr 1e\+300: range: the learning rate of step 1 is Infinity/);
  });

  test('a record with a junk point names the record and the first bad entry', async () => {
    const dir = tempDir();
    const points = curve(60) as unknown[];
    points[17] = { step: 17, lr: 'lots', loss: 1 };
    writeFileSync(join(dir, 'junk.json'), JSON.stringify(rangeRecord(points)));
    const r = await runCli(['suggest', 'junk.json'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^lrscope suggest: junk\.json is not a valid LR Scope run record: points\[17\]\.lr must be a finite number > 0, got "lots"$/m);
  });

  test('a folder given as a file, and a runs folder that cannot exist, name the path (and fail fast)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spec.json'));
    const folder = await runCli(['schedule', 'spec.json'], { cwd: dir });
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /cannot read spec\.json: spec\.json is a folder, not a file/);
    const proc = await runCli(['range-test', synthetic, '--runs-dir', '/proc/lrscope-runs'], { cwd: dir });
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /--runs-dir: run records cannot be saved in \/proc\/lrscope-runs: no such file or folder/);
  });
});

test('a UTF-8 BOM before a spec is accepted', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'bom.json'), '\ufeff' + JSON.stringify({ policy: 'constant', lr: 0.01, steps: 3 }));
  const r = await runCli(['schedule', 'bom.json', '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { lr: number[] }).lr, [0.01, 0.01, 0.01]);
});

test('a million-point log is analysed and plotted (no spread call, no recursion)', async () => {
  const dir = tempDir();
  const n = 1_000_000;
  const lines = ['lr,loss'];
  for (const p of curve(n)) lines.push(`${p.lr},${p.loss}`);
  writeFileSync(join(dir, 'big.csv'), lines.join('\n'));
  const r = await runCli(['suggest', 'big.csv'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valley/);
  assert.match(r.stdout, /└─+/, 'a plot is drawn');
});

test('a NaN loss in mid-run is told as the divergence the record says, not as an incomplete run', async () => {
  const dir = tempDir();
  // 40 steps of a 100-step test 1e-5 → 1; step 40's loss was NaN (not recorded: no loss to plot).
  const points = Array.from({ length: 40 }, (_, i) => {
    const lr = 1e-5 * Math.pow(1e5, i / 99);
    return { step: i, lr, loss: 2 - Math.log10(lr / 1e-5) * 0.3 };
  });
  const record = { ...rangeRecord(points), status: 'diverged', statusDetail: 'the loss became NaN at step 40', schedule: { policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 100 } };
  writeFileSync(join(dir, 'nan.json'), JSON.stringify(record));
  const r = await runCli(['suggest', 'nan.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /without diverging/);
  assert.match(r.stdout, /stop rule fired at point 40 \(non-finite\)/);
});

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, -1, 0, 1e300, -1e-300, 1e12, 'x', '', [], {}, true, 2.5, Number.MAX_SAFE_INTEGER, '1e-3', [1, 2, 3], { a: 1 }];

function mutateValue(value: unknown, next: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  if (depth > 3 || next() < 0.15) return pick(ODD_VALUES);
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length > 0) {
      const i = Math.floor(next() * copy.length);
      copy[i] = mutateValue(copy[i], next, depth + 1);
    }
    if (next() < 0.2) copy.push(pick(ODD_VALUES));
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const r = next();
    if (r < 0.15 && keys.length > 0) delete copy[pick(keys)];
    else if (r < 0.25) copy[pick(['extra', 'steps', 'policy', 'points', 'version', '__proto__'])] = pick(ODD_VALUES);
    else if (keys.length > 0) {
      const k = pick(keys);
      copy[k] = mutateValue(copy[k], next, depth + 1);
    }
    return copy;
  }
  return pick(ODD_VALUES);
}

function mutateText(text: string, next: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (chars.length + 1));
    const r = next();
    if (r < 0.3) chars.splice(at, 1);
    else if (r < 0.6) chars.splice(at, 0, ['\u0000', '\ufeff', '"', ',', '\n', 'NaN', '-', 'e999', '{', ']'][Math.floor(next() * 10)] as string);
    else chars.splice(at, Math.floor(next() * 20));
  }
  return chars.join('');
}

test('fuzz: 240 seeded mutations of specs, logs and records through the CLI exit 0 or 2, without a stack trace', async () => {
  const dir = tempDir();
  const next = random(20261204);
  const specs: unknown[] = [
    { policy: 'range', mode: 'exp', startLr: 1e-7, endLr: 10, steps: 100 },
    { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 200 },
    { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 },
    { policy: 'cyclic', baseLr: 1e-3, maxLr: 1e-1, stepSizeUp: 20, steps: 100 },
    { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 100, moms: [0.95, 0.85, 0.95] },
  ];
  const log = ['lr,loss', ...curve(80).map((p) => `${p.lr},${p.loss}`)].join('\n');
  const jsonl = curve(80).map((p) => JSON.stringify({ lr: p.lr, loss: p.loss })).join('\n');
  const record = rangeRecord(curve(80));
  const failures: string[] = [];
  for (let i = 0; i < 240; i++) {
    const kind = i % 4;
    let args: string[];
    if (kind === 0) {
      const spec = mutateValue(specs[i % specs.length], next);
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec) ?? 'null');
      args = i % 8 === 0 ? ['snippet', '--spec', 'spec.json', '--framework', ['pytorch', 'keras', 'optax', 'tfjs', 'json'][i % 5] as string] : ['schedule', 'spec.json', ...(next() < 0.3 ? ['--steps', '50'] : [])];
    } else if (kind === 1) {
      writeFileSync(join(dir, 'log.csv'), mutateText(i % 8 === 1 ? log : jsonl, next));
      args = ['suggest', 'log.csv'];
    } else if (kind === 2) {
      writeFileSync(join(dir, 'run.json'), JSON.stringify(mutateValue(record, next)) ?? 'null');
      args = ['suggest', 'run.json', ...(next() < 0.5 ? ['--json'] : [])];
    } else {
      writeFileSync(join(dir, 'run.json'), mutateText(JSON.stringify(record), next));
      args = ['suggest', 'run.json'];
    }
    const r = await runCli(args, { cwd: dir });
    if ((r.code !== 0 && r.code !== 2) || STACK.test(r.stderr) || STACK.test(r.stdout)) {
      failures.push(`case ${i} (${args.join(' ')}): exit ${r.code}\n${r.stderr.slice(0, 600)}`);
    }
  }
  assert.deepEqual(failures, []);
});
