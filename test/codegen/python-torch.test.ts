/**
 * Generated PyTorch code, executed with real PyTorch: the LR (and momentum / Adam's beta1) that every
 * optimizer step really used equals the core's schedule over the script's real number of optimizer steps.
 * All scripts run in one Python process.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sampleSchedule } from '../../src/core/schedules/index';
import type { ScheduleSpec } from '../../src/core/schedules/spec';
import { assertClose, fixture, getParser, runHarness, transform } from './python-helpers';

interface Step {
  lr: number;
  momentum: number | null;
  beta1: number | null;
}
interface Result {
  id: string;
  steps: Step[];
  error: string | null;
}

type Optimizer = 'sgd-momentum' | 'sgd' | 'adam';

/** The optimizer variants of a fixture, made by rewriting its optimizer call. */
function withOptimizer(text: string, optimizer: Optimizer): string {
  if (optimizer === 'sgd-momentum') return text;
  const noMomentum = text.replace(/,\s*momentum=0\.9,?(\s*\))/, '$1');
  return optimizer === 'sgd' ? noMomentum : noMomentum.replace('torch.optim.SGD(', 'torch.optim.Adam(');
}

const SCRIPTS: { name: string; file: string; steps: number }[] = [
  { name: 'plain loop', file: 'pytorch_plain.py', steps: 18 }, // 96 samples / 16 × 3 epochs
  { name: 'gradient accumulation', file: 'pytorch_accumulation.py', steps: 12 }, // (80 / 4) // 3 × 2 epochs
  { name: 'CRLF + tabs + single quotes', file: 'pytorch_crlf_tabs.py', steps: 20 }, // 40 / 8 × 4 epochs
];

function specs(n: number): { name: string; spec: ScheduleSpec }[] {
  const s = Math.floor((n - 2) / 2) - 1;
  return [
    { name: 'onecycle/pytorch cos', spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.5, totalSteps: n } },
    {
      name: 'onecycle/pytorch linear three-phase',
      spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.3, totalSteps: n, annealStrategy: 'linear', threePhase: true, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9 },
    },
    { name: 'onecycle/fastai', spec: { policy: 'onecycle', flavor: 'fastai', lrMax: 0.2, totalSteps: n, pctStart: 0.3 } },
    { name: 'onecycle/optax-cosine', spec: { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.4, transitionSteps: n } },
    { name: 'onecycle/optax-linear', spec: { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.4, transitionSteps: n, pctStart: 0.25, pctFinal: 0.5 } },
    { name: 'onecycle/smith', spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.05, maxLr: 0.5, stepSize: s, totalSteps: n, finalLr: 0.001 } },
    { name: 'cyclic triangular2', spec: { policy: 'cyclic', mode: 'triangular2', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 2 } },
    { name: 'cyclic exp_range', spec: { policy: 'cyclic', mode: 'exp_range', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, gamma: 0.9 } },
    { name: 'range exp', spec: { policy: 'range', mode: 'exp', startLr: 1e-4, endLr: 1, steps: n } },
    { name: 'constant', spec: { policy: 'constant', lr: 0.05 } },
  ];
}

/** Smith's 1cycle ≡ OneCycleLR(three_phase=True, anneal_strategy='linear', …), on several shapes (seed example first). */
const SMITH: { batches: number; epochs: number; spec: ScheduleSpec }[] = [
  { batches: 95, epochs: 1, spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 } },
  { batches: 10, epochs: 3, spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.001, maxLr: 1, stepSize: 10, totalSteps: 30, finalLr: 1e-6, momentum: { max: 0.98, min: 0.8 } } },
  { batches: 7, epochs: 1, spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.1, maxLr: 0.3, stepSize: 2, totalSteps: 7, finalLr: 0.05 } },
  { batches: 13, epochs: 5, spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.0123, maxLr: 0.456, stepSize: 29, totalSteps: 65, finalLr: 0.0001 } },
];

interface Case {
  id: string;
  code: string;
  spec: ScheduleSpec;
  steps: number;
  optimizer: Optimizer;
}

