/** `constant`: the same LR at every step; `steps`, when given, is only the schedule's length. */
import type { ConstantSpec } from './spec';
import type { Schedule } from './schedule';
import { constantFn } from './combinators';

/** Compiles a (valid) constant spec. */
export function compileConstant(spec: ConstantSpec): Schedule {
  return { length: spec.steps ?? null, lr: constantFn(spec.lr), momentum: null };
}
