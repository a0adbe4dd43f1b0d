import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { serveEngine, type EngineApi } from '../../src/engine/child/server';
import { ExperimentError, EngineRunError } from '../../src/engine/errors';
import { BackendError } from '../../src/engine/backend/errors';
import { ProbeError } from '../../src/engine/probe/index';
import {
  cancelNotification,
  EngineErrorCode,
  pointNotification,
  startedNotification,
  startRequest,
  type StartParams,
} from '../../src/protocol/engine';
import type { RunRecord, StepPoint } from '../../src/core/runs/record';

/** A host and an engine connection joined by in-memory streams (probe entry points unused unless given). */
function pair(partial: Pick<EngineApi, 'runRangeTest' | 'runTraining'> & Partial<EngineApi>): { host: MessageConnection; close(): void } {
  const api: EngineApi = { runPythonRangeTest: unused, runPythonSchedule: unused, describeExperiment: unused, ...partial };
  const toEngine = new PassThrough();
  const toHost = new PassThrough();
  const engine = createMessageConnection(new StreamMessageReader(toEngine), new StreamMessageWriter(toHost));
  const host = createMessageConnection(new StreamMessageReader(toHost), new StreamMessageWriter(toEngine));
  serveEngine(engine, api, { wasmDir: '/opt/wasm', probeDir: '/opt/probe' });
  engine.listen();
  host.listen();
  return {
    host,
    close: () => {
      host.dispose();
      engine.dispose();
    },
  };
}

const params: StartParams = { kind: 'range-test', experimentPath: '/e/x.experiment.ts', backend: 'cpu', runsDir: '/e/runs', options: { steps: 5 } };

function recordOf(status: RunRecord['status'], points: StepPoint[]): RunRecord {
  return {
    version: 1,
    id: 'r1',
    kind: 'range-test',
    status,
    startedAt: '2026-01-01T00:00:00Z',
    experiment: { path: '/e/x.experiment.ts', sha256: '' },
    environment: { backend: 'cpu', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: 't' },
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-5, endLr: 1, steps: 5 },
    options: {},
    points,
    epochs: [],
  };
}

const unused = (): Promise<never> => Promise.reject(new Error('not this one'));

test('start runs the range test with the request (plus wasmDir), forwards events, answers with the record', async () => {
  let seen: unknown;
  const { host, close } = pair({
    runRangeTest: async (request, events) => {
      seen = request;
      events.onStart?.({ runId: 'r1', recordPath: '/e/runs/r1.json', backend: recordOf('running', []).environment, totalSteps: 5, schedule: recordOf('running', []).schedule, notes: [] });
      const points = [0, 1, 2].map((step) => ({ step, lr: 10 ** (step - 5), loss: 1 }));
      for (const p of points) events.onPoint?.(p);
      return recordOf('completed', points);
    },
    runTraining: unused,
  });
  try {
    const steps: number[] = [];
    let started = '';
    host.onNotification(pointNotification, (p) => steps.push(p.step));
    host.onNotification(startedNotification, (s) => (started = s.runId));
    const record = await host.sendRequest(startRequest, params);
    assert.equal(record.status, 'completed');
    assert.deepEqual(seen, { experimentPath: '/e/x.experiment.ts', backend: 'cpu', runsDir: '/e/runs', wasmDir: '/opt/wasm', options: { steps: 5 } });
    assert.equal(started, 'r1');
    assert.deepEqual(steps, [0, 1, 2], 'notifications arrive before the answer');
  } finally {
    close();
  }
});

test('cancel aborts the signal the engine loop watches; train requests go to runTraining', async () => {
  const { host, close } = pair({
    runRangeTest: unused,
    runTraining: (request, events, signal) =>
      new Promise((resolve) => {
        assert.deepEqual(request.options.schedule, { policy: 'constant', lr: 0.1 });
        events.onPoint?.({ step: 0, lr: 0.1, loss: 1 });
        signal.addEventListener('abort', () => resolve({ ...recordOf('cancelled', []), kind: 'train', statusDetail: String(signal.reason) }));
      }),
  });
  try {
    host.onNotification(pointNotification, () => void host.sendNotification(cancelNotification, { reason: 'stop please' }));
    const record = await host.sendRequest(startRequest, { ...params, kind: 'train', options: { schedule: { policy: 'constant', lr: 0.1 } } });
    assert.equal(record.status, 'cancelled');
    assert.equal(record.statusDetail, 'stop please');
  } finally {
    close();
  }
});

