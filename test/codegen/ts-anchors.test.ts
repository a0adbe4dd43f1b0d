// CodeLens anchors in TS/JS files, read from the tree-sitter syntax tree.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { applyEdits, type Anchor } from '../../src/codegen/types';
import { tsFile } from '../../bench/anchors.bench';
import { CodegenError } from '../../src/codegen/errors';
import { anchorsOf as detectTsAnchors, loadParser, planOf, random } from './ts-helpers';
import { SPECS } from './ts-specs';

const FIXTURES = join(__dirname, 'fixtures', 'ts');
const brief = (anchors: Anchor[]): string[] =>
  anchors.map((a) => `${a.line + 1} ${a.kind} ${a.name ?? ''}${a.maxLr !== undefined ? ` maxLr=${a.maxLr}` : ''}`.trim());

describe('TS/JS anchors', () => {
  before(loadParser);

  it('finds compile, optimizer and fit in a training script, not the fit in its comment or string', () => {
    const text = readFileSync(join(FIXTURES, 'train-mnist.ts.txt'), 'utf8');
    const anchors = detectTsAnchors(text, 'train-mnist.ts');
    assert.deepEqual(brief(anchors), ['15 compile model', '16 optimizer optimizer', '28 fit model']);
    const fit = anchors[2]!;
    assert.equal(text.slice(fit.start, fit.start + 'model.fit('.length), 'model.fit(');
    assert.ok(text.slice(fit.start, fit.end).endsWith('})'), 'a multi-line call is anchored as a whole');
    assert.ok(anchors.every((a) => a.framework === 'tfjs'));
  });

  it('finds an LR Scope block as a scheduler with its peak LR, in TS and in JS', () => {
    const ts = readFileSync(join(FIXTURES, 'train-mnist.expected.ts.txt'), 'utf8');
    const scheduler = detectTsAnchors(ts, 'train-mnist.ts').find((a) => a.kind === 'scheduler');
    assert.deepEqual(scheduler && { line: scheduler.line, maxLr: scheduler.maxLr, name: scheduler.name }, { line: 6, maxLr: 0.05, name: 'lrAt' });
    assert.ok(ts.slice(scheduler!.start).startsWith('// lr-scope: schedule (generated)'));
    assert.ok(ts.slice(0, scheduler!.end).endsWith('// lr-scope: end of schedule'));
    const js = readFileSync(join(FIXTURES, 'train-iris.expected.js.txt'), 'utf8');
    assert.deepEqual(brief(detectTsAnchors(js, 'train-iris.js')), ['7 scheduler lrAt maxLr=0.01', '91 compile model', '94 fit model']);
  });

  it('ignores calls in comments, strings and templates, and look-alikes', () => {
    const text = [
      `// model.fit(xs, ys, { epochs: 3 })`,
      `/* tf.train.adam(0.1); model.compile({}) */`,
      `const a = 'model.fit(xs, ys)';`,
      'const b = `tf.train.sgd(0.1) ${"model.fit(x, y)"}`;',
      `const c = "// lr-scope: schedule (generated)";`,
      `scaler.fit(data);`,
      `regexp.compile();`,
      `model.fitDataset(`,
      `  ds,`,
      `  { epochs: 2 },`,
      `);`,
    ].join('\n');
    assert.deepEqual(brief(detectTsAnchors(text, 'x.ts')), ['8 fit model']);
  });

  it('finds optimizers made with tf.train.*, a named train import and optimizer classes', () => {
    const text = [
      `import * as tf from '@tensorflow/tfjs';`,
      `import { train } from '@tensorflow/tfjs';`,
      `const opt = tf.train.adam(1e-3);`,
      `let sgd;`,
      `sgd = train.sgd(0.1);`,
      `model.compile({ optimizer: new tf.RMSPropOptimizer(0.01), loss: 'mse' });`,
      `use(tf.train.momentum(0.1, 0.9));`,
    ].join('\n');
    assert.deepEqual(brief(detectTsAnchors(text, 'x.ts')), [
      '3 optimizer opt',
      '5 optimizer sgd',
      '6 compile model',
      '6 optimizer optimizer',
      '7 optimizer tf.train.momentum',
    ]);
  });

  it('finds experiment modules: object, (tf) => object, function, and CommonJS', () => {
    const cases: [string, string, string[]][] = [
      ['mnist.experiment.ts', `export default {\n  model: () => m,\n  data: async () => d,\n};`, ['1 experiment default']],
      ['cnn.experiment.mjs', `export default (tf) => ({ model() {}, async data() {} });`, ['1 experiment default']],
      ['x.experiment.ts', `export default function mnist(tf) { return { model, data }; }`, ['1 experiment mnist']],
      ['x.experiment.js', `module.exports = { model, data };`, ['1 experiment module.exports']],
      ['plain.ts', `export default (tf: unknown) => {\n  return { model, data, batchSize: 32 };\n};`, ['1 experiment default']],
      ['config.ts', `export default { port: 8080 };`, []],
    ];
    for (const [fileName, text, expected] of cases) assert.deepEqual(brief(detectTsAnchors(text, fileName)), expected, fileName);
  });

  it('copes with syntax errors and JSX', () => {
    assert.deepEqual(brief(detectTsAnchors('model.fit(xs, ys, { epochs: 3 ', 'broken.ts')), ['1 fit model']);
    assert.deepEqual(brief(detectTsAnchors('const el = <div onClick={() => model.fit(a, b)} />;', 'app.tsx')), ['1 fit model']);
  });

  it('reads names as wholes (Unicode, $ and # included) and offsets as the editor counts them', () => {
    const text = [
      'const ünï = "🎉𝒳"; äfit.fit(a, b); x.äfit(a, b); x.fitä(a, b); x.$fit(a, b); x.fit$(a, b);',
      'class C { #fit(a: number, b: number) {} go() { this.#fit(1, 2); } }',
      'const o = tf.train.adam(1);',
    ].join('\r\n');
    const anchors = detectTsAnchors(text, 'x.ts');
    assert.deepEqual(brief(anchors), ['1 fit äfit', '3 optimizer o']);
    assert.equal(text.slice(anchors[0]!.start, anchors[0]!.end), 'äfit.fit(a, b)');
    assert.equal(text.slice(anchors[1]!.start, anchors[1]!.end), 'tf.train.adam(1)');
  });

  it('follows edits: the kept tree is reparsed, never reused for another text or file', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nconst opt = tf.train.adam(1e-3);\nawait model.fit(xs, ys, { epochs: 3 });\n`;
    assert.deepEqual(brief(detectTsAnchors(text, 'edit.ts')), ['2 optimizer opt', '3 fit model']);
    const commented = text.replace('await model', '// await model');
    assert.deepEqual(brief(detectTsAnchors(commented, 'edit.ts')), ['2 optimizer opt']);
    const renamed = commented.replace('const opt', 'const optimizer').replace('// await', 'await');
    assert.deepEqual(brief(detectTsAnchors(renamed, 'edit.ts')), ['2 optimizer optimizer', '3 fit model']);
    assert.deepEqual(brief(detectTsAnchors(text, 'other.experiment.ts')), ['2 optimizer opt', '3 fit model']);
    assert.deepEqual(brief(detectTsAnchors(text, 'edit.ts')), ['2 optimizer opt', '3 fit model']);
  });

  it('copes with broken code: random line fragments of the fixtures (seeded), edited one after another', () => {
    const lines = readdirSync(FIXTURES).flatMap((f) => readFileSync(join(FIXTURES, f), 'utf8').split('\n'));
    const next = random(2026);
    let found = 0;
    for (let round = 0; round < 60; round++) {
      const picked: string[] = [];
      while (picked.length < 40) {
        const at = Math.floor(next() * lines.length);
        picked.push(...lines.slice(at, at + 1 + Math.floor(next() * 8)));
      }
      const text = picked.join('\n');
      const anchors = detectTsAnchors(text, 'broken.ts');
      anchors.forEach((a, k) => {
        assert.ok(a.start >= 0 && a.start <= a.end && a.end <= text.length, `round ${round}: in range`);
        assert.ok(k === 0 || anchors[k - 1]!.start <= a.start, `round ${round}: sorted`);
        if (a.kind === 'fit' || a.kind === 'compile') assert.ok(text.startsWith(a.name!, a.start), `round ${round}: named by its receiver`);
      });
      found += anchors.length;
      try {
        applyEdits(text, planOf(SPECS[0]!, { text, fileName: 'broken.ts' }).edits);
      } catch (error) {
        assert.ok(error instanceof CodegenError, `round ${round}: ${String(error)}`);
      }
    }
    assert.ok(found > 30, `the fragments hold anchors (${found})`);
  });

  it('after every edit of seeded random edit sequences, equal a first reading of the same text', () => {
    const pieces = ['(', ')', '{', '}', '`', "'", '"', '/*', '*/', '//', '\n', ' ', 'x', ',', ';', '.fit', 'model.fit(a, b)', 'tf.train.adam(1)', 'export default { model, data };', 'module.exports = x;'];
    const starts: [string, string][] = [
      ['train.ts', tsFile(200)],
      ...readdirSync(FIXTURES).map((f): [string, string] => [f.replace(/\.txt$/, '').replace(/^train/, 'mix.experiment'), readFileSync(join(FIXTURES, f), 'utf8')]),
    ];
    const next = random(99);
    let compared = 0;
    for (const [fileName, start] of starts) {
      let text = start;
      for (let step = 0; step < 120; step++) {
        const at = Math.floor(next() * (text.length + 1));
        text = next() < 0.4 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6)) : text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
        const fresh = `fresh-${compared}${fileName.slice(fileName.indexOf('.'))}`;
        assert.deepEqual(detectTsAnchors(text, fileName), detectTsAnchors(text, fresh), `${fileName}, edit ${step}`);
        compared++;
      }
    }
    assert.ok(compared >= 700);
  });
});
