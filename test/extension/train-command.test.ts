// "Train with Schedule…" against a stand-in `vscode` module and the real engine (dist/engine.js,
// built by `npm run build`): an experiment's own `epochs` and batches per epoch are used and not
// asked (the engine's describe), a PyTorch script is trained through the probe over the optimizer
// steps the user confirms (named by the planner, counted by its last full run), one step counter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodegen } from '../../src/codegen/index';
import { describeExperiment } from '../../src/host/describe';
import { forkLauncher } from '../../src/host/engine-process';
import type { StartParams } from '../../src/protocol/engine';
import type { RunRecord } from '../../src/core/runs/record';
import { fullRunSteps } from '../../src/extension/training/script-length';

const root = join(__dirname, '..', '..');
const enginePath = join(root, 'dist', 'engine.js');

function fakeVscode(answers: { count?: string }) {
  const asked: Array<{ title: string; prompt?: string; value?: string }> = [];
  const stub = {
    Uri: class {
      static file(p: string) {
        return { fsPath: p, scheme: 'file', path: p, toString: () => `file://${p}` };
      }
    },
    ProgressLocation: { Window: 10 },
    window: {
      activeTextEditor: undefined,
      withProgress: async (_o: unknown, task: () => Promise<unknown>) => task(),
      showQuickPick: async <T>(items: T[], options: { title: string }) => {
        asked.push({ title: options.title });
        return items[0];
      },
      showInputBox: async (options: { title: string; prompt?: string; value?: string; validateInput?: (v: string) => string | undefined }) => {
        asked.push({ title: options.title, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}), ...(options.value !== undefined ? { value: options.value } : {}) });
        const answer = options.value === '' && answers.count !== undefined ? answers.count : options.value;
        assert.equal(options.validateInput?.(answer ?? ''), undefined, `a valid answer to ${options.title}`);
        return answer;
      },
    },
    workspace: {
      textDocuments: [],
      fs: { readFile: async (uri: { fsPath: string }) => readFileSync(uri.fsPath) },
    },
  };
  return { stub, asked };
}

