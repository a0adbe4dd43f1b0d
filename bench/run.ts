/**
 * Runs the benchmarks one after another, each in its own process (tfjs backends are global state),
 * and prints their figures. Benchmarks print figures only; nothing here asserts on time.
 *
 * Usage: npm run bench [-- NAME ...]      e.g. npm run bench -- schedules analysis
 * Without names every benchmark runs except the slow ones (superconvergence, recommendation: minutes), which run
 * only when named.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SLOW = new Set(['superconvergence', 'recommendation']);
const dir = __dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : all.filter((name) => !SLOW.has(name));
let failed = 0;
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`(${name} exited with ${result.status ?? result.signal})`);
  }
}
if (asked.length === 0) console.log(`\nnot run (slow; name them to run): ${[...SLOW].join(', ')}`);
process.exit(failed === 0 ? 0 : 1);
