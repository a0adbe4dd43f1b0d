/**
 * Synthetic runs for the webview tests: a range-test curve with the usual shape (flat, a descent,
 * a valley, then divergence), an early spike, and seeded noise; a training run; a sweep to compare.
 */
import type { EpochPoint, StepPoint } from '../../../src/core/runs/record';
import type { RunSnapshot } from '../../../src/protocol/webview';

/** Mulberry32: a small seeded PRNG, so fixtures are identical on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CurveOptions {
  steps?: number;
  startLr?: number;
  endLr?: number;
  /** log10 of the LR where the loss is lowest. */
  bestLog10?: number;
  seed?: number;
  noise?: number;
  /** Put a spike of this height at step 3. */
  spike?: number;
}

/** Points of a range test: loss(log lr) flat at 2.3, falling to ~0.4 near the best LR, then exploding. */
export function rangeTestPoints(o: CurveOptions = {}): StepPoint[] {
  const steps = o.steps ?? 200;
  const start = o.startLr ?? 1e-6;
  const end = o.endLr ?? 10;
  const best = o.bestLog10 ?? -1.5;
  const rand = rng(o.seed ?? 1);
  const noise = o.noise ?? 0.04;
  const points: StepPoint[] = [];
  for (let i = 0; i < steps; i++) {
    const lr = start * (end / start) ** (i / (steps - 1));
    const x = Math.log10(lr);
    const descent = 1.9 / (1 + Math.exp(-(x - (best - 1.2)) * 3)); // 0 → 1.9 around best − 1.2 decades
    const blowup = x > best ? (x - best) ** 2 * 6 : 0;
    let loss = 2.3 - descent + blowup + (rand() - 0.5) * 2 * noise;
    if (o.spike && i === 3) loss = o.spike;
    points.push({ step: i, lr, loss });
  }
  return points;
}

export function rangeRun(id: string, label: string, points: StepPoint[], status: RunSnapshot['status'] = 'completed', steps = 200): RunSnapshot {
  return {
    id,
    kind: 'range-test',
    label,
    status,
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 10, steps },
    totalSteps: steps,
    backend: 'wasm',
    points,
    epochs: [],
  };
}

/** A one-cycle training run (pytorch flavor, 4 epochs × 50 steps) with per-epoch metrics. */
export function trainingRun(id = 'train-1', epochsDone = 4): RunSnapshot {
  const stepsPerEpoch = 50;
  const total = 4 * stepsPerEpoch;
  const rand = rng(7);
  const points: StepPoint[] = [];
  const epochs: EpochPoint[] = [];
  const maxLr = 0.03;
  for (let i = 0; i < epochsDone * stepsPerEpoch; i++) {
    const pct = i / (total - 1);
    const up = pct < 0.3;
    const phase = up ? pct / 0.3 : (pct - 0.3) / 0.7;
    const lr = up ? maxLr / 25 + (maxLr - maxLr / 25) * (1 - Math.cos(Math.PI * phase)) / 2 : maxLr / 25e4 + (maxLr - maxLr / 25e4) * (1 + Math.cos(Math.PI * phase)) / 2;
    const momentum = up ? 0.95 - 0.1 * (1 - Math.cos(Math.PI * phase)) / 2 : 0.85 + 0.1 * (1 - Math.cos(Math.PI * phase)) / 2;
    const loss = 2.3 * Math.exp(-i / 60) + 0.15 + (rand() - 0.5) * 0.1;
    points.push({ step: i, lr, momentum, loss });
    if ((i + 1) % stepsPerEpoch === 0) {
      const e = (i + 1) / stepsPerEpoch - 1;
      epochs.push({ epoch: e, loss: loss + 0.02, valLoss: loss + 0.08, metrics: { acc: 0.6 + 0.09 * e, val_acc: 0.58 + 0.085 * e } });
    }
  }
  return {
    id,
    kind: 'train',
    label: 'mnist-mlp one-cycle',
    status: epochsDone < 4 ? 'running' : 'completed',
    schedule: { policy: 'onecycle', flavor: 'pytorch', maxLr, totalSteps: total },
    totalSteps: total,
    backend: 'wasm',
    points,
    epochs,
  };
}

/** A weight-decay sweep: three range tests whose best LR moves with the weight decay. */
export function sweepRuns(): RunSnapshot[] {
  return [
    rangeRun('wd-0', 'wd=0', rangeTestPoints({ bestLog10: -1.3, seed: 11 })),
    rangeRun('wd-1e-4', 'wd=1e-4', rangeTestPoints({ bestLog10: -1.6, seed: 12 })),
    rangeRun('wd-1e-3', 'wd=1e-3', rangeTestPoints({ bestLog10: -2.0, seed: 13 })),
  ];
}

export const SCHEDULE_DEFAULTS = { flavor: 'pytorch', framework: 'pytorch', epochs: 5, stepsPerEpoch: 100 } as const;
