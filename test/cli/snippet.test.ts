import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'lrscope-snippet-'));
const fixture = join(__dirname, '..', 'codegen', 'fixtures', 'python', 'pytorch_plain.py');
writeFileSync(join(dir, 'onecycle.json'), JSON.stringify({ policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 300 }));

test('snippet prints framework code for a spec', async () => {
  const r = await runCli(['snippet', '--framework', 'pytorch', '--spec', 'onecycle.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /OneCycleLR\(/);
  assert.match(r.stdout, /max_lr=0\.05/);
  const json = await runCli(['snippet', '--framework', 'json', '--spec', 'onecycle.json'], { cwd: dir });
  assert.equal(json.code, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as { pctStart: number }).pctStart, 0.3);
});

test('snippet --into prints the transformed file and --write writes it atomically', async () => {
  copyFileSync(fixture, join(dir, 'train.py'));
  const before = readFileSync(join(dir, 'train.py'), 'utf8');
  const r = await runCli(['snippet', '--spec', 'onecycle.json', '--into', 'train.py'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /scheduler = OneCycleLR\(/);
  assert.match(r.stdout, /optimizer\.step\(\)\n\s+scheduler\.step\(\)/);
  assert.match(r.stderr, /change: /);
  assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), before, 'without --write the file is untouched');
  const w = await runCli(['snippet', '--spec', 'onecycle.json', '--into', 'train.py', '--write'], { cwd: dir });
  assert.equal(w.code, 0, w.stderr);
  assert.equal(readFileSync(join(dir, 'train.py'), 'utf8'), r.stdout);
  const again = await runCli(['snippet', '--spec', 'onecycle.json', '--into', 'train.py'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, r.stdout, 're-applying the same spec changes nothing');
  assert.equal(again.stdout.match(/OneCycleLR\(/g)?.length, 1);
});

test('snippet: bad input exits 2 with one clear line', async () => {
  const noFw = await runCli(['snippet', '--spec', 'onecycle.json'], { cwd: dir });
  assert.equal(noFw.code, 2);
  assert.match(noFw.stderr, /--framework is required/);
  const badFw = await runCli(['snippet', '--framework', 'jax', '--spec', 'onecycle.json'], { cwd: dir });
  assert.equal(badFw.code, 2);
  assert.match(badFw.stderr, /one of pytorch, lightning, keras, fastai, optax, tfjs, json/);
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const wrongFile = await runCli(['snippet', '--framework', 'pytorch', '--spec', 'onecycle.json', '--into', 'notes.txt'], { cwd: dir });
  assert.equal(wrongFile.code, 2);
  assert.match(wrongFile.stderr, /notes\.txt/);
  const mismatch = await runCli(['snippet', '--framework', 'tfjs', '--spec', 'onecycle.json', '--into', 'train.py'], { cwd: dir });
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /train\.py is a Python file/);
});
