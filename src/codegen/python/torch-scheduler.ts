/**
 * The PyTorch scheduler for a spec: the native class where it is exactly equal (`CyclicLR`, `OneCycleLR`, and
 * Smith's 1cycle as a three-phase linear `OneCycleLR`), else `LambdaLR` over the exact formula — with a small
 * `LambdaLR` subclass that also sets momentum (or Adam's beta1) when the spec cycles it.
 * Shared by the PyTorch and Lightning planners.
 */
import type { OneCyclePytorchSpec, ScheduleSpec } from '../../core/schedules/spec';
import { flavorCodeOf } from '../../core/schedules/flavors/code';
import { formulaImports, formulasFor, pyFunction, stepsText, type Steps } from './formulas';
import { pyFloat, pyNum } from './style';
import type { Node } from './syntax';

/** What the optimizer offers to cycle: SGD/RMSprop momentum, Adam-family betas[0], nothing, or unknown. */
export type MomentumSlot = 'momentum' | 'betas' | 'none' | 'unknown';

const BETAS = new Set(['Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'SparseAdam']);
const MOMENTUM_OPTIONAL = new Set(['SGD', 'RMSprop']);
const NO_MOMENTUM = new Set(['Adagrad', 'Adadelta', 'ASGD', 'Rprop', 'LBFGS']);
/** torch.optim optimizer classes. */
export const TORCH_OPTIMIZERS: ReadonlySet<string> = new Set([...BETAS, ...MOMENTUM_OPTIONAL, ...NO_MOMENTUM]);

/** The momentum slot of `torch.optim.<cls>(…, momentum=<m>)` (m: the literal value, NaN when not a literal, null when absent). */
export function momentumSlot(cls: string, momentum: number | null): MomentumSlot {
  if (BETAS.has(cls)) return 'betas';
  if (NO_MOMENTUM.has(cls)) return 'none';
  if (MOMENTUM_OPTIONAL.has(cls)) return momentum === null || momentum === 0 ? 'none' : 'momentum';
  return 'unknown';
}

/** Names the generated code defines (so that re-applying finds and replaces them). */
export const GENERATED_DEFS: ReadonlySet<string> = new Set(['lr_at_step', 'momentum_at_step', 'LambdaLRWithMomentum', 'total_steps']);

/** A statement LR Scope writes before a scheduler: `total_steps = …`, `def lr_at_step`, `class LambdaLRWithMomentum`. */
export function isGenerated(n: Node): boolean {
  if (n.type === 'function_definition' || n.type === 'class_definition') return GENERATED_DEFS.has(n.childForFieldName('name')?.text ?? '');
  if (n.type === 'expression_statement') {
    const a = n.namedChildren[0];
    return a?.type === 'assignment' && GENERATED_DEFS.has(a.childForFieldName('left')?.text ?? '');
  }
  return false;
}
export const TORCH_SCHEDULERS: ReadonlySet<string> = new Set([
  'OneCycleLR',
  'CyclicLR',
  'LambdaLR',
  'LambdaLRWithMomentum',
  'StepLR',
  'MultiStepLR',
  'ExponentialLR',
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'LinearLR',
  'ConstantLR',
  'PolynomialLR',
  'MultiplicativeLR',
  'SequentialLR',
]);

export interface TorchSchedulerCode {
  /** Definitions to place before the scheduler (4-space indentation, '\n'), possibly empty. */
  defs: string[];
  /** The constructor expression, e.g. `OneCycleLR(optimizer, max_lr=0.1, total_steps=total_steps)`. */
  construct: string;
  /** Class imported from torch.optim.lr_scheduler. */
  importName: string;
  /** Standard modules the defs use (`math`, `struct`). */
  modules: string[];
  /** Whether the total-steps expression (when one was given) is used. */
  usesTotal: boolean;
  /** Human description for the plan summary. */
  description: string;
}

/**
 * The scheduler for `spec` on the optimizer named `optimizer` whose momentum is in `slot`. `total` is the
 * script's own step count (an expression) for the flavors defined relative to their length, or null.
 * `native: false` writes the exact formula even where a native class exists: the formula holds its last
 * value past the end, where `OneCycleLR` raises (for a length the file does not tell).
 */
export function torchScheduler(spec: ScheduleSpec, optimizer: string, slot: MomentumSlot, total: Steps | null, options: { native?: boolean } = {}): TorchSchedulerCode {
  const canCycle = slot !== 'none';
  // CyclicLR cycles only `momentum` (it raises for Adam's betas): where the optimizer may be Adam, the formula
  // (which sets either) does it
  if (spec.policy === 'cyclic' && !((slot === 'betas' || slot === 'unknown') && spec.cycleMomentum !== false)) {
    const cycle = spec.cycleMomentum !== false && canCycle;
    const mode = spec.mode ?? 'triangular';
    const args = [
      optimizer,
      `base_lr=${pyNum(spec.baseLr)}`,
      `max_lr=${pyNum(spec.maxLr)}`,
      `step_size_up=${pyNum(spec.stepSizeUp)}`,
      ...(spec.stepSizeDown !== undefined ? [`step_size_down=${pyNum(spec.stepSizeDown)}`] : []),
      `mode="${mode}"`,
      ...(mode === 'exp_range' ? [`gamma=${pyFloat(spec.gamma ?? 1)}`] : []),
      ...(cycle
        ? [`base_momentum=${pyNum(spec.baseMomentum ?? 0.8)}`, `max_momentum=${pyNum(spec.maxMomentum ?? 0.9)}`]
        : ['cycle_momentum=False']),
    ];
    return { defs: [], construct: `CyclicLR(${args.join(', ')})`, importName: 'CyclicLR', modules: [], usesTotal: false, description: `CyclicLR (${mode})` };
  }
  const native = spec.policy !== 'onecycle' || options.native === false ? null : (flavorCodeOf(spec).torchOneCycle?.(spec) ?? null);
  if (native) {
    const steps: Steps = native.resizable && total !== null ? total : native.spec.totalSteps;
    return {
      defs: [],
      construct: oneCycleLR(native.spec, optimizer, stepsText(steps), canCycle),
      importName: 'OneCycleLR',
      modules: [],
      usesTotal: typeof steps !== 'number',
      description: native.description,
    };
  }
  const relative = spec.policy === 'onecycle';
  const formulas = formulasFor(spec, 'python', relative ? total : null);
  const lrDef = pyFunction('lr_at_step', formulas.lr);
  const lambda = `lambda step: lr_at_step(step) / ${optimizer}.defaults["lr"]`;
  const usesTotal = relative && total !== null && typeof total !== 'number';
  if (formulas.momentum && canCycle) {
    return {
      defs: [lrDef, pyFunction('momentum_at_step', formulas.momentum), MOMENTUM_CLASS],
      construct: `LambdaLRWithMomentum(${optimizer}, lr_at_step, momentum_at_step)`,
      importName: 'LambdaLR',
      modules: formulaImports(formulas.lr, formulas.momentum),
      usesTotal,
      description: `LambdaLR with the exact ${formulas.lr.title} formula, momentum included`,
    };
  }
  return {
    defs: [lrDef],
    construct: `LambdaLR(${optimizer}, ${lambda})`,
    importName: 'LambdaLR',
    modules: formulaImports(formulas.lr),
    usesTotal,
    description: `LambdaLR with the exact ${formulas.lr.title} formula`,
  };
}

function oneCycleLR(s: OneCyclePytorchSpec, optimizer: string, totalSteps: string, canCycle: boolean): string {
  const args = [optimizer, `max_lr=${pyNum(s.maxLr)}`, `total_steps=${totalSteps}`];
  const pct = s.pctStart ?? 0.3;
  if (pct !== 0.3) args.push(`pct_start=${pyFloat(pct)}`);
  if ((s.annealStrategy ?? 'cos') !== 'cos') args.push(`anneal_strategy="${s.annealStrategy}"`);
  if ((s.divFactor ?? 25) !== 25) args.push(`div_factor=${pyNum(s.divFactor!)}`);
  if ((s.finalDivFactor ?? 1e4) !== 1e4) args.push(`final_div_factor=${pyNum(s.finalDivFactor!)}`);
  if (s.threePhase) args.push('three_phase=True');
  if (s.cycleMomentum === false || !canCycle) args.push('cycle_momentum=False');
  else {
    if ((s.baseMomentum ?? 0.85) !== 0.85) args.push(`base_momentum=${pyNum(s.baseMomentum!)}`);
    if ((s.maxMomentum ?? 0.95) !== 0.95) args.push(`max_momentum=${pyNum(s.maxMomentum!)}`);
  }
  return `OneCycleLR(${args.join(', ')})`;
}

const MOMENTUM_CLASS = `class LambdaLRWithMomentum(LambdaLR):
    # LambdaLR that also sets the momentum (SGD, RMSprop) or beta1 (Adam family) of every step.
    def __init__(self, optimizer, lr_at, momentum_at):
        self.momentum_at = momentum_at
        super().__init__(optimizer, lambda step: lr_at(step) / optimizer.defaults["lr"])

    def get_lr(self):
        momentum = self.momentum_at(self.last_epoch)
        for group in self.optimizer.param_groups:
            if "betas" in group:
                group["betas"] = (momentum, *group["betas"][1:])
            else:
                group["momentum"] = momentum
        return super().get_lr()`;
