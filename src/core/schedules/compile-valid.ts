/** The schedule of a spec that has passed `validateSpec` (no checks here: `compileSchedule` is the public entry). */
import { compileConstant } from './constant';
import { flavorOf } from './flavors/index';
import { compileRange } from './range';
import type { Schedule } from './schedule';
import type { ScheduleSpec } from './spec';

export function compileValidSpec(valid: ScheduleSpec): Schedule {
  switch (valid.policy) {
    case 'range':
      return compileRange(valid);
    case 'constant':
      return compileConstant(valid);
    default: {
      const flavor = flavorOf(valid);
      return flavor.compile(flavor.withDefaults(valid));
    }
  }
}
