// The code generation dispatcher: language from the file extension, each framework to its
// generator (the registry), and plans as data: a problem naming the file when the framework does not
// fit it or the file offers nothing to attach to, and the spec's field when the spec is invalid.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FRAMEWORKS, applyEdits, createCodegen, frameworkLanguage, languageOf, type Codegen, type Framework, type InsertionPlan, type PlanOutcome } from '../../src/codegen';
import type { ScheduleSpec } from '../../src/core/schedules';

const SPEC: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 30 };
const TORCH = `import torch\n\nmodel = torch.nn.Linear(2, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\nfor epoch in range(3):\n    for x, y in loader:\n        optimizer.zero_grad()\n        model(x).sum().backward()\n        optimizer.step()\n`;
const TFJS = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });\nawait model.fit(xs, ys, { epochs: 3 });\n`;

function refused(outcome: PlanOutcome, pattern: RegExp, kind: 'file' | 'spec' = 'file'): void {
  assert.equal(outcome.ok, false, 'the plan is refused');
  if (outcome.ok) return;
  assert.equal(outcome.problem.kind, kind);
  assert.match(outcome.problem.message, pattern);
}

function planned(outcome: PlanOutcome): InsertionPlan {
  if (!outcome.ok) assert.fail(outcome.problem.message);
  return outcome.plan;
}

describe('codegen dispatcher', () => {
  let codegen: Codegen;
  before(async () => {
    codegen = await createCodegen();
  });

  it('maps extensions and frameworks to languages', () => {
    assert.deepEqual(
      ['a.py', 'b.ts', 'c.tsx', 'd.js', 'e.mjs', 'f.cjs', 'g.json', 'h.txt', 'types.d.ts'].map(languageOf),
      ['python', 'typescript', 'typescript', 'typescript', 'typescript', 'typescript', 'json', null, null],
    );
    assert.deepEqual(FRAMEWORKS.map(frameworkLanguage), ['python', 'python', 'python', 'python', 'python', 'typescript', 'json']);
  });

  it('gives a snippet in the right language for every framework', () => {
    for (const framework of FRAMEWORKS) {
      const snippet = codegen.snippet(SPEC, framework);
      assert.equal(snippet.framework, framework);
      assert.equal(snippet.language, frameworkLanguage(framework));
      assert.ok(snippet.code.length > 0);
    }
    assert.match(codegen.snippet(SPEC, 'tfjs').code, /function lrAt\(step: number\): number/);
    assert.deepEqual(JSON.parse(codegen.snippet(SPEC, 'json').code), {
      ...SPEC,
      pctStart: 0.3,
      annealStrategy: 'cos',
      divFactor: 25,
      finalDivFactor: 1e4,
      threePhase: false,
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    });
  });

  it('routes a Python file to the Python planner and a TS/JS file to the TF.js planner', () => {
    const torch = planned(codegen.plan(SPEC, 'pytorch', { text: TORCH, fileName: 'train.py' }));
    assert.equal(torch.framework, 'pytorch');
    assert.match(applyEdits(TORCH, torch.edits), /OneCycleLR/);
    for (const fileName of ['train.ts', 'train.mjs', 'train.js']) {
      const tfjs = planned(codegen.plan(SPEC, 'tfjs', { text: TFJS, fileName }));
      assert.equal(tfjs.framework, 'tfjs');
      assert.match(applyEdits(TFJS, tfjs.edits), /callbacks: withLrSchedule\(model\)/);
    }
    assert.match(applyEdits(TFJS, planned(codegen.plan(SPEC, 'tfjs', { text: TFJS, fileName: 'train.js' })).edits), /^function lrAt\(step\) \{$/m);
  });

  it('writes the spec into a .json file, keeping its indentation and line endings', () => {
    const text = '{\r\n    "policy": "constant",\r\n    "lr": 0.1\r\n}\r\n';
    const plan = planned(codegen.plan({ policy: 'constant', lr: 0.02 }, 'json', { text, fileName: 'schedule.json' }));
    assert.equal(plan.updatesExisting, true);
    assert.equal(applyEdits(text, plan.edits), '{\r\n    "policy": "constant",\r\n    "lr": 0.02\r\n}\r\n');
    const fresh = planned(codegen.plan(SPEC, 'json', { text: '', fileName: 'new.json' }));
    assert.equal(fresh.updatesExisting, false);
    assert.deepEqual(JSON.parse(applyEdits('', fresh.edits)).maxLr, 0.1);
    const same = planned(codegen.plan({ policy: 'constant', lr: 0.02 }, 'json', { text: applyEdits(text, plan.edits), fileName: 'schedule.json' }));
    assert.deepEqual(same.edits, [], 're-applying changes nothing');
  });

  it('errors clearly when the framework does not fit the file', () => {
    const cases: [Framework, string, RegExp][] = [
      ['tfjs', 'train.py', /^train\.py is a Python file but TensorFlow\.js \(callback\) code is TS\/JS; pick lightning, fastai, optax, keras, pytorch for this file/],
      ['pytorch', 'train.ts', /^train\.ts is a TS\/JS file but PyTorch \(OneCycleLR \/ CyclicLR\) code is Python; pick tfjs for this file/],
      ['json', 'train.py', /^train\.py is a Python file but JSON \(the schedule spec\) code is JSON/],
      ['keras', 'spec.json', /^spec\.json is a JSON file but Keras \(LearningRateSchedule\) code is Python; pick json/],
      ['pytorch', 'notes.txt', /^notes\.txt: LR Scope inserts schedules into Python \(\.py\), TS\/JS/],
    ];
    for (const [framework, fileName, pattern] of cases) {
      refused(codegen.plan(SPEC, framework, { text: '', fileName }), pattern);
    }
  });

  it('turns "nothing to anchor on" into a problem naming the file, for Python and TS/JS', () => {
    refused(codegen.plan(SPEC, 'pytorch', { text: 'x = 1\n', fileName: 'src/empty.py' }), /^src\/empty\.py: /);
    refused(codegen.plan(SPEC, 'tfjs', { text: 'const x = 1;\n', fileName: 'src/empty.ts' }), /^src\/empty\.ts: no model\.fit/);
  });

  it('says which field of an invalid spec is wrong', () => {
    refused(codegen.plan({ policy: 'constant', lr: -1 }, 'tfjs', { text: TFJS, fileName: 'a.ts' }), /lr/, 'spec');
  });

  it('routes anchors and framework detection by language', () => {
    assert.deepEqual(
      codegen.anchors({ text: TORCH, fileName: 'train.py' }).map((a) => [a.kind, a.framework, a.line]),
      [['optimizer', 'pytorch', 3]],
    );
    assert.deepEqual(
      codegen.anchors({ text: TFJS, fileName: 'train.ts' }).map((a) => [a.kind, a.framework, a.line]),
      [['compile', 'tfjs', 2], ['optimizer', 'tfjs', 2], ['fit', 'tfjs', 3]],
    );
    assert.deepEqual(codegen.anchors({ text: '{}', fileName: 'a.json' }), []);
    assert.deepEqual(codegen.anchors({ text: 'model.fit(x, y)', fileName: 'a.txt' }), []);
    assert.equal(codegen.frameworkOf({ text: TORCH, fileName: 'train.py' }), 'pytorch');
    assert.equal(codegen.frameworkOf({ text: TFJS, fileName: 'train.ts' }), 'tfjs');
    assert.equal(codegen.frameworkOf({ text: 'export const x = 1;', fileName: 'util.ts' }), null);
    assert.equal(codegen.frameworkOf({ text: 'export default {}', fileName: 'a.experiment.ts' }), 'tfjs');
    assert.equal(codegen.frameworkOf({ text: '{}', fileName: 'a.json' }), 'json');
    assert.equal(codegen.frameworkOf({ text: '', fileName: 'README.md' }), null);
  });
});
