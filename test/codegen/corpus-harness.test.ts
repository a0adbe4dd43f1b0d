/**
 * The corpus harness itself, on untransformed corpus scripts whose step counts and LRs are known
 * without any planner: the recorder sees every real optimizer step (and only those), reads the
 * LR and momentum as the step applies them, and the comparison is exact where torch's own
 * OneCycleLR already drives the script and names the first mismatch where it does not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS, type CorpusEntry } from './corpus-entries';
import { CORPUS_DIR, compareOptimizer, record, withLength, type Recording } from './corpus-harness';

function entry(name: string): CorpusEntry {
  const found = CORPUS.find((e) => e.name === name);
  assert.ok(found, name);
  return found;
}

function recordOriginal(e: CorpusEntry, args?: string[]): Recording {
  const work = mkdtempSync(join(tmpdir(), 'lrscope-corpus-harness-'));
  try {
    const dir = join(work, e.dir);
    cpSync(join(CORPUS_DIR, e.dir), dir, { recursive: true });
    const run = args === undefined ? e : { ...e, run: { ...e.run!, args } };
    const r = record(run, dir);
    assert.ok(r.ok, r.failure ?? '');
    return r.recording!;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test("harness: cv_example's own OneCycleLR is exact against the spec over the recorded steps", () => {
  const rec = recordOriginal(entry('accelerate_cv'));
  assert.equal(rec.optimizers.length, 1);
  const adam = rec.optimizers[0]!;
  // 64 training images, batch 8, 3 epochs: OneCycleLR(epochs=3, steps_per_epoch=len(loader)).
  assert.equal(adam.lr.length, 3 * 8);
  const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 3e-2, totalSteps: 1000 } as const;
  const verdict = compareOptimizer(spec, adam, 'optimizer');
  assert.ok(verdict.exact, verdict.detail);
  assert.match(verdict.detail, /lr \+ momentum, 24 steps/);
  const wrong = compareOptimizer({ ...spec, maxLr: 1e-2 }, adam, 'optimizer');
  assert.equal(wrong.exact, false);
  assert.match(wrong.detail, /^lr wrong at 24\/24 steps, first step 0: expected 0\.000399999\d*, got 0\.00119999/);
});

test('harness: steps skipped by accelerate gradient accumulation are not recorded', () => {
  const rec = recordOriginal(entry('accelerate_grad_accum'), ['--cpu', '--gradient_accumulation_steps', '4']);
  // 96 examples / batch 16 = 6 batches per epoch; with k = 4 the optimizer really steps at the
  // 4th batch and at the loader's last: 2 per epoch, 3 epochs.
  assert.equal(rec.optimizers.length, 1, 'the AcceleratedOptimizer wrapper is not a second optimizer');
  assert.equal(rec.optimizers[0]!.lr.length, 6);
});

test("harness: nanoGPT's hand-written get_lr is what the recorder reads, max_iters + 1 steps, both groups", () => {
  const e = entry('nanogpt');
  const work = mkdtempSync(join(tmpdir(), 'lrscope-corpus-harness-'));
  try {
    const dir = join(work, e.dir);
    cpSync(join(CORPUS_DIR, e.dir), dir, { recursive: true });
    assert.equal(spawnSync('/usr/bin/python3', ['data/shakespeare_char/prepare.py'], { cwd: dir }).status, 0);
    const r = record(e, dir);
    assert.ok(r.ok, r.failure ?? '');
    const adamw = r.recording!.optimizers[0]!;
    assert.equal(adamw.class, 'AdamW');
    assert.equal(adamw.groups, 2);
    assert.equal(adamw.lr.length, 25, 'max_iters = 24 in the config; the loop breaks after iter_num > max_iters');
    // get_lr(it) of config/train_shakespeare_char.py: warm-up 4, cosine to min_lr at 24.
    const getLr = (it: number) => {
      if (it < 4) return (1e-3 * (it + 1)) / 5;
      if (it > 24) return 1e-4;
      const ratio = (it - 4) / 20;
      return 1e-4 + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (1e-3 - 1e-4);
    };
    adamw.lr.forEach((groups, it) => {
      for (const lr of groups) assert.ok(Math.abs(lr - getLr(it)) <= 1e-12, `step ${it}: ${lr} vs ${getLr(it)}`);
    });
    assert.deepEqual(adamw.momentum[0], [0.9, 0.9]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('harness: two optimizers are told apart in creation order (dcgan)', () => {
  const rec = recordOriginal(entry('dcgan'));
  assert.deepEqual(rec.optimizers.map((o) => [o.class, o.lr.length]), [['Adam', 16], ['Adam', 16]]);
  assert.deepEqual(rec.optimizers[0]!.momentum[0], [0.5], 'betas[0] = opt.beta1');
});

test('harness: withLength sets the length field of each bounded policy and leaves unbounded ones', () => {
  assert.deepEqual(withLength({ policy: 'onecycle', flavor: 'pytorch', maxLr: 1, totalSteps: 1000 }, 7), { policy: 'onecycle', flavor: 'pytorch', maxLr: 1, totalSteps: 7 });
  assert.deepEqual(withLength({ policy: 'onecycle', flavor: 'optax-cosine', peakValue: 1, transitionSteps: 1000 }, 7), { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 1, transitionSteps: 7 });
  assert.deepEqual(withLength({ policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 100 }, 7), { policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 7 });
  const cyclic = { policy: 'cyclic', baseLr: 0.1, maxLr: 1, stepSizeUp: 3 } as const;
  assert.equal(withLength(cyclic, 7), cyclic);
});