async function withTrain(answers: { count?: string }, records: RunRecord[], body: (train: (arg: string) => Promise<StartParams[]>, asked: ReturnType<typeof fakeVscode>['asked']) => Promise<void>) {
  assert.ok(existsSync(enginePath), `${enginePath} is missing: run \`npm run build\` first (npm test does)`);
  const fake = fakeVscode(answers);
  const loader = Module as unknown as { _load: (...a: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: unknown, ...rest: unknown[]) {
    if (request === 'vscode') return fake.stub;
    return original.call(this, request, ...rest);
  };
  try {
    for (const key of Object.keys(require.cache)) if (key.includes(join('src', 'extension'))) delete require.cache[key];
    const { trainWithSchedule } = require('../../src/extension/training/train-command') as typeof import('../../src/extension/training/train-command');
    const codegen = createCodegen();
    const started: StartParams[] = [];
    const deps = {
      settings: () => ({ backend: 'wasm', oneCycleFlavor: 'pytorch', pythonPath: '/usr/bin/python3', pythonLauncher: '' }),
      latestRecommendation: async (path?: string) =>
        path === undefined ? { lr: 0.0028131723, origin: 'recommended' as const, runId: 'r7', experimentPath: '/ws/digits.experiment.ts' } : undefined,
      describe: (params: Parameters<typeof describeExperiment>[1]) => describeExperiment(forkLauncher({ enginePath }), params, { killAfterMs: 20_000 }),
      codegen: () => codegen,
      records: async () => records,
      run: async (params: StartParams) => {
        started.push(params);
        return undefined;
      },
      runsDirFor: () => '/tmp/runs',
      searchFrom: () => [],
      checkNodePath: () => true,
      pythonFor: async () => ({ command: '/usr/bin/python3', source: 'setting' as const }),
      lastEpochs: { get: () => undefined, set: () => undefined },
      log: { info() {}, warn() {}, error() {} },
    };
    await body(async (arg) => {
      await trainWithSchedule(deps as never, arg);
      return started;
    }, fake.asked);
  } finally {
    loader._load = original;
  }
}

test('an experiment with `epochs: 3` trains 3 epochs of its own batches: only the schedule and the max LR are asked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-train-'));
  try {
    const path = join(dir, 'blobs.experiment.ts');
    writeFileSync(path, readFileSync(join(root, 'examples', 'synthetic.experiment.ts'), 'utf8').replace('epochs: 2,', 'epochs: 3,'));
    await withTrain({}, [], async (train, asked) => {
      const [params] = await train(path);
      assert.deepEqual(asked.map((a) => a.title), ['LR Scope: Train with Schedule (1/2): schedule', 'LR Scope: Train with Schedule (2/2): maximum learning rate']);
      assert.equal(asked[1]!.value, '0.0028', 'the recommendation, rounded as it is written');
      assert.equal(asked[1]!.prompt, 'Recommended by run r7 of digits (not a run of blobs.experiment.ts); edit it if you like.');
      assert.ok(params && params.kind === 'train');
      assert.equal(params.options.epochs, 3);
      // 2,048 examples in batches of 32: 64 per epoch
      assert.deepEqual(params.options.schedule, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.0028, totalSteps: 192 });
    });
    // without `epochs` of its own: the epochs are asked, the batches per epoch still are not
    writeFileSync(path, readFileSync(join(root, 'examples', 'synthetic.experiment.ts'), 'utf8').replace('epochs: 2,', ''));
    await withTrain({}, [], async (train, asked) => {
      const [params] = await train(path);
      assert.deepEqual(asked.map((a) => a.title), [
        'LR Scope: Train with Schedule (1/3): schedule',
        'LR Scope: Train with Schedule (2/3): maximum learning rate',
        'LR Scope: Train with Schedule (3/3): epochs',
      ]);
      assert.match(asked[2]!.prompt!, /does not set `epochs`: how many to train \(64 batches each\)/);
      assert.ok(params && params.kind === 'train');
      assert.equal(params.options.epochs, 5);
      assert.equal((params.options.schedule as { totalSteps: number }).totalSteps, 320);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PyTorch script trains through the probe over the optimizer steps confirmed: the planner names them, its last full run counts them', async () => {
  const script = join(root, 'test', 'extension', 'fixtures', 'tiny_train.py');
  await withTrain({ count: '400' }, [], async (train, asked) => {
    const [params] = await train(script);
    assert.deepEqual(asked.map((a) => a.title), [
      'LR Scope: Train with Schedule (1/3): schedule',
      'LR Scope: Train with Schedule (2/3): maximum learning rate',
      'LR Scope: Train with Schedule (3/3): optimizer steps',
    ]);
    assert.match(asked[2]!.prompt!, /^tiny_train\.py takes 50 \* \(len\(range\(0, len\(x\), 32\)\)\) optimizer steps \(/);
    assert.equal(asked[2]!.value, '', 'nothing counted them yet');
    assert.ok(params && params.kind === 'train');
    assert.equal(params.python, '/usr/bin/python3');
    assert.equal(params.options.steps, 400);
    assert.deepEqual(params.options.schedule, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.0028, totalSteps: 400 });
  });
  const full = { kind: 'train', experiment: { path: script, sha256: '' }, status: 'completed', points: new Array(400).fill({ step: 0, lr: 1, loss: 1 }), options: {}, startedAt: '2026-12-01T00:00:00Z' } as unknown as RunRecord;
  await withTrain({}, [full], async (train, asked) => {
    const [params] = await train(script);
    assert.equal(asked[2]!.value, '400');
    assert.match(asked[2]!.prompt!, /its last full training run took 400\./);
    assert.ok(params && params.kind === 'train');
    assert.equal(params.options.steps, 400);
  });
});

test('a script\'s full length is counted only by runs that ran it to its end', () => {
  const run = (steps: number, options: Record<string, unknown>, status = 'completed', startedAt = '2026-12-01T00:00:00Z') =>
    ({ kind: 'train', experiment: { path: '/ws/train.py' }, status, points: new Array(steps), options, startedAt }) as never;
  assert.equal(fullRunSteps([run(320, {})], '/ws/train.py'), 320);
  assert.equal(fullRunSteps([run(100, { steps: 100 })], '/ws/train.py'), undefined, 'stopped at its `steps`');
  assert.equal(fullRunSteps([run(320, { steps: 500 })], '/ws/train.py'), 320, 'the script ended first');
  assert.equal(fullRunSteps([run(50, {}, 'cancelled')], '/ws/train.py'), undefined);
  assert.equal(fullRunSteps([run(300, {}, 'completed', '2026-12-01'), run(320, {}, 'completed', '2026-12-02')], '/ws/train.py'), 320, 'the newest');
  assert.equal(fullRunSteps([run(320, {})], '/ws/other.py'), undefined);
});
