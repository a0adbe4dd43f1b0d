/** `onecycle/optax-cosine`: optax `cosine_onecycle_schedule` at count = i (the shared optax arithmetic: optax-onecycle.ts). */
import type { FlavorCode } from './flavor';
import { optaxFlavor, optaxPython, optaxScheduleCall, optaxSource, optaxTorchOneCycle, type OneCycleOptaxCosineSpec } from './optax-onecycle';

export type { OneCycleOptaxCosineSpec } from './optax-onecycle';

export const optaxCosine = optaxFlavor<OneCycleOptaxCosineSpec>('optax-cosine', {
  label: 'One-cycle (optax cosine)',
  description: 'optax.cosine_onecycle_schedule',
  specFields: ['policy', 'flavor', 'peakValue', 'transitionSteps', 'pctStart', 'divFactor', 'finalDivFactor'],
  fields: [
    { key: 'pctStart', label: 'pct_start', kind: 'number', help: 'Fraction of the steps spent increasing the LR.' },
    { key: 'divFactor', label: 'div_factor', kind: 'number', help: 'Initial LR = peak_value / div_factor.' },
    { key: 'finalDivFactor', label: 'final_div_factor', kind: 'number', help: 'Final LR = initial LR / final_div_factor.' },
  ],
});

/** What code generation reads of `optaxCosine`. */
export const optaxCosineCode: FlavorCode<'optax-cosine', OneCycleOptaxCosineSpec, Required<OneCycleOptaxCosineSpec>> = {
  id: 'optax-cosine',
  python: optaxPython,
  typescript: optaxSource,
  torchOneCycle: optaxTorchOneCycle,
  optaxSchedule: optaxScheduleCall,
};
