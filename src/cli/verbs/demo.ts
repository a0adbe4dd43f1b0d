/** `lrscope demo`: the range test on the bundled MNIST digits example, with an HTML report. */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { integerOption, RUN_OPTIONS, backendOption, runsDirOption } from '../run-options';
import { UsageError, parseVerbArgs, type Verb } from '../verb';
import { executeRangeTest } from './range-test';

/**
 * Steps of the demo's range test. Measured on the digits MLP: 100 steps left the methods 2.5
 * decades apart, 200 agree within one decade for about 0.2 s more CPU (wasm); startup dominates.
 */
export const DEMO_STEPS = 200;

const EXAMPLE = join('examples', 'digits.experiment.ts');

const help = `Usage: lrscope demo [--steps N] [--backend B] [--runs-dir DIR] [--json]

Runs an LR range test on the bundled example — handwritten digits (6,400 MNIST training
images, binarized) and a small MLP — and shows what LR Scope does: a progress bar, fastai's four suggested
learning rates, the recommendation with its caveats and a plot. Saves the run record under
.lrscope/runs/ and an HTML report under .lrscope/reports/ (paths printed). About 5 s.

Options:
  --steps N              mini-batches of the range test (default ${DEMO_STEPS})
  --backend B            auto | tensorflow | wasm | cpu (default auto)
  --runs-dir DIR         where run records go (default .lrscope/runs; reports go beside it)
  --json                 the last line of stdout is the range-test summary (see range-test --help)
  -h, --help             this text

Then try it on your own model: lrscope range-test my.experiment.ts`;

/**
 * The digits example, found from this module upward: from the sources (src/cli/verbs/, run with
 * tsx) and from the bundle (dist/cli.js) alike, the package root is the first folder above that
 * holds both package.json and examples/digits.experiment.ts.
 */
export function findDemoExperiment(from: string = __dirname): string | null {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, EXAMPLE);
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export const demoVerb: Verb = {
  name: 'demo',
  summary: 'the LR range test on the bundled MNIST example: suggestions, plot, HTML report',
  help,
  async run(argv, io) {
    const { values, positionals } = parseVerbArgs('demo', argv, {
      ...RUN_OPTIONS,
      steps: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`lrscope demo: takes no file (got ${positionals.join(' ')}); for your own model use 'lrscope range-test <file>'`);
    if (values.out !== undefined) throw new UsageError(`lrscope demo: --out is not an option of demo; use 'lrscope range-test examples/digits.experiment.ts --out FILE'`);
    const steps = integerOption('demo', 'steps', values.steps, 10) ?? DEMO_STEPS;
    const backend = backendOption('demo', values);
    const experiment = findDemoExperiment();
    if (!experiment) throw new Error(`the bundled example ${EXAMPLE} is missing from this installation of LR Scope`);
    const json = values.json === true;
    const shown = relative(io.cwd, experiment);
    io.stderr.write(`LR Scope demo: an LR range test on handwritten digits (MNIST, MLP 784-128-10) — ${shown.startsWith('..') ? experiment : shown}\n`);
    const result = await executeRangeTest(
      'demo',
      { experimentPath: experiment, backend, runsDir: runsDirOption(values, io), options: { steps }, html: 'reports-dir' },
      { json, readingTo: json ? io.stderr : io.stdout },
      io,
    );
    if (!json && result.code === 0) {
      io.stdout.write(`\nOpen the report in a browser, then try your own model: lrscope range-test my.experiment.ts\n`);
    }
    return result.code;
  },
};
