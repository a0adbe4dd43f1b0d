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
  const missing = WASM_BINARIES.slice(0, 2).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new BackendError('init-failed', 'wasm',
      `Backend 'wasm': ${missing.join(', ')} not found in ${dir}. Rebuild (npm run build copies them beside the engine) or pass wasmDir.`);
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
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { simd, threads: getThreadsCount(), binary: simd ? WASM_BINARIES[1] : WASM_BINARIES[0], dir };
}
