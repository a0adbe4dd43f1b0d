// Packs the extension into lr-scope-<version>.vsix: runs `vsce package --no-dependencies` over what
// `node build.mjs` left in dist/ (the bundles carry everything else; .vscodeignore is an allowlist),
// then checks the archive: every run-time piece there, nothing from the sources or tests, every image
// the README shows, and scripts/vsix-check.mjs's limits (under 5 MB, no platform-specific native
// code: one package for Linux, macOS and Windows; dist/extension.js under 150 KB). Prints the sizes.
// Usage: node scripts/package-vsix.mjs [--out FILE]   (after `node build.mjs`)
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { checkVsix } from './vsix-check.mjs';
import { ESBUILD_WASM_FILES } from './stage-esbuild-wasm.mjs';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outAt = process.argv.indexOf('--out');
const vsix = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(root, `${name}-${version}.vsix`);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** What the installed extension loads at run time, as paths inside the .vsix. */
const required = [
  'package.json',
  'dist/extension.js',
  'dist/codegen.js',
  'dist/logs.js',
  'dist/sweep.js',
  'dist/experiments.js',
  'dist/engine.js',
  'dist/webview.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-python.wasm',
  'dist/tree-sitter-typescript.wasm',
  'dist/tree-sitter-tsx.wasm',
  'dist/tfjs-backend-wasm-simd.wasm',
  ...ESBUILD_WASM_FILES.map((f) => `dist/node_modules/esbuild-wasm/${f}`),
  'dist/node_modules/vscode-jsonrpc/node.js',
  'dist/node_modules/vscode-jsonrpc/lib/node/main.js',
  'dist/node_modules/vscode-jsonrpc/lib/common/messages.js',
  'media/icon.png',
  'media/webview.css',
  'examples/digits.experiment.ts',
  'examples/data/digits-train.br',
  'examples/data/digits-validation.br',
  'examples/synthetic.experiment.ts',
  'examples/template.experiment.ts',
  'types/tfjs.d.ts',
  'python/lrscope_probe/__main__.py',
];
for (const file of required.filter((f) => f.startsWith('dist/'))) {
  if (!existsSync(join(root, file))) fail(`${file} is missing: run \`node build.mjs\` first`);
}
// The README's images ship in the .vsix (relative links stay relative), so the extension's page shows them.
const readmeImages = [...new Set([...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/\]\((e2e\/screenshots\/[^)\s]+\.png)\)/g)].map((m) => m[1]))];

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
rmSync(vsix, { force: true });
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'inherit' });

const { problems, figures, entries } = checkVsix(vsix);
const inside = new Set(entries.map((e) => e.replace(/^extension\//, '')));
const missing = [...required, ...readmeImages].filter((entry) => !inside.has(entry));
if (missing.length) problems.push(`the .vsix lacks ${missing.join(', ')} (a README image must be listed in .vscodeignore)`);
const unwanted = [...inside].filter((entry) => /^(src|test|webview|bench|scripts|docs)\/|^e2e\/(?!screenshots\/[^/]+\.png$)|\.map$|^dist\/cli\.js$|^(?!types\/)[^]*\.d\.ts$/.test(entry)
  || (entry.startsWith('e2e/screenshots/') && !readmeImages.includes(entry)));
if (unwanted.length) problems.push(`the .vsix should not contain ${unwanted.join(', ')}`);
console.log(`package: ${vsix}`);
for (const line of figures) console.log(`package: ${line}`);
if (problems.length) fail(problems.join('\n  '));
