/**
 * Backend choice and fallback. @tensorflow/tfjs-node cannot be installed on our machines, so the
 * `tensorflow` path is exercised with a stand-in: a fake package folder in a temp directory plus an
 * injected `requireFrom` that returns a fake tf namespace, or throws as Node's loader does on an ABI mismatch.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  BackendError, defaultWasmDir, describeRuntime, findTfjsNode, initBackend, versionNotes, WASM_BINARIES,
} from '../../src/engine/backend/index';

const root = mkdtempSync(join(tmpdir(), 'lrscope-backend-'));
after(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A fresh workspace folder with an experiments/deep subfolder; optionally fake tfjs-node packages in it. */
function workspace(packages: string[] = []): { ws: string; experimentDir: string } {
  const ws = join(root, `ws${dirs++}`);
  const experimentDir = join(ws, 'experiments', 'deep');
  mkdirSync(experimentDir, { recursive: true });
  for (const name of packages) {
    const dir = join(ws, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '4.22.0' }));
  }
  return { ws, experimentDir };
}

/** A stand-in for the namespace `require('@tensorflow/tfjs-node')` returns. */
function fakeTf(): object {
  let backend = 'cpu';
  return {
    version_core: '4.22.0',
    setBackend: async (name: string) => { if (name !== 'tensorflow') return false; backend = name; return true; },
    ready: async () => undefined,
    getBackend: () => backend,
  };
}

const abiMismatch = "The module '/ws/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'\n"
  + 'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 108. This version of Node.js requires\n'
  + 'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing';

