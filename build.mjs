// Builds the bundles (DESIGN.md, "Architecture"): one esbuild call per target.
// Usage: node build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = dirname(new URL(import.meta.url).pathname);
const dist = join(root, 'dist');
const minify = process.argv.includes('--minify');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

mkdirSync(dist, { recursive: true });

/** Runtime assets loaded from beside the bundles: parser and backend .wasm files. */
function copyAssets() {
  const pkgDir = (name) => join(root, 'node_modules', name);
  cpSync(join(pkgDir('web-tree-sitter'), 'tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
  cpSync(join(pkgDir('tree-sitter-python'), 'tree-sitter-python.wasm'), join(dist, 'tree-sitter-python.wasm'));
}

const common = {
  bundle: true,
  sourcemap: true,
  minify,
  logLevel: 'warning',
  define: { 'process.env.LRSCOPE_VERSION': JSON.stringify(version) },
};

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

export const targets = [
  { ...node, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: dist },
];

copyAssets();
await Promise.all(targets.map((t) => esbuild.build(t)));
console.log(`built ${targets.map((t) => Object.keys(t.entryPoints).join(',')).join(', ')} into dist/`);
