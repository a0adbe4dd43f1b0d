/** `onecycle/optax-linear`: optax `linear_onecycle_schedule` at count = i (the shared optax arithmetic: optax-onecycle.ts). */
import type { FlavorCode } from './flavor';
import { optaxFlavor, optaxPython, optaxScheduleCall, optaxSource, optaxTorchOneCycle, type OneCycleOptaxLinearSpec } from './optax-onecycle';

export type { OneCycleOptaxLinearSpec } from './optax-onecycle';

export const optaxLinear = optaxFlavor<OneCycleOptaxLinearSpec>('optax-linear', {
  label: 'One-cycle (optax linear)',
  description: 'optax.linear_onecycle_schedule',
  specFields: ['policy', 'flavor', 'peakValue', 'transitionSteps', 'pctStart', 'pctFinal', 'divFactor', 'finalDivFactor'],
  fields: [
    { key: 'pctStart', label: 'pct_start', kind: 'number', help: 'Fraction of the steps spent increasing the LR.' },
    { key: 'pctFinal', label: 'pct_final', kind: 'number', help: 'Fraction of the steps after which the final annealing starts.' },
    { key: 'divFactor', label: 'div_factor', kind: 'number', help: 'Initial LR = peak_value / div_factor.' },
    { key: 'finalDivFactor', label: 'final_div_factor', kind: 'number', help: 'Final LR = initial LR / final_div_factor.' },
  ],
});

/** What code generation reads of `optaxLinear`. */
export const optaxLinearCode: FlavorCode<'optax-linear', OneCycleOptaxLinearSpec, Required<OneCycleOptaxLinearSpec>> = {
  id: 'optax-linear',
  python: optaxPython,
  typescript: optaxSource,
  torchOneCycle: optaxTorchOneCycle,
  optaxSchedule: optaxScheduleCall,
};