describe('generated PyTorch code, executed with real PyTorch', () => {
  const cases: Case[] = [];
  const results = new Map<string, Result>();

  before(async () => {
    await getParser();
    for (const script of SCRIPTS) {
      for (const optimizer of ['sgd-momentum', 'sgd', 'adam'] as const) {
        const source = withOptimizer(fixture(script.file), optimizer);
        for (const { name, spec } of specs(script.steps)) {
          const id = `${script.name} | ${optimizer} | ${name}`;
          cases.push({ id, code: await transform(source, spec, 'pytorch'), spec, steps: script.steps, optimizer });
        }
      }
    }
    for (const { batches, epochs, spec } of SMITH) {
      const source = fixture('pytorch_steps.py').replace(/NUM_BATCHES/g, String(batches)).replace('NUM_EPOCHS', String(epochs));
      for (const optimizer of ['sgd-momentum', 'adam'] as const) {
        const id = `smith ≡ OneCycleLR | ${batches * epochs} steps | ${optimizer}`;
        cases.push({ id, code: await transform(withOptimizer(source, optimizer), spec, 'pytorch'), spec, steps: batches * epochs, optimizer });
      }
    }
    // A script that already has a OneCycleLR: the plan updates it, and the update is what runs.
    const existing = { policy: 'onecycle', flavor: 'fastai', lrMax: 0.1, totalSteps: 8 } as const;
    cases.push({ id: 'existing OneCycleLR updated', code: await transform(fixture('pytorch_existing_onecycle.py'), existing, 'pytorch'), spec: existing, steps: 8, optimizer: 'sgd-momentum' });
    for (const r of runHarness<Result>('record_steps.py', cases.map(({ id, code }) => ({ id, code })))) results.set(r.id, r);
  });

  it('runs every generated script without error, with the expected number of optimizer steps', () => {
    assert.ok(cases.length > 90);
    for (const c of cases) {
      const r = results.get(c.id)!;
      assert.equal(r.error, null, `${c.id}:\n${r.error}\n--- code ---\n${c.code}`);
      assert.equal(r.steps.length, c.steps, c.id);
    }
  });

  it('uses the spec’s LR at every optimizer step (rel. err ≤ 1e-9)', () => {
    for (const c of cases) {
      const expected = sampleSchedule(c.spec, c.steps);
      assertClose(results.get(c.id)!.steps.map((s) => s.lr), expected.lr, c.id);
    }
  });

  it('cycles momentum (SGD) or beta1 (Adam) as the spec says, and leaves SGD without momentum alone', () => {
    for (const c of cases) {
      const steps = results.get(c.id)!.steps;
      const expected = sampleSchedule(c.spec, c.steps).momentum;
      if (c.optimizer === 'sgd') {
        assert.ok(steps.every((s) => s.momentum === 0), `${c.id}: SGD without momentum got momentum ${steps.map((s) => s.momentum)}`);
        continue;
      }
      const used = steps.map((s) => (c.optimizer === 'adam' ? s.beta1! : s.momentum!));
      if (expected) assertClose(used, expected, `${c.id} momentum`);
      else assert.ok(used.every((m) => m === 0.9), `${c.id}: momentum must stay the optimizer's own 0.9, got ${used}`);
    }
  });

  it('uses the native class where it is exact: CyclicLR, OneCycleLR (also for smith and optax-cosine), else LambdaLR', () => {
    const byName = (name: string) => cases.find((c) => c.id === `plain loop | sgd-momentum | ${name}`)!.code;
    assert.match(byName('cyclic triangular2'), /scheduler = CyclicLR\(optimizer, base_lr=0\.01, max_lr=0\.1, step_size_up=3, step_size_down=2, mode="triangular2"/);
    assert.match(byName('onecycle/smith'), /scheduler = OneCycleLR\(optimizer, max_lr=0\.5, total_steps=18, pct_start=[\d.]+, anneal_strategy="linear", div_factor=10, final_div_factor=50, three_phase=True\)/);
    assert.match(byName('onecycle/optax-cosine'), /OneCycleLR\(optimizer, max_lr=0\.4, total_steps=19, pct_start=[\d.]+, cycle_momentum=False\)/);
    assert.match(byName('onecycle/fastai'), /scheduler = LambdaLRWithMomentum\(optimizer, lr_at_step, momentum_at_step\)/);
    assert.match(byName('range exp'), /scheduler = LambdaLR\(optimizer, lambda step: lr_at_step\(step\) \/ optimizer\.defaults\["lr"\]\)/);
    const plainSgd = cases.find((c) => c.id === 'plain loop | sgd | onecycle/pytorch cos')!.code;
    assert.match(plainSgd, /OneCycleLR\(optimizer, max_lr=0\.5, total_steps=total_steps, cycle_momentum=False\)/);
  });
});