test('engine errors become typed JSON-RPC errors with the record path', async () => {
  const cases: Array<[unknown, number, string | undefined]> = [
    [Object.assign(new ExperimentError('/e/x.experiment.ts: model: not a LayersModel', '/e/x.experiment.ts', 'model'), { recordPath: '/e/runs/r1.json' }), EngineErrorCode.experiment, '/e/runs/r1.json'],
    [new BackendError('not-found', 'tensorflow', '@tensorflow/tfjs-node is not installed'), EngineErrorCode.backend, undefined],
    [new EngineRunError('tfjs crashed', '/e/runs/r2.json', new Error('x')), EngineErrorCode.internal, '/e/runs/r2.json'],
  ];
  for (const [error, code, recordPath] of cases) {
    const { host, close } = pair({ runRangeTest: () => Promise.reject(error), runTraining: unused });
    try {
      await assert.rejects(host.sendRequest(startRequest, params), (err: unknown) => {
        assert.ok(err instanceof ResponseError);
        assert.equal(err.code, code);
        assert.equal(err.message, (error as Error).message);
        assert.equal((err.data as { recordPath?: string }).recordPath, recordPath);
        return true;
      });
    } finally {
      close();
    }
  }
});

test('a second start while a run is active is refused', async () => {
  let release!: () => void;
  const { host, close } = pair({
    runRangeTest: () => new Promise((resolve) => (release = () => resolve(recordOf('completed', [])))),
    runTraining: unused,
  });
  try {
    const first = host.sendRequest(startRequest, params);
    await assert.rejects(host.sendRequest(startRequest, params), /already running/);
    release();
    assert.equal((await first).status, 'completed');
  } finally {
    close();
  }
});

test('a .py target goes to the PyTorch probe with the interpreter, arguments, folders and probe dir', async () => {
  const seen: unknown[] = [];
  const points: StepPoint[] = [];
  const { host, close } = pair({
    runRangeTest: unused,
    runTraining: unused,
    runPythonRangeTest: async (request, events) => {
      seen.push(request);
      events.onPoint?.({ step: 0, lr: 1e-5, loss: 1, smoothed: 1 });
      return { ...recordOf('diverged', []), environment: { ...recordOf('diverged', []).environment, backend: 'pytorch' } };
    },
    runPythonSchedule: async (request) => {
      seen.push(request);
      return recordOf('completed', []);
    },
  });
  host.onNotification(pointNotification, (p) => points.push(p));
  try {
    const py: StartParams = { kind: 'range-test', experimentPath: '/w/train.py', backend: 'auto', runsDir: '/w/runs', python: '/usr/bin/python3', scriptArgs: ['--epochs', '1'], options: { steps: 20 } };
    const record = await host.sendRequest(startRequest, py);
    assert.equal(record.environment.backend, 'pytorch');
    await host.sendRequest(startRequest, { ...py, kind: 'train', scriptArgs: undefined, cwd: '/w', firstStepTimeoutMs: 1000, options: { schedule: { policy: 'constant', lr: 0.1 } } });
    assert.deepEqual(seen, [
      { scriptPath: '/w/train.py', runsDir: '/w/runs', python: '/usr/bin/python3', scriptArgs: ['--epochs', '1'], probeDir: '/opt/probe', options: { steps: 20 } },
      { scriptPath: '/w/train.py', runsDir: '/w/runs', python: '/usr/bin/python3', cwd: '/w', firstStepTimeoutMs: 1000, probeDir: '/opt/probe', options: { schedule: { policy: 'constant', lr: 0.1 } } },
    ]);
    assert.equal(points.length, 1, 'probe events are forwarded like the engine\'s');
  } finally {
    close();
  }
});

test('a ProbeError becomes an experiment error carrying its message and record path', async () => {
  const error = Object.assign(new ProbeError('train.py failed before its first optimizer step: line 3', 'script-failed'), { recordPath: '/w/runs/r9.json' });
  const { host, close } = pair({ runRangeTest: unused, runTraining: unused, runPythonRangeTest: () => Promise.reject(error) });
  try {
    await assert.rejects(host.sendRequest(startRequest, { ...params, experimentPath: '/w/train.py' }), (err: unknown) => {
      assert.ok(err instanceof ResponseError);
      assert.equal(err.code, EngineErrorCode.experiment);
      assert.equal(err.message, error.message);
      assert.deepEqual(err.data, { recordPath: '/w/runs/r9.json' });
      return true;
    });
  } finally {
    close();
  }
});
