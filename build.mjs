// Builds the bundles (DESIGN.md, "Architecture"): one esbuild call per target.
// Bundles are minified (what the .vsix ships and the tests run); source maps beside them for debugging.
// Usage: node build.mjs [--no-minify]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { stageEsbuildWasm } from './scripts/stage-esbuild-wasm.mjs';

const require = createRequire(import.meta.url);
const root = dirname(new URL(import.meta.url).pathname);
const dist = join(root, 'dist');
const minify = !process.argv.includes('--no-minify');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

mkdirSync(dist, { recursive: true });

/** Runtime assets loaded from beside the bundles: parser and backend .wasm files. */
function copyAssets() {
  const pkgDir = (name) => join(root, 'node_modules', name);
  cpSync(join(pkgDir('web-tree-sitter'), 'tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
  cpSync(join(pkgDir('tree-sitter-python'), 'tree-sitter-python.wasm'), join(dist, 'tree-sitter-python.wasm'));
  for (const grammar of ['tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm']) cpSync(join(pkgDir('tree-sitter-typescript'), grammar), join(dist, grammar));
}

/**
 * vscode-jsonrpc's run-time files, copied to dist/node_modules/vscode-jsonrpc for the extension bundle,
 * which requires it from there (one copy of its classes for the host's two uses of it).
 */
function stageJsonRpc() {
  const from = dirname(require.resolve('vscode-jsonrpc/package.json'));
  const to = join(dist, 'node_modules', 'vscode-jsonrpc');
  rmSync(to, { recursive: true, force: true });
  for (const dir of ['lib/common', 'lib/node']) {
    mkdirSync(join(to, dir), { recursive: true });
    for (const file of readdirSync(join(from, dir)).filter((f) => f.endsWith('.js'))) cpSync(join(from, dir, file), join(to, dir, file));
  }
  for (const file of ['package.json', 'node.js', 'License.txt']) cpSync(join(from, file), join(to, file));
}

const common = {
  bundle: true,
  sourcemap: true,
  minify,
  logLevel: 'warning',
  define: { 'process.env.LRSCOPE_VERSION': JSON.stringify(version) },
};

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

/**
 * The tfjs-backend-wasm binary that runs in the engine, copied beside its bundle: the SIMD one (every
 * Node ≥ 16.4 and VS Code runtime has wasm SIMD). Not the plain one, which tfjs loads only where SIMD
 * is missing (the engine then says so and 'auto' trains on cpu), nor the threaded one: tfjs turns wasm
 * multithreading off in Node.
 */
const TFJS_WASM_BINARIES = ['tfjs-backend-wasm-simd.wasm'];

/** esbuild plugin: copies TFJS_WASM_BINARIES beside the engine bundle. */
function copyWasmBinaries() {
  return {
    name: 'copy-tfjs-wasm',
    setup(build) {
      build.onEnd(() => {
        const from = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
        for (const file of TFJS_WASM_BINARIES) cpSync(join(from, file), join(dist, file));
        for (const other of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) rmSync(join(dist, other), { force: true });
      });
    },
  };
}

/**
 * esbuild plugin for the bundles that hold tfjs (engine, CLI): two packages that `@tensorflow/tfjs`
 * requires but that never run in Node are replaced by small stand-ins (~650 KB of the engine bundle):
 * - `@tensorflow/tfjs-backend-webgl`: WebGL needs a browser; it registers a backend that cannot start
 *   in Node. Without it `tf.version['tfjs-backend-webgl']` is undefined and no 'webgl' backend exists.
 * - `node-fetch` (with whatwg-url and tr46): tfjs-core uses it only where there is no global `fetch`;
 *   Node ≥ 18 and VS Code's runtime have one, which the stand-in hands on.
 */
function tfjsNodeOnly() {
  const stubs = {
    '@tensorflow/tfjs-backend-webgl': 'module.exports = {};',
    'node-fetch': 'module.exports = (...args) => globalThis.fetch(...args);',
  };
  return {
    name: 'tfjs-node-only',
    setup(build) {
      build.onResolve({ filter: /^(@tensorflow\/tfjs-backend-webgl|node-fetch)$/ }, (args) => ({ path: args.path, namespace: 'tfjs-node-only' }));
      build.onLoad({ filter: /.*/, namespace: 'tfjs-node-only' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
    },
  };
}

/**
 * Bundles of their own that the extension loads on first use, by a dynamic `import()` of their entry
 * module: the code generator (activation must not parse the TypeScript compiler) and the features that
 * activation does not need. Each is built to dist/<name>.js.
 */
const featureBundles = {
  logs: 'src/extension/logs/index.ts',
  sweep: 'src/extension/sweep/index.ts',
  experiments: 'src/extension/experiments/index.ts',
};
const lazyBundles = { codegen: 'src/codegen/index.ts', ...featureBundles };

/**
 * esbuild plugin for the extension's bundles: the entry modules of `lazyBundles` stay out of them; their
 * dynamic `import()`s load dist/<name>.js instead. Type-only imports are erased before this runs.
 */
function lazyOutOfLine() {
  const byEntry = new Map(Object.entries(lazyBundles).map(([name, entry]) => [join(root, entry).replace(/\.ts$/, ''), name]));
  return {
    name: 'lazy-out-of-line',
    setup(build) {
      build.onResolve({ filter: /(^|\/)index(\.js)?$/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const name = byEntry.get(resolve(args.resolveDir, args.path).replace(/\.js$/, ''));
        if (name === undefined) return undefined;
        if (args.kind !== 'dynamic-import') {
          return { errors: [{ text: `${args.importer}: import ${args.path} with a dynamic import() so it stays out of the extension bundle (it is dist/${name}.js)` }] };
        }
        return { path: `./${name}.js`, external: true };
      });
    },
  };
}

/**
 * Resolved at run time, never bundled: tfjs-node from the user's workspace; esbuild-wasm (bundles
 * experiments) runs its .wasm in a service process and is staged in dist/node_modules below.
 */
const runtimeExternals = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild-wasm'];

/** The extension host's bundles: vscode is the editor's; vscode-jsonrpc is staged in dist/node_modules. */
const extensionExternals = ['vscode', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];

export const targets = [
  // The CLI runs the engine in-process: same externals as the engine bundle.
  { ...node, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: dist, external: runtimeExternals, plugins: [tfjsNodeOnly()] },
  // The extension host: vscode is provided by the editor; tfjs is never imported here.
  // vscode-jsonrpc stays out too (staged in dist/node_modules by stageJsonRpc): activation loads its
  // message classes, the first run its connection.
  { ...node, entryPoints: { extension: 'src/extension/main.ts' }, outdir: dist, external: extensionExternals, plugins: [lazyOutOfLine()] },
  // The features the extension loads on first use (featureBundles), with the same externals: what they
  // need of the extension's state is passed to them.
  { ...node, entryPoints: featureBundles, outdir: dist, external: extensionExternals, plugins: [lazyOutOfLine()] },
  // The code generator (TypeScript compiler + tree-sitter, ~10 MB): loaded by the extension on first use only.
  { ...node, entryPoints: { codegen: lazyBundles.codegen }, outdir: dist },
  // The engine child: tfjs + the wasm backend bundled (binaries copied beside it below). tfjs-node is
  // resolved at run time from the user's workspace; esbuild-wasm (bundles experiments) from dist/node_modules.
  {
    ...node,
    entryPoints: { engine: 'src/engine/child/main.ts' },
    outdir: dist,
    external: runtimeExternals,
    plugins: [tfjsNodeOnly(), copyWasmBinaries()],
  },
  // The webview app: a browser bundle with chart.js, loaded by the panel under a strict CSP.
  { ...common, platform: 'browser', target: 'chrome120', format: 'iife', entryPoints: { webview: 'webview/main.ts' }, outdir: dist },
];

copyAssets();
stageEsbuildWasm(root, dist);
stageJsonRpc();
// dist/node_modules holds exactly the staged packages (an older build's leftovers would ship).
for (const entry of readdirSync(join(dist, 'node_modules'))) {
  if (!['esbuild-wasm', 'vscode-jsonrpc'].includes(entry)) rmSync(join(dist, 'node_modules', entry), { recursive: true, force: true });
}
await Promise.all(targets.map((t) => esbuild.build(t)));
console.log(`built ${targets.map((t) => Object.keys(t.entryPoints).join(',')).join(', ')} into dist/`);
