/**
 * The `tensorflow` backend: @tensorflow/tfjs-node (or -node-gpu) from the user's own node_modules. It is
 * never bundled (its install downloads libtensorflow), so we look for it from the experiment's folder
 * upward and from the workspace, and use the tf namespace it brings — never mixing it with our bundled one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { BackendError } from './errors';
import { abiFromLoaderMessage, describeRuntime, type RuntimeVersions } from './runtime';

type TF = typeof tfjs;

/** In order of preference: a user who installed the GPU build wants it. */
export const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Loads module `id` as Node would from a file in `fromDir`. */
export type RequireFrom = (id: string, fromDir: string) => unknown;

export const defaultRequireFrom: RequireFrom = (id, fromDir) =>
  createRequire(join(fromDir, '__lrscope_resolve__.js'))(id);

export interface TfjsNodeCandidate {
  packageName: (typeof TFJS_NODE_PACKAGES)[number];
  /** The package's own folder, e.g. /ws/node_modules/@tensorflow/tfjs-node. */
  packageDir: string;
  /** The folder whose node_modules holds the package: resolving from here finds it. */
  resolveFrom: string;
  version: string;
}

export interface TfjsNodeSearch {
  candidates: TfjsNodeCandidate[];
  /** Every node_modules folder looked into, in order. */
  looked: string[];
}

function readVersion(packageDir: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : 'unknown version';
  } catch {
    return 'unknown version';
  }
}

/**
 * Looks for tfjs-node packages in `node_modules` of every `searchFrom` folder and each of its ancestors,
 * like Node's resolution does. Candidates come in search order, GPU build first within a folder.
 */
export function findTfjsNode(searchFrom: readonly string[]): TfjsNodeSearch {
  const looked: string[] = [];
  const candidates: TfjsNodeCandidate[] = [];
  for (const start of searchFrom) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const nodeModules = join(dir, 'node_modules');
      if (!looked.includes(nodeModules)) {
        looked.push(nodeModules);
        for (const packageName of TFJS_NODE_PACKAGES) {
          const packageDir = join(nodeModules, packageName);
          if (existsSync(join(packageDir, 'package.json'))) {
            candidates.push({ packageName, packageDir, resolveFrom: dir, version: readVersion(packageDir) });
          }
        }
      }
      if (dirname(dir) === dir) break;
    }
  }
  return { candidates, looked };
}

/** A module that quacks like a tfjs namespace (what `require('@tensorflow/tfjs-node')` returns). */
function asTfNamespace(mod: unknown): TF | undefined {
  const looksLikeTf = (m: unknown): boolean => {
    if (typeof m !== 'object' || m === null) return false;
    const t = m as Record<string, unknown>;
    return typeof t.setBackend === 'function' && typeof t.ready === 'function'
      && typeof t.getBackend === 'function' && typeof t.version_core === 'string';
  };
  if (looksLikeTf(mod)) return mod as TF;
  const inner = typeof mod === 'object' && mod !== null ? (mod as { default?: unknown }).default : undefined;
  return looksLikeTf(inner) ? (inner as TF) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The precise "not found" message: where we looked and how to install. */
export function notFoundMessage(looked: readonly string[]): string {
  return [
    "Backend 'tensorflow' needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), which was not found.",
    'Looked in:',
    ...looked.map((d) => `  ${d}`),
    'Install it beside your experiment or in your workspace (`npm install @tensorflow/tfjs-node`; LR Scope never',
    "bundles it), or set `lrScope.backend` to 'wasm'.",
  ].join('\n');
}

/** The precise "failed to load" message: the loader's words, our ABI, and what to do about it. */
export function loadFailedMessage(c: TfjsNodeCandidate, cause: string, versions: RuntimeVersions): string {
  const builtFor = abiFromLoaderMessage(cause);
  const underElectron = versions.electron !== undefined
    ? ` — that is Electron ${versions.electron}'s Node (VS Code's own runtime), not a Node.js you installed`
    : '';
  return [
    `Backend 'tensorflow': ${c.packageName} ${c.version} at ${c.packageDir} failed to load: ${cause}`,
    `The engine runs on ${describeRuntime(versions)}${underElectron}.`,
    `tfjs-node is a native addon: it loads only in a Node.js with the ABI (NODE_MODULE_VERSION) it was built for`
      + (builtFor !== undefined ? ` — ${builtFor} per the loader, while this runtime has ${versions.modules}.` : '.'),
    'Set `lrScope.nodePath` to a Node.js whose ABI matches (usually the `node` you ran `npm install` with),',
    "or set `lrScope.backend` to 'wasm'.",
  ].join('\n');
}

/**
 * Loads one candidate and makes 'tensorflow' its active backend. Returns its own tf namespace.
 * Throws BackendError('load-failed' | 'init-failed').
 */
export async function loadTfjsNode(
  c: TfjsNodeCandidate, requireFrom: RequireFrom, versions: RuntimeVersions,
): Promise<TF> {
  let mod: unknown;
  try {
    mod = requireFrom(c.packageName, c.resolveFrom);
  } catch (error) {
    throw new BackendError('load-failed', 'tensorflow', loadFailedMessage(c, messageOf(error), versions));
  }
  const tf = asTfNamespace(mod);
  if (tf === undefined) {
    throw new BackendError('load-failed', 'tensorflow',
      loadFailedMessage(c, 'the module does not export a tfjs namespace (setBackend, ready, version_core)', versions));
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend('tensorflow');
    await tf.ready();
  } catch (error) {
    throw new BackendError('init-failed', 'tensorflow',
      `Backend 'tensorflow': ${c.packageName} ${c.version} loaded but its backend failed to start: ${messageOf(error)}`);
  }
  if (!ok || tf.getBackend() !== 'tensorflow') {
    throw new BackendError('init-failed', 'tensorflow',
      `Backend 'tensorflow': ${c.packageName} ${c.version} loaded but did not register a 'tensorflow' backend.`);
  }
  return tf;
}
