/**
 * Exact equivalences between flavors and the reference implementations' native APIs, for code
 * generation: where a framework's own class reproduces a spec, generated code can use it instead
 * of a formula. "Exact" means equal up to floating-point rounding (relative error ~1e-15), which
 * the tests check against real PyTorch.
 */
import { withDefaults } from './defaults';
import type { CyclicSpec, OneCycleOptaxSpec, OneCyclePytorchSpec, OneCycleSmithSpec } from './spec';

/**
 * Smith's 1cycle as PyTorch `OneCycleLR(three_phase=True, anneal_strategy='linear', …)` over the
 * same totalSteps: pctStart = (stepSize + 1)/totalSteps puts the phase ends at stepSize and
 * 2·stepSize; divFactor = maxLr/minLr, finalDivFactor = minLr/finalLr; momentum max/min become
 * maxMomentum/baseMomentum (cycleMomentum true: Smith always cycles momentum). The result is fully
 * specified (no field left to a default).
 */
export function smithToPytorchOneCycle(spec: OneCycleSmithSpec): Required<OneCyclePytorchSpec> {
  const s = withDefaults(spec);
  return {
    policy: 'onecycle',
    flavor: 'pytorch',
    maxLr: s.maxLr,
    totalSteps: s.totalSteps,
    pctStart: (s.stepSize + 1) / s.totalSteps,
    annealStrategy: 'linear',
    divFactor: s.maxLr / s.minLr,
    finalDivFactor: s.minLr / s.finalLr,
    threePhase: true,
    cycleMomentum: true,
    baseMomentum: s.momentum.min,
    maxMomentum: s.momentum.max,
  };
}

/**
 * Smith's 1cycle LR (not its momentum: optax's one-cycle has none) as optax
 * `linear_onecycle_schedule`: transitionSteps = totalSteps − 1 (optax reaches its final value at
 * count T and holds it, as Smith does from step N − 1); pctStart/pctFinal are chosen half a step
 * inside so that int(pct·T) is exactly stepSize and 2·stepSize.
 */
export function smithToOptaxLinear(spec: OneCycleSmithSpec): Required<OneCycleOptaxSpec> {
  const t = spec.totalSteps - 1;
  return {
    policy: 'onecycle',
    flavor: 'optax-linear',
    peakValue: spec.maxLr,
    transitionSteps: t,
    pctStart: (spec.stepSize + 0.5) / t,
    pctFinal: (2 * spec.stepSize + 0.5) / t,
    divFactor: spec.maxLr / spec.minLr,
    finalDivFactor: spec.minLr / spec.finalLr,
  };
}

/**
 * optax-cosine as PyTorch two-phase cos `OneCycleLR` (LR only, `cycleMomentum: false`) over
 * totalSteps = transitionSteps + 1 — the extra step is count T, where optax reaches its final
 * value. optax-linear has an exact PyTorch form only when int(pctFinal·T) = 2·int(pctStart·T)
 * (symmetric three-phase); otherwise this returns null.
 */
export function optaxToPytorchOneCycle(spec: OneCycleOptaxSpec): Required<OneCyclePytorchSpec> | null {
  const s = withDefaults(spec);
  const t = s.transitionSteps;
  const peakAt = Math.trunc(s.pctStart * t);
  const base = {
    policy: 'onecycle' as const,
    flavor: 'pytorch' as const,
    maxLr: s.peakValue,
    totalSteps: t + 1,
    pctStart: (peakAt + 1) / (t + 1),
    divFactor: s.divFactor,
    finalDivFactor: s.finalDivFactor,
    cycleMomentum: false,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  };
  if (s.flavor === 'optax-cosine') return { ...base, annealStrategy: 'cos', threePhase: false };
  const backAt = Math.trunc((s.pctFinal ?? Number.NaN) * t);
  if (backAt !== 2 * peakAt) return null;
  return { ...base, annealStrategy: 'linear', threePhase: true };
}

/** Keyword arguments of `torch.optim.lr_scheduler.CyclicLR` reproducing a cyclic spec (native: CyclicLR is the reference). */
export function torchCyclicLRKwargs(spec: CyclicSpec): {
  base_lr: number;
  max_lr: number;
  step_size_up: number;
  step_size_down: number;
  mode: 'triangular' | 'triangular2' | 'exp_range';
  gamma: number;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
} {
  const s = withDefaults(spec);
  return {
    base_lr: s.baseLr,
    max_lr: s.maxLr,
    step_size_up: s.stepSizeUp,
    step_size_down: s.stepSizeDown,
    mode: s.mode,
    gamma: s.gamma,
    cycle_momentum: s.cycleMomentum,
    base_momentum: s.baseMomentum,
    max_momentum: s.maxMomentum,
  };
}

/** Keyword arguments of `torch.optim.lr_scheduler.OneCycleLR` reproducing a pytorch one-cycle spec. */
export function torchOneCycleLRKwargs(spec: OneCyclePytorchSpec): {
  max_lr: number;
  total_steps: number;
  pct_start: number;
  anneal_strategy: 'cos' | 'linear';
  div_factor: number;
  final_div_factor: number;
  three_phase: boolean;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
} {
  const s = withDefaults(spec);
  return {
    max_lr: s.maxLr,
    total_steps: s.totalSteps,
    pct_start: s.pctStart,
    anneal_strategy: s.annealStrategy,
    div_factor: s.divFactor,
    final_div_factor: s.finalDivFactor,
    three_phase: s.threePhase,
    cycle_momentum: s.cycleMomentum,
    base_momentum: s.baseMomentum,
    max_momentum: s.maxMomentum,
  };
}
