/**
 * Python insertion plans checked line by line against expected files, re-application, the file's style,
 * framework detection, anchors, and that every generated file parses with Python's own parser.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  detectPythonAnchors,
  detectPythonFramework,
  loadPythonParser,
  planPythonInsertion,
  pythonSnippet,
  PYTHON_FRAMEWORKS,
  type PythonParser,
} from '../../src/codegen/python/index';
import { applyEdits } from '../../src/codegen/types';
import type { ScheduleSpec } from '../../src/core/schedules/spec';
import { GOLDEN } from './python-golden';
import { FIXTURES, fixture, getParser, pythonParseErrors } from './python-helpers';

const SPECS: ScheduleSpec[] = [
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.5, totalSteps: 100 },
  { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.5, totalSteps: 100, threePhase: true, annealStrategy: 'linear', cycleMomentum: false },
  { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 100 },
  { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: 100 },
  { policy: 'onecycle', flavor: 'optax-linear', peakValue: 0.1, transitionSteps: 100 },
  { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 },
  { policy: 'cyclic', mode: 'exp_range', baseLr: 0.001, maxLr: 0.01, stepSizeUp: 10, gamma: 0.99 },
  { policy: 'range', mode: 'linear', startLr: 1e-6, endLr: 1, steps: 100 },
  { policy: 'constant', lr: 0.003 },
];

const FRAMEWORK_FIXTURES = [
  { file: 'pytorch_plain.py', framework: 'pytorch' },
  { file: 'pytorch_accumulation.py', framework: 'pytorch' },
  { file: 'pytorch_crlf_tabs.py', framework: 'pytorch' },
  { file: 'pytorch_existing_onecycle.py', framework: 'pytorch' },
  { file: 'lightning_module.py', framework: 'lightning' },
  { file: 'keras_fit.py', framework: 'keras' },
  { file: 'fastai_learner.py', framework: 'fastai' },
  { file: 'flax_optax.py', framework: 'optax' },
] as const;

let parser: PythonParser;
before(async () => {
  parser = await getParser();
});

function plan(text: string, spec: ScheduleSpec, framework: (typeof PYTHON_FRAMEWORKS)[number]) {
  return planPythonInsertion(parser, spec, framework, text);
}

describe('insertion plans, line by line', () => {
  for (const g of GOLDEN) {
    it(`${g.input} (${g.framework}) → expected/${g.expected}`, () => {
      const out = applyEdits(fixture(g.input), plan(fixture(g.input), g.spec, g.framework).edits);
      assert.deepEqual(out.split('\n'), fixture(join('expected', g.expected)).split('\n'));
    });
  }

  it('keeps edits minimal: the user’s text outside the inserted code is unchanged', () => {
    for (const g of GOLDEN) {
      const text = fixture(g.input);
      const p = plan(text, g.spec, g.framework);
      for (const e of p.edits) {
        assert.ok(e.end - e.start < 400, `${g.expected}: an edit replaces ${e.end - e.start} characters`);
      }
    }
  });
});

describe('re-applying', () => {
  for (const g of GOLDEN) {
    it(`${g.expected}: a second plan updates the schedule in place and changes nothing`, () => {
      const once = applyEdits(fixture(g.input), plan(fixture(g.input), g.spec, g.framework).edits);
      const again = plan(once, g.spec, g.framework);
      assert.equal(again.updatesExisting, true, again.summary.join('\n'));
      assert.equal(applyEdits(once, again.edits), once);
    });
  }

  it('switching schedules replaces the scheduler: one scheduler, one scheduler.step(), the new import', () => {
    const text = fixture('pytorch_plain.py');
    const first = applyEdits(text, plan(text, SPECS[0]!, 'pytorch').edits);
    const second = applyEdits(first, plan(first, SPECS[2]!, 'pytorch').edits);
    assert.equal(second.match(/^\s*scheduler = /gm)?.length, 1);
    assert.equal(second.match(/scheduler\.step\(\)/g)?.length, 1);
    assert.match(second, /scheduler = LambdaLRWithMomentum\(optimizer, lr_at_step, momentum_at_step\)/);
    assert.match(second, /^from torch\.optim\.lr_scheduler import OneCycleLR, LambdaLR$/m);
    const third = applyEdits(second, plan(second, SPECS[0]!, 'pytorch').edits);
    assert.doesNotMatch(third, /def lr_at_step|LambdaLRWithMomentum\(optimizer/, 'the formula definitions go when the native class comes back');
    assert.equal(third.match(/total_steps = epochs \* len\(train_loader\)/g)?.length, 1);
  });

  it('an existing OneCycleLR is updated (its name kept), not duplicated', () => {
    const text = fixture('pytorch_existing_onecycle.py');
    const p = plan(text, SPECS[0]!, 'pytorch');
    assert.equal(p.updatesExisting, true);
    const out = applyEdits(text, p.edits);
    assert.equal(out.match(/OneCycleLR\(/g)?.length, 1);
    assert.equal(out.match(/sched\.step\(\)/g)?.length, 1);
    assert.match(out, /^sched = OneCycleLR\(optimizer, max_lr=0\.5, total_steps=total_steps\)$/m);
  });
});

describe('the file’s style', () => {
  it('CRLF, tabs and single quotes are kept in the inserted code', () => {
    const text = fixture('pytorch_crlf_tabs.py');
    for (const spec of SPECS) {
      const out = applyEdits(text, plan(text, spec, 'pytorch').edits);
      assert.doesNotMatch(out, /[^\r]\n/, 'every line ends with CRLF');
      assert.doesNotMatch(out, /^ +\S/m, 'no space indentation');
      assert.doesNotMatch(out.replace(/'[^'\r\n]*'/g, ''), /"/, 'no double quotes');
    }
  });

  it('4-space and 2-space files get their own indentation', () => {
    const two = fixture('pytorch_plain.py').replace(/^( +)/gm, (lead) => ' '.repeat(lead.length / 2));
    const out = applyEdits(two, plan(two, SPECS[2]!, 'pytorch').edits);
    assert.match(out, /^def lr_at_step\(step\):\n  # fastai fit_one_cycle\n  step = min\(step, total_steps - 1\)\n  def f32\(x\):/m);
    assert.match(out, /^    optimizer\.step\(\)\n    scheduler\.step\(\)$/m);
  });

  it('comments and strings that mention optimizer.step() are not code', () => {
    const text = fixture('pytorch_plain.py');
    const out = applyEdits(text, plan(text, SPECS[0]!, 'pytorch').edits);
    assert.equal(out.match(/scheduler\.step\(\)/g)?.length, 1);
    assert.match(out, /# optimizer\.step\(\) below updates the weights once per batch\n    for inputs/);
    assert.match(out, /print\("epoch", epoch, "optimizer\.step\(\) done", float\(loss\)\)/);
  });

  it('gradient accumulation: the scheduler steps inside the `if`, with the optimizer; total = epochs × (batches // accumulation)', () => {
    const text = fixture('pytorch_accumulation.py');
    const out = applyEdits(text, plan(text, SPECS[0]!, 'pytorch').edits);
    assert.match(out, /            if \(step \+ 1\) % accum_steps == 0:\n                opt\.step\(\)\n                scheduler\.step\(\)\n                opt\.zero_grad\(\)/);
    assert.match(out, /total_steps = num_epochs \* \(len\(loader\) \/\/ accum_steps\)/);
  });
});

describe('scopes', () => {
  const spec: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100 };
  const helper = [
    'import torch',
    '',
    '',
    'def train_one_epoch(model, loader, optimizer):',
    '    for x, y in loader:',
    '        optimizer.step()',
    '',
    '',
  ].join('\n');

  it('passes the scheduler into the function that steps the optimizer, at its call; the count climbs to the epoch loop', () => {
    const text = `${helper}def main(loader):\n    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\n    for epoch in range(3):\n        train_one_epoch(model, loader, optimizer)\n`;
    const p = plan(text, spec, 'pytorch');
    const out = applyEdits(text, p.edits);
    assert.match(out, /^def train_one_epoch\(model, loader, optimizer, scheduler\):\n    for x, y in loader:\n        optimizer\.step\(\)\n        scheduler\.step\(\)$/m);
    assert.match(out, /^    total_steps = 3 \* len\(loader\)\n    scheduler = OneCycleLR\(optimizer, max_lr=0\.1, total_steps=total_steps\)\n    for epoch in range\(3\):\n        train_one_epoch\(model, loader, optimizer, scheduler=scheduler\)$/m);
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(p.stepCount?.expr, '3 * len(loader)');
    assert.equal(applyEdits(out, plan(out, spec, 'pytorch').edits), out, 're-applying changes nothing');
  });

  it('a module-level optimizer used as a global gets a global scheduler; `self.` optimizers get a `self.scheduler`', () => {
    const global = 'import torch\n\n\ndef train_one_epoch(loader):\n    for x, y in loader:\n        optimizer.step()\n\n\nloader = [(1, 2)] * 4\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nfor epoch in range(2):\n    train_one_epoch(loader)\n';
    const out1 = applyEdits(global, plan(global, spec, 'pytorch').edits);
    assert.match(out1, /        optimizer\.step\(\)\n        scheduler\.step\(\)/);
    assert.match(out1, /^total_steps = 2 \* len\(loader\)\nscheduler = OneCycleLR\(optimizer, max_lr=0\.1, total_steps=total_steps, cycle_momentum=False\)$/m);
    const method = 'import torch\n\n\nclass Trainer:\n    def __init__(self, model):\n        self.opt = torch.optim.Adam(model.parameters())\n\n    def update(self):\n        self.opt.step()\n';
    const p = plan(method, spec, 'pytorch');
    const out = applyEdits(method, p.edits);
    assert.match(out, /        self\.opt = torch\.optim\.Adam\(model\.parameters\(\)\)\n\n        total_steps = 100  # set to the number of optimizer steps this script takes\n/);
    assert.match(out, /        self\.scheduler = LambdaLRWithMomentum\(self\.opt, lr_at_step, momentum_at_step\)\n/);
    assert.match(out, /        self\.opt\.step\(\)\n        self\.scheduler\.step\(\)\n/);
    assert.match(p.warnings!.join('\n'), /cannot tell how many optimizer steps this script takes .*set `total_steps` \(now the spec's 100\)/);
  });

  it('Lightning: `return torch.optim.X(…)` becomes a named optimizer, a scheduler and the dict', () => {
    const text = 'import pytorch_lightning as pl\nimport torch\n\n\nclass M(pl.LightningModule):\n    def configure_optimizers(self):\n        return torch.optim.Adam(self.parameters(), lr=1e-3)\n';
    const out = applyEdits(text, plan(text, spec, 'lightning').edits);
    assert.match(
      out,
      /        optimizer = torch\.optim\.Adam\(self\.parameters\(\), lr=1e-3\)\n        total_steps = self\.trainer\.estimated_stepping_batches\n        scheduler = OneCycleLR\(optimizer, max_lr=0\.1, total_steps=total_steps\)\n        return \{"optimizer": optimizer, "lr_scheduler": \{"scheduler": scheduler, "interval": "step"\}\}\n/,
    );
    const again = plan(out, spec, 'lightning');
    assert.equal(again.updatesExisting, true);
    assert.equal(applyEdits(out, again.edits), out);
  });
});

describe('framework detection and anchors', () => {
  it('detects the framework from the imports', () => {
    for (const { file, framework } of FRAMEWORK_FIXTURES) assert.equal(detectPythonFramework(fixture(file), parser), framework, file);
  });

  it('finds optimizers, fits, schedulers (with their literal max LR) and configure_optimizers', () => {
    const summary = (file: string) => detectPythonAnchors(parser, fixture(file)).map((a) => `${a.kind}:${a.framework}:${a.name}@${a.line}${a.maxLr !== undefined ? `:${a.maxLr}` : ''}`);
    assert.deepEqual(summary('pytorch_plain.py'), ['optimizer:pytorch:optimizer@12']);
    assert.deepEqual(summary('pytorch_existing_onecycle.py'), ['optimizer:pytorch:optimizer@6', 'scheduler:pytorch:OneCycleLR@7:0.3']);
    assert.deepEqual(summary('lightning_module.py'), ['configure-optimizers:lightning:configure_optimizers@18', 'optimizer:lightning:optimizer@19', 'fit:lightning:trainer@25']);
    assert.deepEqual(summary('keras_fit.py'), ['optimizer:keras:SGD@14', 'fit:keras:model@18']);
    assert.deepEqual(summary('fastai_learner.py'), ['fit:fastai:learn@6']);
    assert.deepEqual(summary('flax_optax.py'), ['optimizer:optax:tx@17']);
  });

  it('ignores comments and strings, and follows calls across lines', () => {
    const text = [
      'import torch',
      '# optimizer = torch.optim.SGD(params, lr=0.1)',
      's = "torch.optim.Adam(model.parameters())"',
      'doc = """',
      'scheduler = OneCycleLR(optimizer, max_lr=1.0, total_steps=10)',
      '"""',
      'optimizer = torch.optim.AdamW(',
      '    model.parameters(),  # comment inside the call',
      '    lr=3e-4,',
      ')',
      'sched = torch.optim.lr_scheduler.OneCycleLR(',
      '    optimizer,',
      '    max_lr=2e-3,',
      '    total_steps=1000)',
    ].join('\n');
    const anchors = detectPythonAnchors(parser, text);
    assert.deepEqual(
      anchors.map((a) => [a.kind, a.name, a.line, a.maxLr]),
      [
        ['optimizer', 'optimizer', 6, undefined],
        ['scheduler', 'OneCycleLR', 10, 0.002],
      ],
    );
    assert.equal(text.slice(anchors[0]!.start, anchors[0]!.end).split('\n').length, 4);
  });

  it('gives the same anchors after incremental reparses as a fresh parser', async () => {
    const fresh = await loadPythonParser();
    let text = fixture('pytorch_plain.py');
    for (const edit of ['\n# a comment', '\nsched = OneCycleLR(optimizer, max_lr=0.25, total_steps=5)', 'x = 1\n']) {
      text = edit.startsWith('x') ? edit + text : text + edit;
      assert.deepEqual(detectPythonAnchors(parser, text), detectPythonAnchors(fresh, text));
    }
  });

  it('says clearly when there is nothing to attach to', () => {
    assert.throws(() => plan('import torch\nprint(1)\n', SPECS[0]!, 'pytorch'), /no optimizer step found/);
    assert.throws(() => plan('import lightning\n', SPECS[0]!, 'lightning'), /configure_optimizers/);
    assert.throws(() => plan('from tensorflow import keras\n', SPECS[0]!, 'keras'), /keras\.optimizers/);
    assert.throws(() => plan('from fastai.vision.all import *\n', SPECS[0]!, 'fastai'), /learn\.fit/);
    assert.throws(() => plan('import optax\n', SPECS[0]!, 'optax'), /optax/);
    assert.throws(() => plan(fixture('pytorch_plain.py'), { policy: 'onecycle', flavor: 'pytorch', maxLr: -1, totalSteps: 10 }, 'pytorch'), { name: 'SpecError', message: /maxLr/ });
  });
});

describe('generated Python parses', () => {
  it('every plan output and every snippet is valid Python (ast.parse)', () => {
    const sources: { what: string; code: string }[] = [];
    for (const { file, framework } of FRAMEWORK_FIXTURES) {
      for (const spec of SPECS) {
        const text = fixture(file);
        const out = applyEdits(text, plan(text, spec, framework).edits);
        sources.push({ what: `${file} ${JSON.stringify(spec)}`, code: out });
        sources.push({ what: `${file} ${JSON.stringify(spec)} (again)`, code: applyEdits(out, plan(out, spec, framework).edits) });
      }
    }
    for (const framework of PYTHON_FRAMEWORKS) for (const spec of SPECS) sources.push({ what: `snippet ${framework} ${JSON.stringify(spec)}`, code: pythonSnippet(spec, framework).code });
    const errors = pythonParseErrors(sources.map((s) => s.code));
    assert.equal(errors.length, sources.length);
    errors.forEach((e, i) => assert.equal(e, null, `${sources[i]!.what}: ${e}\n${sources[i]!.code}`));
  });

  it('snippets name their framework and language', () => {
    const s = pythonSnippet(SPECS[0]!, 'pytorch');
    assert.equal(s.framework, 'pytorch');
    assert.equal(s.language, 'python');
    assert.match(s.code, /scheduler = OneCycleLR\(optimizer, max_lr=0\.5, total_steps=100\)/);
    assert.match(pythonSnippet(SPECS[2]!, 'fastai').code, /learn\.fit_one_cycle\(n_epoch, lr_max=0\.01/);
  });
});

void FIXTURES;

describe('Keras and framework detection as real scripts write them', () => {
  const onecycle: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 1000 };

  it('a string optimizer becomes the optimizer object with the schedule; the length comes from fit', () => {
    const text = [
      'from tensorflow import keras',
      '(x_train, y_train), _ = keras.datasets.mnist.load_data()',
      'batch_size = 128',
      'epochs = 15',
      'model = keras.Sequential([keras.layers.Dense(10)])',
      'model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])',
      'model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1)',
      '',
    ].join('\n');
    const p = plan(text, onecycle, 'keras');
    const out = applyEdits(text, p.edits);
    assert.match(out, /optimizer=keras\.optimizers\.Adam\(learning_rate=OneCycleSchedule\(\)\)/);
    assert.match(out, /^total_steps = epochs \* \(\(int\(len\(x_train\) \* \(1 - 0\.1\)\) \+ batch_size - 1\) \/\/ batch_size\)$/m);
    assert.equal(p.stepCount?.expr, 'epochs * ((int(len(x_train) * (1 - 0.1)) + batch_size - 1) // batch_size)');
    assert.match(out, /callbacks=\[MomentumSchedule\(\)\]/, "Adam's beta_1 cycles through the callback");
    assert.deepEqual(p.warnings, []);
    assert.equal(applyEdits(out, plan(out, onecycle, 'keras').edits), out, 're-applying changes nothing');
    assert.deepEqual(pythonParseErrors([out]), [null]);
  });

  it('a length fit does not tell is the spec’s, with a warning; the schedule holds past it', () => {
    const text = 'import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.compile(optimizer="sgd", loss="mse")\nmodel.fit(train_ds, epochs=3)\n';
    const p = plan(text, onecycle, 'keras');
    const out = applyEdits(text, p.edits);
    assert.match(out, /optimizer=tf\.keras\.optimizers\.SGD\(learning_rate=OneCycleSchedule\(\)\)/);
    assert.match(out, /tf\.math\.minimum\(step, tf\.cast\(999, tf\.float64\)\)/);
    assert.match(p.warnings!.join('\n'), /cannot tell how many optimizer steps `fit` takes \(`fit` is not given an array `x` by name|`train_ds` is set after/);
  });

  it('detects the framework by what the file trains with', () => {
    const cases: [string, string][] = [
      ['import jax\nimport flax.linen as nn\nimport optax\nimport tensorflow as tf\nimport tensorflow_datasets as tfds\ntf.config.experimental.set_visible_devices([], "GPU")\ntx = optax.sgd(0.1)\n', 'optax'],
      ['from fastai2.vision.all import *\nlearn = cnn_learner(dls, resnet34, metrics=error_rate)\nlearn.fine_tune(1)\n', 'fastai'],
      ['import torch\nfrom lightning.fabric import Fabric\nfabric = Fabric()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\noptimizer.step()\n', 'pytorch'],
      ['import lightning as L\nclass M(L.LightningModule):\n    def configure_optimizers(self):\n        return torch.optim.Adam(self.parameters())\n', 'lightning'],
      ['import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.compile(optimizer="adam")\n', 'keras'],
      ['import torch\nimport tensorflow as tf\nwriter = tf.summary.create_file_writer("logs")\nopt = torch.optim.SGD(p, lr=1)\n', 'pytorch'],
    ];
    for (const [text, framework] of cases) assert.equal(detectPythonFramework(text, parser), framework, text);
  });
});

describe('Lightning: the scheduler steps per optimizer step', () => {
  const spec: ScheduleSpec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.1, totalSteps: 100 };
  for (const ret of ['return [optimizer], [scheduler]', 'return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "epoch"}}', 'return {"optimizer": optimizer, "lr_scheduler": scheduler}']) {
    it(`an existing per-epoch scheduler is replaced and returned with interval "step": ${ret}`, () => {
      const text = `import lightning as L\nimport torch\n\n\nclass M(L.LightningModule):\n    def configure_optimizers(self):\n        optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)\n        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)\n        ${ret}\n`;
      const out = applyEdits(text, plan(text, spec, 'lightning').edits);
      assert.match(out, /scheduler = OneCycleLR\(optimizer, max_lr=0\.1, total_steps=total_steps\)/);
      assert.match(out, /total_steps = self\.trainer\.estimated_stepping_batches/);
      assert.match(out, /return \{"optimizer": optimizer, "lr_scheduler": \{"scheduler": scheduler, "interval": "step"\}\}/);
      assert.doesNotMatch(out, /StepLR\(/);
      assert.equal(applyEdits(out, plan(out, spec, 'lightning').edits), out);
    });
  }
});
