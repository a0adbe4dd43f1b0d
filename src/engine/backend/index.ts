/**
 * Picks and starts the tfjs backend the engine trains on (DESIGN.md, "Engine process"):
 * `tensorflow` (the user's own tfjs-node), `wasm` (bundled, the default that always works, with our
 * gradient kernels) or `cpu` (last resort). `auto` tries them in that order and says why in `notes`.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { KERNELS_WRITTEN_FOR, registerTrainingKernels, type KernelRegistration } from '../kernels/index';
import { BackendError } from './errors';
import { describeRuntime, type RuntimeVersions } from './runtime';
import { defaultRequireFrom, findTfjsNode, loadTfjsNode, notFoundMessage, type RequireFrom } from './tensorflow';
import { defaultWasmDir, startWasm } from './wasm';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendHandle {
  /** The tf namespace to use for everything: tfjs-node's own when `name` is 'tensorflow'. */
  tf: typeof import('@tensorflow/tfjs');
  name: BackendName;
  /** tfjs-core version of `tf`. */
  libraryVersion: string;
  threads: number;
  /** e.g. "node v20.20.2 (modules 115)" or "electron 32.2.6 (node v20.18.1, modules 128)". */
  runtime: string;
  /** Why a backend was skipped, SIMD, kernels registered, version warnings: for the user and the run record. */
  notes: string[];
}

export interface BackendOptions {
  /** Folders to resolve tfjs-node from, each searched upward: the experiment's folder, then the workspace. */
  searchFrom: string[];
  /** Loads a module as seen from a folder (injectable for tests). */
  requireFrom?: (id: string, fromDir: string) => unknown;
  /** Folder holding the tfjs-backend-wasm .wasm binaries (default: beside the bundle, else the package's dist/). */
  wasmDir?: string;
  /** The runtime's `process.versions` (injectable for tests). */
  runtimeVersions?: RuntimeVersions;
}

/**
 * Starts the backend `choice` and returns the tf namespace to train with.
 * Explicit choices never fall back: they throw one BackendError saying what failed and what to do
 * (for `tensorflow`: not found — where we looked, how to install; failed to load — the loader's message
 * and the ABI of this runtime). `auto` falls back tensorflow → wasm → cpu, noting each reason.
 */
export async function initBackend(choice: BackendChoice, options: BackendOptions): Promise<BackendHandle> {
  const versions = options.runtimeVersions ?? process.versions;
  const runtime = describeRuntime(versions);
  const notes: string[] = [];

  if (choice === 'auto' || choice === 'tensorflow') {
    const search = findTfjsNode(options.searchFrom);
    if (search.candidates.length === 0) {
      if (choice === 'tensorflow') throw new BackendError('not-found', 'tensorflow', notFoundMessage(search.looked));
      notes.push(`auto: @tensorflow/tfjs-node not found (looked in ${search.looked.length} node_modules folders from `
        + `${options.searchFrom.join(', ')} upward), so not using 'tensorflow'.`);
    }
    const failures: BackendError[] = [];
    for (const candidate of search.candidates) {
      try {
        const nodeTf = await loadTfjsNode(candidate, options.requireFrom ?? defaultRequireFrom, versions);
        return {
          tf: nodeTf,
          name: 'tensorflow',
          libraryVersion: nodeTf.version_core,
          threads: availableParallelism(),
          runtime,
          notes: [...notes, ...failures.map((f) => `skipped: ${f.message}`),
            `tensorflow: ${candidate.packageName} ${candidate.version} from ${candidate.packageDir}; `
            + 'threads = the cores TensorFlow may use (its own thread pool).'],
        };
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      if (choice === 'tensorflow') {
        throw failures.length === 1 ? failures[0]
          : new BackendError(failures[0].kind, 'tensorflow', failures.map((f) => f.message).join('\n\n'));
      }
      notes.push(...failures.map((f) => `auto: not using 'tensorflow': ${f.message}`));
    }
  }

  if (choice === 'auto' || choice === 'wasm') {
    try {
      const wasm = await startWasm(options.wasmDir ?? defaultWasmDir());
      notes.push(`wasm: ${wasm.binary} from ${wasm.dir}; SIMD ${wasm.simd ? 'on' : 'off'}; `
        + `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'} (tfjs turns wasm multithreading off in Node).`);
      notes.push(...kernelNotes(registerTrainingKernels('wasm')), ...versionNotes(true));
      return { tf, name: 'wasm', libraryVersion: tf.version_core, threads: wasm.threads, runtime, notes };
    } catch (error) {
      if (choice === 'wasm' || !(error instanceof BackendError)) throw error;
      notes.push(`auto: not using 'wasm': ${error.message}`);
    }
  }

  const ok = await tf.setBackend('cpu');
  await tf.ready();
  if (!ok) throw new BackendError('init-failed', 'cpu', "Backend 'cpu' failed to start.");
  notes.push(...kernelNotes(registerTrainingKernels('cpu')), ...versionNotes(false));
  return { tf, name: 'cpu', libraryVersion: tf.version_core, threads: 1, runtime, notes };
}

function kernelNotes(registrations: KernelRegistration[]): string[] {
  const ours = registrations.filter((r) => r.outcome !== 'kept-stock').map((r) => r.kernelName);
  const stock = registrations.filter((r) => r.outcome === 'kept-stock').map((r) => r.kernelName);
  return [
    ...(ours.length > 0 ? [`kernels: LR Scope's own ${ours.join(', ')}.`] : []),
    ...(stock.length > 0 ? [`kernels: this tfjs has its own ${stock.join(', ')}; kept it.`] : []),
  ];
}

/** Warns when tfjs differs from the version our gradient kernels were written for. */
export function versionNotes(wasm: boolean, core: string = tf.version_core, wasmVersion: string = version_wasm): string[] {
  const notes: string[] = [];
  if (core !== KERNELS_WRITTEN_FOR) {
    notes.push(`warning: tfjs-core ${core} is not ${KERNELS_WRITTEN_FOR}, the version LR Scope's gradient kernels `
      + 'were written for; gradients of convolutions and embeddings may fail or be wrong.');
  }
  if (wasm && wasmVersion !== KERNELS_WRITTEN_FOR) {
    notes.push(`warning: tfjs-backend-wasm ${wasmVersion} is not ${KERNELS_WRITTEN_FOR}, the version LR Scope's `
      + 'gradient kernels were written for.');
  }
  return notes;
}

export { BackendError, type BackendErrorKind } from './errors';
export { describeRuntime, type RuntimeVersions } from './runtime';
export { findTfjsNode, TFJS_NODE_PACKAGES, type RequireFrom, type TfjsNodeCandidate } from './tensorflow';
export { defaultWasmDir, WASM_BINARIES } from './wasm';
