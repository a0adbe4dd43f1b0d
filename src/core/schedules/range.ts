/**
 * `range`: the LR range test's ramp, as pytorch-lr-finder's `ExponentialLR` / `LinearLR`
 * (torch_lr_finder/lr_finder.py, PyTorch ≥ 1.1): with r = i/(steps − 1),
 *   exp:    lr_i = startLr·(endLr/startLr)^r
 *   linear: lr_i = startLr + r·(endLr − startLr)
 * so lr_0 = startLr and lr_{steps−1} = endLr (returned exactly; the formula could be off by an
 * ulp). Past the end the ramp holds endLr. fastai's `LRFinder` differs: it uses
 * r = i/num_it and never reaches end_lr.
 */
import type { RangeSpec } from './spec';
import { clampToLength, type Schedule, type StepFn } from './schedule';

/** Compiles a (valid) range spec. */
export function compileRange(spec: RangeSpec): Schedule {
  const { startLr, endLr, steps } = spec;
  const last = steps - 1;
  const ratio = endLr / startLr;
  const ramp: StepFn =
    spec.mode === 'exp'
      ? (i) => (i === last ? endLr : startLr * ratio ** (i / last))
      : (i) => (i === last ? endLr : startLr + (i / last) * (endLr - startLr));
  return { length: steps, lr: clampToLength(ramp, steps), momentum: null };
}
