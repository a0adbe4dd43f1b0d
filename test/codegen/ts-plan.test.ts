// Inserting the TF.js schedule into real-looking training scripts: golden files line by line,
// idempotent re-application, type-correct output, and clear errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { CodegenError } from '../../src/codegen/errors';
import { applyEdits } from '../../src/codegen/types';
import { BLOCK_START, tfjsSnippet } from '../../src/codegen/typescript';
import { restyle } from '../../src/codegen/typescript/restyle';
import { DEFAULT_STYLE } from '../../src/codegen/typescript/style';
import { tfjsBlock } from '../../src/codegen/typescript/tfjs-block';
import type { ScheduleSpec } from '../../src/core/schedules';
import { loadParser, planOf } from './ts-helpers';
import { SPECS } from './ts-specs';

const FIXTURES = join(__dirname, 'fixtures', 'ts');
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

interface Case {
  input: string;
  expected: string;
  fileName: string;
  spec: ScheduleSpec;
}

const CASES: Case[] = [
  {
    input: 'train-mnist.ts.txt',
    expected: 'train-mnist.expected.ts.txt',
    fileName: 'train-mnist.ts',
    spec: { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 95 },
  },
  {
    input: 'train-iris.js.txt',
    expected: 'train-iris.expected.js.txt',
    fileName: 'train-iris.js',
    spec: { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 160 },
  },
  {
    input: 'train-crlf.ts.txt',
    expected: 'train-crlf.expected.ts.txt',
    fileName: 'train-crlf.ts',
    spec: { policy: 'cyclic', mode: 'triangular2', baseLr: 0.0001, maxLr: 0.001, stepSizeUp: 20, steps: 100 },
  },
];

function transform(text: string, fileName: string, spec: ScheduleSpec): string {
  return applyEdits(text, planOf(spec, { text, fileName }).edits);
}

