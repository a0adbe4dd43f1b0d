// Builds the bundles (DESIGN.md, "Architecture"): one esbuild call per target.
// Usage: node build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
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
  for (const grammar of ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm']) cpSync(join(pkgDir('tree-sitter-typescript'), grammar), join(dist, grammar));
}

const common = {
  bundle: true,
  sourcemap: true,
  minify,
  logLevel: 'warning',
  define: { 'process.env.LRSCOPE_VERSION': JSON.stringify(version) },
};

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

/** esbuild plugin: copies @tensorflow/tfjs-backend-wasm's .wasm binaries beside the engine bundle. */
function copyWasmBinaries() {
  return {
    name: 'copy-tfjs-wasm',
    setup(build) {
      build.onEnd(() => {
        const from = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
        for (const file of readdirSync(from).filter((f) => /^tfjs-backend-wasm.*\.wasm$/.test(f))) {
          cpSync(join(from, file), join(dist, file));
        }
      });
    },
  };
}

/**
 * esbuild plugin for the extension bundle: the code generator's entry module stays out of
 * extension.js (activation must not parse the TypeScript compiler); its dynamic `import()`s load
 * dist/codegen.js instead. Type-only imports are erased before this runs.
 */
function codegenOutOfLine() {
  return {
    name: 'codegen-out-of-line',
    setup(build) {
      build.onResolve({ filter: /(^|\/)codegen\/index(\.js)?$/ }, (args) => {
        if (args.kind !== 'dynamic-import') {
          return { errors: [{ text: `${args.importer}: import the code generator with a dynamic import() so it stays out of the extension bundle` }] };
        }
        return { path: './codegen.js', external: true };
      });
    },
  };
}

/** Resolved at run time, never bundled: tfjs-node from the user's workspace; esbuild (bundles experiments) ships a native binary. */
const runtimeExternals = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild'];

export const targets = [
  // The CLI runs the engine in-process: same externals as the engine bundle.
  { ...node, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: dist, external: runtimeExternals },
  // The extension host: vscode is provided by the editor; tfjs is never imported here.
  { ...node, entryPoints: { extension: 'src/extension/main.ts' }, outdir: dist, external: ['vscode'], plugins: [codegenOutOfLine()] },
  // The code generator (TypeScript compiler + tree-sitter, ~10 MB): loaded by the extension on first use only.
  { ...node, entryPoints: { codegen: 'src/codegen/index.ts' }, outdir: dist },
  // The engine child: tfjs + the wasm backend bundled (binaries copied beside it below). tfjs-node is
  // resolved at run time from the user's workspace; esbuild (bundles experiments) ships its native binary.
  {
    ...node,
    entryPoints: { engine: 'src/engine/child/main.ts' },
    outdir: dist,
    external: runtimeExternals,
    plugins: [copyWasmBinaries()],
  },
  // The webview app: a browser bundle with chart.js, loaded by the panel under a strict CSP.
  { ...common, platform: 'browser', target: 'chrome120', format: 'iife', entryPoints: { webview: 'webview/main.ts' }, outdir: dist },
];

copyAssets();
await Promise.all(targets.map((t) => esbuild.build(t)));
console.log(`built ${targets.map((t) => Object.keys(t.entryPoints).join(',')).join(', ')} into dist/`);
