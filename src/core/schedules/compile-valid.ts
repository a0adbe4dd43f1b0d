/** The schedule of a spec that has passed `validateSpec` (no checks here: `compileSchedule` is the public entry). */
import { compileConstant } from './constant';
import { compileCyclic } from './cyclic';
import { withDefaults } from './defaults';
import { compileOneCycleFastai } from './onecycle-fastai';
import { compileOneCycleOptax } from './onecycle-optax';
import { compileOneCyclePytorch } from './onecycle-pytorch';
import { compileOneCycleSmith } from './onecycle-smith';
import { compileRange } from './range';
import type { Schedule } from './schedule';
import type { ScheduleSpec } from './spec';

export function compileValidSpec(valid: ScheduleSpec): Schedule {
  switch (valid.policy) {
    case 'range':
      return compileRange(valid);
    case 'constant':
      return compileConstant(valid);
    case 'cyclic':
      return compileCyclic(withDefaults(valid));
    case 'onecycle':
      switch (valid.flavor) {
        case 'pytorch':
          return compileOneCyclePytorch(withDefaults(valid));
        case 'fastai':
          return compileOneCycleFastai(withDefaults(valid));
        case 'optax-cosine':
        case 'optax-linear':
          return compileOneCycleOptax(withDefaults(valid));
        case 'smith':
          return compileOneCycleSmith(withDefaults(valid));
      }
  }
}
