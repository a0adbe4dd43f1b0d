/**
 * The `wasm` backend: @tensorflow/tfjs-backend-wasm (bundled), its .wasm binaries shipped beside the
 * engine bundle, SIMD when the runtime has it. tfjs turns multithreading off in Node, so one thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from './errors';

export const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * Where the .wasm binaries are: beside the running bundle when the build copied them there
 * (dist/engine.js + dist/tfjs-backend-wasm-simd.wasm), else in the installed package's dist/.
 */
export function defaultWasmDir(bundleDir: string = __dirname): string {
  if (existsSync(join(bundleDir, 'tfjs-backend-wasm-simd.wasm'))) return bundleDir;
  // (createRequire rather than require.resolve: the bundler leaves it alone; only dev runs reach this line)
  return dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm'));
}

export interface WasmInfo {
  simd: boolean;
  threads: number;
  binary: string;
  dir: string;
}

/** Points tfjs at `dir` (once: before the backend first starts) and makes 'wasm' the active backend. */
export async function startWasm(dir: string): Promise<WasmInfo> {
  // tfjs loads the SIMD binary where the runtime has wasm SIMD (every Node ≥ 16.4 and VS Code runtime on
  // a CPU of this century), else the plain one; only the one it will load must be there (the .vsix
  // ships the SIMD one alone).
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const binary = simd ? WASM_BINARIES[1] : WASM_BINARIES[0];
  if (!existsSync(join(dir, binary))) {
    throw new BackendError('init-failed', 'wasm', simd
      ? `Backend 'wasm': ${binary} not found in ${dir}. Rebuild (npm run build copies it beside the engine) or pass wasmDir.`
      : `Backend 'wasm': this runtime has no WebAssembly SIMD, and ${binary} (tfjs's binary without it) is not in ${dir}. Use the 'cpu' backend, or a Node.js with wasm SIMD (lrScope.nodePath).`);
  }
  try {
    if (tf.findBackend('wasm') == null) setWasmPaths(dir.endsWith(sep) ? dir : dir + sep);
    const ok = await tf.setBackend('wasm');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'wasm') throw new Error('tf.setBackend("wasm") returned false');
  } catch (error) {
    const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    throw new BackendError('init-failed', 'wasm', `Backend 'wasm' failed to start from ${dir}: ${message}`);
  }
  return { simd, threads: getThreadsCount(), binary, dir };
}
