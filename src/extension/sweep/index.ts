/** The entry of dist/sweep.js: the range-test sweep, which the extension loads on first use (`./commands.ts`). */
export { rangeTestSweep } from './sweep-command';
