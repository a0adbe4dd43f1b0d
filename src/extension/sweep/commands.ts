/** Range Test Sweep…, whose code (dist/sweep.js) is loaded when it is first run. */
import type { CommandEntry } from '../command-table';
import { ensureTrusted } from '../trust';
import type { SweepDeps } from './sweep-command';

/** Asks what to sweep and runs it. */
export function sweepCommands(deps: SweepDeps): CommandEntry[] {
  return [
    {
      command: 'lrScope.rangeTestSweep',
      run: async (arg) => {
        if (!(await ensureTrusted('run a range-test sweep'))) return;
        const { rangeTestSweep } = await import('./index.js');
        await rangeTestSweep(deps, arg);
      },
    },
  ];
}
