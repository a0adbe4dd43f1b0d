import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verbs } from '../../src/cli/verbs/index';
import { runCli } from './run-cli';

const seed = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };

function close(a: number, b: number) {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${a} != ${b}`);
}

test('schedule --json prints exactly {lr, momentum} for the seed example', async () => {
  const r = await runCli(['schedule', '-', '--json'], { stdin: JSON.stringify(seed) });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { lr: number[]; momentum: number[] | null };
  assert.deepEqual(Object.keys(out), ['lr', 'momentum']);
  assert.equal(out.lr.length, 95);
  close(out.lr[0]!, 0.08);
  close(out.lr[41]!, 0.8);
  close(out.lr[82]!, 0.08);
  close(out.lr[94]!, 0.008);
});

test('schedule --steps overrides the length; constant needs it', async () => {
  const r = await runCli(['schedule', '-', '--json', '--steps', '7'], { stdin: '{"policy":"constant","lr":0.1}' });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { lr: number[]; momentum: null };
  assert.deepEqual(out, { lr: Array(7).fill(0.1), momentum: null });
  const bad = await runCli(['schedule', '-'], { stdin: '{"policy":"constant","lr":0.1}' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--steps/);
});

test('schedule without --json prints a table with the peak and a plot', async () => {
  const r = await runCli(['schedule', '-'], { stdin: JSON.stringify(seed) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^41\s+0\.8\s/m);
  assert.match(r.stdout, /learning rate per step/);
  assert.match(r.stdout, /└─+/);
});

test('schedule rejects a bad spec with one line naming the field, exit 2', async () => {
  const r = await runCli(['schedule', '-'], { stdin: JSON.stringify({ ...seed, pctStart: 0.3 }) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pctStart/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const missing = await runCli(['schedule', 'no-such.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such\.json: no such file/);
  const json = await runCli(['schedule', '-'], { stdin: '{oops' });
  assert.equal(json.code, 2);
  assert.match(json.stderr, /<stdin> is not valid JSON/);
});

test('every verb has --help and unknown options exit 2', async () => {
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.ok(verbs.length >= 2);
  for (const { name: verb } of verbs) {
    assert.match(top.stdout, new RegExp(`^  ${verb}\\s`, 'm'));
    const h = await runCli([verb, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^Usage: lrscope ${verb}`));
  }
  const bad = await runCli(['schedule', '-', '--nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--nope/);
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
});
