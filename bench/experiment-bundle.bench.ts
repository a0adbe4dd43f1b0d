/**
 * What bundling a user's experiment costs with the portable bundler (esbuild-wasm, as staged by
 * `npm run build` in dist/node_modules and shipped in the .vsix) against native esbuild (the
 * devDependency that builds LR Scope itself; a platform binary), side by side in one run: the engine
 * bundles once per run, starting esbuild's service each time, so the figure that matters is a cold
 * bundle (service start + build + stop). Figures only, no assertions.
 *
 * Run: npm run build && node --import tsx bench/experiment-bundle.bench.ts [--rounds N]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleExperiment, type Bundler } from '../src/engine/experiment/bundle';

const ROOT = join(__dirname, '..');
const STAGED = join(ROOT, 'dist', 'node_modules', 'esbuild-wasm');
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 7;
const EXPERIMENTS = ['digits.experiment.ts', 'synthetic.experiment.ts'].map((f) => join(ROOT, 'examples', f));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  if (!existsSync(STAGED)) throw new Error(`${STAGED} is missing: run npm run build first`);
  const bundlers: Record<string, Bundler> = {
    'native esbuild': require('esbuild') as Bundler,
    'esbuild-wasm (staged, brotli)': require(STAGED) as Bundler,
  };
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(bundlers).map((name) => [name, []]));
  // Interleaved rounds: machine load hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, bundler] of Object.entries(bundlers)) {
      const start = performance.now();
      for (const file of EXPERIMENTS) await bundleExperiment(file, bundler);
      ms[name]!.push((performance.now() - start) / EXPERIMENTS.length);
    }
  }
  const base = median(ms['native esbuild']!);
  console.log(`cold bundle of an example experiment (service start + build + stop), median of ${ROUNDS} rounds × ${EXPERIMENTS.length} files:`);
  for (const [name, xs] of Object.entries(ms)) {
    console.log(`  ${name.padEnd(30)} ${median(xs).toFixed(0).padStart(6)} ms  (${(median(xs) / base).toFixed(1)}× native; min ${Math.min(...xs).toFixed(0)} ms)`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