function syntaxErrors(code: string, fileName: string): string[] {
  const kind = /\.ts$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
  return (sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('TF.js insertion into training scripts', () => {
  before(loadParser);

  for (const c of CASES) {
    describe(c.fileName, () => {
      const input = read(c.input);
      let output = '';
      before(async () => {
        await loadParser();
        output = transform(input, c.fileName, c.spec);
      });

      it('matches the expected file line by line (line endings included)', () => {
        const expected = read(c.expected);
        const got = output.split('\n');
        const want = expected.split('\n');
        for (let i = 0; i < Math.max(got.length, want.length); i++) assert.equal(got[i], want[i], `line ${i + 1}`);
      });

      it('keeps every original line, in order, except the fit call it wires', () => {
        const outLines = output.split('\n');
        let at = 0;
        const missing: string[] = [];
        for (const line of input.split('\n')) {
          const found = outLines.indexOf(line, at);
          if (found === -1) missing.push(line);
          else at = found + 1;
        }
        assert.equal(missing.length, 1, `changed lines: ${JSON.stringify(missing)}`);
        assert.match(missing[0]!, /\.fit(Dataset)?\(|callbacks|batchesPerEpoch/);
      });

      it('parses without syntax errors', () => {
        assert.deepEqual(syntaxErrors(output, c.fileName), []);
      });

      it('re-applying the same spec changes nothing', () => {
        const plan = planOf(c.spec, { text: output, fileName: c.fileName });
        assert.deepEqual(plan.edits, []);
        assert.equal(plan.updatesExisting, true);
      });

      it('re-applying another spec updates the block in place and wires nothing twice', () => {
        const other: ScheduleSpec = { policy: 'onecycle', flavor: 'smith', minLr: 0.08, maxLr: 0.8, stepSize: 41, totalSteps: 95, finalLr: 0.008 };
        const plan = planOf(other, { text: output, fileName: c.fileName });
        assert.equal(plan.updatesExisting, true);
        const again = applyEdits(output, plan.edits);
        assert.equal(count(again, BLOCK_START), 1);
        assert.equal(count(again, 'callbacks: withLrSchedule('), count(output, 'callbacks: withLrSchedule('));
        assert.match(again, /const minLr = 0\.08/);
        assert.ok(again.startsWith(output.slice(0, output.indexOf(BLOCK_START))), 'text before the block is untouched');
        const after = (text: string): string => text.slice(text.indexOf('// lr-scope: end of schedule'));
        assert.equal(after(again), after(output), 'text after the block is untouched');
        assert.deepEqual(syntaxErrors(again, c.fileName), []);
      });
    });
  }

  it('summarises the change with line numbers and the fit options it read', () => {
    const plan = planOf(CASES[0]!.spec, { text: read(CASES[0]!.input), fileName: 'train-mnist.ts' });
    assert.deepEqual(plan.summary, [
      'insert the schedule (lrAt, momentumAt, withLrSchedule) after the imports (line 5): one-cycle (PyTorch OneCycleLR) peaking at 0.05 over 95 steps',
      'pass callbacks: withLrSchedule(model, …) to `model.fit(…)` (line 28); it trains with epochs = EPOCHS (5), batchSize = BATCH_SIZE (64) and the schedule covers 95 batches',
    ]);
  });

  it('wires fit calls without options, with a named options object, with `callbacks` shorthand or an empty object', () => {
    const text = [
      `import * as tf from '@tensorflow/tfjs';`,
      `const model = tf.sequential();`,
      `const opts = { epochs: 3 };`,
      `const callbacks = [];`,
      `model.fit(xs, ys);`,
      `model.fit(xs, ys, opts);`,
      `model.fit(xs, ys, { epochs: 2, callbacks });`,
      `model.fit(xs, ys, {});`,
      `model.fitDataset(ds, { epochs: 1 });`,
      `this.net.fit(xs, ys, { epochs: 1, });`,
      '',
    ].join('\n');
    const out = transform(text, 'x.ts', SPECS[0]!);
    const tail = out.slice(out.indexOf('// lr-scope: end of schedule')).split('\n').slice(4);
    assert.deepEqual(tail, [
      `model.fit(xs, ys, { callbacks: withLrSchedule(model) });`,
      `model.fit(xs, ys, { ...opts, callbacks: withLrSchedule(model, opts.callbacks) });`,
      `model.fit(xs, ys, { epochs: 2, callbacks: withLrSchedule(model, callbacks) });`,
      `model.fit(xs, ys, { callbacks: withLrSchedule(model) });`,
      `model.fitDataset(ds, { epochs: 1, callbacks: withLrSchedule(model) });`,
      `this.net.fit(xs, ys, { epochs: 1, callbacks: withLrSchedule(this.net), });`,
      '',
    ]);
    assert.deepEqual(syntaxErrors(out, 'x.ts'), []);
  });

  it('adds a tf namespace import when the file only has named tfjs imports (ESM)', () => {
    const text = `import { sequential } from '@tensorflow/tfjs-node';\n\nconst model = sequential();\nawait model.fit(xs, ys, { epochs: 1 });\n`;
    const out = transform(text, 'named.mjs', SPECS[6]!);
    assert.ok(out.startsWith(`import { sequential } from '@tensorflow/tfjs-node';\nimport * as tf from '@tensorflow/tfjs-node';\n\n${BLOCK_START}`));
    assert.match(out, /new tf\.CustomCallback\(schedule\)/);
    assert.equal(count(out, 'import * as tf'), 1);
  });

  it('leaves a fit call on an expression it cannot repeat unwired, and says so', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nawait build().fit(xs, ys, { epochs: 1 });\n`;
    const plan = planOf(SPECS[6]!, { text, fileName: 'x.ts' });
    assert.match(plan.summary.join('\n'), /not wired: `build\(\)\.fit\(…\)` \(line 2\)/);
    assert.doesNotMatch(applyEdits(text, plan.edits), /withLrSchedule\(build/);
  });

  it('warns in the summary when epochs × batchesPerEpoch differs from the schedule length', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nawait model.fitDataset(ds, { epochs: 3, batchesPerEpoch: 10 });\n`;
    const plan = planOf(SPECS[6]!, { text, fileName: 'x.ts' });
    assert.match(plan.summary[1]!, /3 × 10 = 30: make the schedule that long/);
  });

  it('puts a missing tf import above a block that starts the file, not inside it', () => {
    const withBlock = applyEdits(read(CASES[0]!.input), planOf(CASES[0]!.spec, { text: read(CASES[0]!.input), fileName: 'train-mnist.ts' }).edits);
    const text = withBlock.slice(withBlock.indexOf(BLOCK_START)).replace(/\bimport .*\n/g, '');
    const out = applyEdits(text, planOf(SPECS[6]!, { text, fileName: 'x.ts' }).edits);
    // The old block's own code uses `tf`, so the namespace is named tfjs.
    assert.ok(out.startsWith(`import * as tfjs from '@tensorflow/tfjs';\n\n${BLOCK_START}`), out.slice(0, 120));
    assert.deepEqual(syntaxErrors(out, 'x.ts'), []);
  });

  it('leaves a fit call that is still being typed alone and says so; refuses when it is the only one', () => {
    const done = `import * as tf from '@tensorflow/tfjs';\nawait model.fit(xs, ys, { epochs: 1 });\n`;
    const plan = planOf(SPECS[6]!, { text: `${done}model.fit(xs, ys, {`, fileName: 'x.ts' });
    assert.match(plan.summary.join('\n'), /not wired: `model\.fit\(…\)` \(line 3\) — the call is not finished/);
    assert.equal(count(applyEdits(done, plan.edits.filter((e) => e.start <= done.length)), 'withLrSchedule(model)'), 1);
    assert.throws(
      () => planOf(SPECS[6]!, { text: `model.fit(xs, ys, { epochs: 3`, fileName: 'x.ts' }),
      (e: Error) => e instanceof CodegenError && /^x\.ts: `model\.fit\(…\)` \(line 1\) is not finished/.test(e.message),
    );
  });

  it('ignores fit calls in comments and strings', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\n// model.fit(xs, ys)\nconst s = 'model.fit(xs, ys)';\n`;
    assert.throws(() => planOf(SPECS[6]!, { text, fileName: 'x.ts' }), CodegenError);
  });

  it('errors clearly on experiment modules, files without fit calls and broken blocks', () => {
    const spec = SPECS[6]!;
    assert.throws(
      () => planOf(spec, { text: 'export default { model, data };', fileName: 'mnist.experiment.ts' }),
      (e: Error) => e instanceof CodegenError && /mnist\.experiment\.ts is an experiment module/.test(e.message),
    );
    assert.throws(
      () => planOf(spec, { text: 'const x = 1;\n', fileName: 'src/util.ts' }),
      (e: Error) => e instanceof CodegenError && /^src\/util\.ts: no model\.fit/.test(e.message),
    );
    const broken = `${BLOCK_START}: x\nfunction lrAt() {}\nmodel.fit(a, b);\n`;
    assert.throws(
      () => planOf(spec, { text: broken, fileName: 'a.js' }),
      (e: Error) => e instanceof CodegenError && /lost its "\/\/ lr-scope: end of schedule" line/.test(e.message),
    );
  });

  it('the snippet is TypeScript that parses', () => {
    const snippet = tfjsSnippet(SPECS[15]!);
    assert.equal(snippet.language, 'typescript');
    assert.deepEqual(syntaxErrors(snippet.code, 'snippet.ts'), []);
    assert.match(snippet.code, /^import \* as tf from '@tensorflow\/tfjs';\n\n\/\/ lr-scope: schedule \(generated\)/);
  });

  it('generated TS type-checks against the real @tensorflow/tfjs types (strict)', () => {
    const root = join(__dirname, '..', '..');
    const files = new Map<string, string>();
    const mnist = transform(read('train-mnist.ts.txt'), 'train-mnist.ts', CASES[0]!.spec);
    files.set(join(root, '__typecheck__', 'train-mnist.ts'), mnist);
    // The two globals the scripts use, so that no DOM or Node typings need loading.
    files.set(join(root, '__typecheck__', 'globals.d.ts'), 'declare const console: { log(...values: unknown[]): void; warn(...values: unknown[]): void; error(...values: unknown[]): void };\ndeclare const process: { exitCode?: number };\n');
    SPECS.forEach((spec, i) => {
      const code = restyle([`import * as tf from '@tensorflow/tfjs';`, ...tfjsBlock(spec, 'ts', 'tf').lines, 'export { withLrSchedule };'], DEFAULT_STYLE);
      files.set(join(root, '__typecheck__', `block${i}.ts`), code);
    });
    const options: ts.CompilerOptions = {
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
      noEmit: true,
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => files.get(f) ?? readFile(f);
    host.fileExists = (f) => files.has(f) || fileExists(f);
    host.getSourceFile = (f, v, onError, create) =>
      files.has(f) ? ts.createSourceFile(f, files.get(f)!, v) : getSourceFile(f, v, onError, create);
    const program = ts.createProgram([...files.keys()], options, host);
    const errors = [...files.keys()]
      .map((f) => program.getSourceFile(f)!)
      .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
      .map((d) => `${d.file?.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(errors, []);
  });
});