async function rejection(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof BackendError, `a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('tensorflow (tfjs-node) resolution', () => {
  test('found from the experiment folder upward; GPU build first', () => {
    const { ws, experimentDir } = workspace(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);
    const search = findTfjsNode([experimentDir]);
    assert.deepEqual(search.candidates.map((c) => c.packageName), ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    assert.equal(search.candidates[0].resolveFrom, ws);
    assert.equal(search.candidates[0].version, '4.22.0');
    assert.equal(search.looked[0], join(experimentDir, 'node_modules'));
    assert.ok(search.looked.includes(join(ws, 'node_modules')));
  });

  test('an injected stand-in that loads: tensorflow chosen, its own tf returned', async () => {
    const { ws, experimentDir } = workspace(['@tensorflow/tfjs-node']);
    const fake = fakeTf();
    const calls: Array<[string, string]> = [];
    const handle = await initBackend('auto', {
      searchFrom: [experimentDir],
      requireFrom: (id, fromDir) => { calls.push([id, fromDir]); return fake; },
    });
    assert.equal(handle.name, 'tensorflow');
    // (assert.ok, not assert.equal: a failing deep diff of two tf namespaces takes a minute)
    assert.ok(handle.tf === fake, 'the tf namespace is tfjs-node\'s, not our bundled one');
    assert.equal(handle.libraryVersion, '4.22.0');
    assert.ok(handle.threads >= 1);
    assert.deepEqual(calls, [['@tensorflow/tfjs-node', ws]]);
    assert.match(handle.notes.join('\n'), /tensorflow: @tensorflow\/tfjs-node 4\.22\.0/);
    assert.equal(tf.getBackend() === 'tensorflow', false, 'our own tf was not touched');
  });

  test('explicit tensorflow, missing: one precise error saying where we looked and how to install', async () => {
    const { experimentDir, ws } = workspace();
    const error = await rejection(initBackend('tensorflow', { searchFrom: [experimentDir, ws] }));
    assert.equal(error.kind, 'not-found');
    assert.equal(error.backend, 'tensorflow');
    assert.match(error.message, /@tensorflow\/tfjs-node \(or @tensorflow\/tfjs-node-gpu\), which was not found/);
    assert.ok(error.message.includes(join(experimentDir, 'node_modules')));
    assert.ok(error.message.includes(join(ws, 'node_modules')));
    assert.match(error.message, /npm install @tensorflow\/tfjs-node/);
  });

  test('explicit tensorflow that fails to load: the loader message and the ABI', async () => {
    const { experimentDir } = workspace(['@tensorflow/tfjs-node']);
    const error = await rejection(initBackend('tensorflow', {
      searchFrom: [experimentDir],
      requireFrom: () => { throw new Error(abiMismatch); },
    }));
    assert.equal(error.kind, 'load-failed');
    assert.ok(error.message.includes('NODE_MODULE_VERSION 108'), 'the loader message');
    assert.ok(error.message.includes(`modules ${process.versions.modules}`), 'our ABI');
    assert.match(error.message, /108 per the loader, while this runtime has \d+/);
    assert.match(error.message, /lrScope\.nodePath/);
    assert.doesNotMatch(error.message, /Electron/);
  });

  test('under Electron the message says so', async () => {
    const { experimentDir } = workspace(['@tensorflow/tfjs-node']);
    const error = await rejection(initBackend('tensorflow', {
      searchFrom: [experimentDir],
      requireFrom: () => { throw new Error(abiMismatch); },
      runtimeVersions: { node: '20.18.1', modules: '128', electron: '32.2.6' },
    }));
    assert.match(error.message, /electron 32\.2\.6 \(node v20\.18\.1, modules 128\)/);
    assert.match(error.message, /Electron 32\.2\.6's Node \(VS Code's own runtime\)/);
    assert.match(error.message, /lrScope\.nodePath/);
  });

  test('a module that is not a tfjs namespace is a load failure', async () => {
    const { experimentDir } = workspace(['@tensorflow/tfjs-node']);
    const error = await rejection(initBackend('tensorflow', { searchFrom: [experimentDir], requireFrom: () => ({}) }));
    assert.equal(error.kind, 'load-failed');
    assert.match(error.message, /does not export a tfjs namespace/);
  });

  test('GPU build fails, CPU build loads: tensorflow, with the GPU failure noted', async () => {
    const { experimentDir } = workspace(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);
    const fake = fakeTf();
    const handle = await initBackend('tensorflow', {
      searchFrom: [experimentDir],
      requireFrom: (id) => { if (id.endsWith('-gpu')) throw new Error('libcudnn.so.8: cannot open shared object file'); return fake; },
    });
    assert.ok(handle.tf === fake);
    assert.match(handle.notes.join('\n'), /skipped: .*tfjs-node-gpu.*libcudnn/s);
  });
});

describe('auto fallback and the bundled backends', () => {
  test('auto → wasm when tfjs-node is absent, and the notes say why', async () => {
    const { experimentDir } = workspace();
    const handle = await initBackend('auto', { searchFrom: [experimentDir] });
    assert.equal(handle.name, 'wasm');
    assert.ok(handle.tf.engine() === tf.engine(), 'our bundled tf (one engine)');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(handle.libraryVersion, tf.version_core);
    assert.equal(handle.threads, 1);
    assert.equal(handle.runtime, describeRuntime());
    const notes = handle.notes.join('\n');
    assert.match(notes, /auto: @tensorflow\/tfjs-node not found/);
    assert.match(notes, /SIMD (on|off)/);
    assert.match(notes, /Conv2DBackpropFilter/);
  });

  test('auto → wasm when tfjs-node fails to load, with the reason', async () => {
    const { experimentDir } = workspace(['@tensorflow/tfjs-node']);
    const handle = await initBackend('auto', { searchFrom: [experimentDir], requireFrom: () => { throw new Error(abiMismatch); } });
    assert.equal(handle.name, 'wasm');
    assert.match(handle.notes.join('\n'), /auto: not using 'tensorflow': .*NODE_MODULE_VERSION 108/s);
  });

  test('wasm trains a conv layer (our kernels are in place)', async () => {
    const handle = await initBackend('wasm', { searchFrom: [] });
    const x = handle.tf.randomNormal([2, 5, 5, 1]) as tf.Tensor4D;
    const w = handle.tf.variable(handle.tf.randomNormal([3, 3, 1, 2]));
    const { grads } = handle.tf.variableGrads(() => handle.tf.sum(handle.tf.conv2d(x, w as tf.Tensor4D, 1, 'same')) as tf.Scalar, [w]);
    assert.deepEqual(grads[w.name].shape, [3, 3, 1, 2]);
    handle.tf.dispose([x, w, grads[w.name]]);
  });

  test('explicit wasm with the binaries missing: init-failed, naming the folder', async () => {
    const { ws } = workspace();
    const error = await rejection(initBackend('wasm', { searchFrom: [], wasmDir: ws }));
    assert.equal(error.kind, 'init-failed');
    assert.ok(error.message.includes(ws));
    assert.match(error.message, /tfjs-backend-wasm-simd\.wasm/);
  });

  test('auto with the wasm binaries missing and no tfjs-node → cpu, noting both', async () => {
    const { ws, experimentDir } = workspace();
    const handle = await initBackend('auto', { searchFrom: [experimentDir], wasmDir: ws });
    assert.equal(handle.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    const notes = handle.notes.join('\n');
    assert.match(notes, /tfjs-node not found/);
    assert.match(notes, /auto: not using 'wasm': .*not found in/);
  });

  test('cpu works', async () => {
    const handle = await initBackend('cpu', { searchFrom: [] });
    assert.equal(handle.name, 'cpu');
    assert.equal(handle.threads, 1);
    assert.equal(tf.getBackend(), 'cpu');
    const y = handle.tf.matMul(handle.tf.tensor2d([[1, 2]]), handle.tf.tensor2d([[3], [4]]));
    assert.deepEqual(Array.from(y.dataSync()), [11]);
    y.dispose();
  });
});

describe('helpers', () => {
  test('describeRuntime: node and electron', () => {
    assert.equal(describeRuntime({ node: '20.20.2', modules: '115' }), 'node v20.20.2 (modules 115)');
    assert.equal(describeRuntime({ node: '20.18.1', modules: '128', electron: '32.2.6' }),
      'electron 32.2.6 (node v20.18.1, modules 128)');
  });

  test('versionNotes warns when tfjs is not the version the kernels were written for', () => {
    assert.deepEqual(versionNotes(true, '4.22.0', '4.22.0'), []);
    assert.match(versionNotes(false, '4.23.0', '4.22.0').join(), /tfjs-core 4\.23\.0 is not 4\.22\.0/);
    assert.match(versionNotes(true, '4.22.0', '5.0.0').join(), /tfjs-backend-wasm 5\.0\.0 is not 4\.22\.0/);
  });

  test('defaultWasmDir: beside the bundle when the binaries are there, else the package', () => {
    const { ws } = workspace();
    for (const f of WASM_BINARIES) writeFileSync(join(ws, f), '');
    assert.equal(defaultWasmDir(ws), ws);
    const fallback = defaultWasmDir(join(ws, 'experiments'));
    assert.equal(dirname(fallback).endsWith(join('@tensorflow', 'tfjs-backend-wasm')), true, fallback);
  });
});
