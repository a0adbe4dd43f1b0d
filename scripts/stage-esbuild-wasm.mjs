// Stages esbuild-wasm, the bundler of users' experiments, into dist/node_modules/esbuild-wasm: the one
// esbuild that runs on every OS and CPU (a WebAssembly binary run by the engine's own Node), so the
// .vsix carries no native executable. dist/engine.js and dist/cli.js resolve `esbuild-wasm` here
// before the checkout's node_modules, in a checkout and in the installed extension alike.
//
// Two changes to the package as published, each checked to apply exactly once:
// - lib/main.js spawns its service as `node bin/esbuild`, from the PATH: a VS Code install need not
//   have a `node` there (macOS and Windows users often do not); it spawns `process.execPath` instead,
//   the runtime already running the engine (VS Code's own with ELECTRON_RUN_AS_NODE=1, which the
//   service inherits, or `lrScope.nodePath`).
// - esbuild.wasm (14 MB; 3.7 MB deflated in the .vsix) ships brotli-compressed (2.7 MB), and
//   bin/esbuild decompresses it in memory before compiling it (~50 ms). Brotli at quality 11 takes
//   ~30 s, so the compressed file is kept between builds and redone only when the package changes.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** What the staged package holds (relative to its folder), all needed at run time. */
export const ESBUILD_WASM_FILES = ['package.json', 'LICENSE.md', 'lib/main.js', 'bin/esbuild', 'wasm_exec.js', 'wasm_exec_node.js', 'esbuild.wasm.br'];

/** Replaces `from` by `to` in `text`, which must hold it exactly once. */
function replaceOnce(text, from, to, where) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`stage-esbuild-wasm: expected one ${JSON.stringify(from)} in ${where}, found ${count}: has esbuild-wasm changed? Update scripts/stage-esbuild-wasm.mjs`);
  return text.replace(from, to);
}

/** Stages the installed esbuild-wasm into `<dist>/node_modules/esbuild-wasm`; returns that folder. */
export function stageEsbuildWasm(root, dist) {
  const require = createRequire(join(root, 'package.json'));
  const from = dirname(require.resolve('esbuild-wasm/package.json'));
  const to = join(dist, 'node_modules', 'esbuild-wasm');
  const source = readFileSync(join(from, 'package.json'), 'utf8');
  const staged = join(to, 'package.json');
  const br = join(to, 'esbuild.wasm.br');
  const upToDate = existsSync(br) && existsSync(staged) && readFileSync(staged, 'utf8') === source;
  if (!upToDate) {
    rmSync(to, { recursive: true, force: true });
    mkdirSync(join(to, 'lib'), { recursive: true });
    mkdirSync(join(to, 'bin'), { recursive: true });
    const wasm = readFileSync(join(from, 'esbuild.wasm'));
    writeFileSync(br, brotliCompressSync(wasm, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length },
    }));
  }
  for (const file of ['LICENSE.md', 'wasm_exec.js', 'wasm_exec_node.js']) copyFileSync(join(from, file), join(to, file));
  const main = readFileSync(join(from, 'lib', 'main.js'), 'utf8');
  writeFileSync(join(to, 'lib', 'main.js'), replaceOnce(main,
    'return ["node", [path2.join(__dirname, "..", "bin", "esbuild")]];',
    'return [process.execPath, [path2.join(__dirname, "..", "bin", "esbuild")]];', 'esbuild-wasm/lib/main.js'));
  let bin = readFileSync(join(from, 'bin', 'esbuild'), 'utf8');
  bin = replaceOnce(bin, "path.join(__dirname, '..', 'esbuild.wasm')", "path.join(__dirname, '..', 'esbuild.wasm.br')", 'esbuild-wasm/bin/esbuild');
  bin = replaceOnce(bin, 'new WebAssembly.Module(bytes)', "new WebAssembly.Module(require('zlib').brotliDecompressSync(bytes))", 'esbuild-wasm/bin/esbuild');
  writeFileSync(join(to, 'bin', 'esbuild'), bin);
  // Last: its presence with the same text marks the compressed binary as up to date.
  writeFileSync(staged, source);
  return to;
}
