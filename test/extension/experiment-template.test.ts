/**
 * The experiment template and the TensorFlow.js declarations LR Scope ships (`types/tfjs.d.ts`): the
 * template is the README's, it type-checks (strict) against the shipped declarations alone, as do the
 * bundled examples; the declarations name every export of the real @tensorflow/tfjs; the template runs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { runRangeTest } from '../../src/engine/index';
import { EXPERIMENT_TEMPLATE, TFJS_DECLARATIONS } from '../../src/extension/experiments/template-files';

const root = join(__dirname, '..', '..');
const declarations = join(root, TFJS_DECLARATIONS);
const template = join(root, EXPERIMENT_TEMPLATE);

/** A strict program over `files` where every @tensorflow/tfjs* import is the shipped declarations. */
function program(files: string[], types: string[] = []): ts.Program {
  const alias = ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];
  return ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    noEmit: true,
    types,
    typeRoots: [join(root, 'node_modules', '@types')],
    paths: Object.fromEntries(alias.map((a) => [a, [declarations]])),
  });
}

function errors(p: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(p).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('the experiment template', () => {
  test('is the block the README shows under "Your model: an experiment module"', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Your model: an experiment module'));
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    assert.ok(block, 'a ```ts block in the section');
    assert.equal(block[1], readFileSync(template, 'utf8'));
  });

  test('type-checks (strict) against the shipped declarations alone, and so do the examples and the tests\' experiments', () => {
    const fixtures = join(root, 'test', 'engine', 'fixtures');
    const experiments = readdirSync(fixtures).filter((f) => f.endsWith('.experiment.ts')).map((f) => join(fixtures, f));
    assert.ok(experiments.length >= 10, `${experiments.length} experiments of the engine tests`);
    assert.deepEqual(errors(program([template, join(root, 'examples', 'synthetic.experiment.ts'), join(root, 'e2e', 'fixtures', 'wide.experiment.ts'), ...experiments])), []);
    // The digits example reads its files with node's fs: with @types/node it checks too.
    assert.deepEqual(errors(program([join(root, 'examples', 'digits.experiment.ts')], ['node'])), []);
  });

  test('a mistake in an experiment is still an error (the declarations are not `any`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lrscope-types-'));
    const file = join(dir, 'bad.experiment.ts');
    ts.sys.writeFile(file, "import * as tf from '@tensorflow/tfjs';\nexport const m = tf.layers.dense({ unit: 3 });\nexport const n: number = tf.zeros([2]);\nexport const k = tf.tensor2d([[1]]).sum().dataSync()[0];\n");
    const found = errors(program([file]));
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /bad\.experiment\.ts:2 .*'unit' does not exist/);
    assert.match(found[1]!, /bad\.experiment\.ts:3 .*not assignable to type 'number'/);
  });

  test('the declarations name every export of @tensorflow/tfjs 4.22, its namespaces and Tensor methods', () => {
    const p = program([declarations]);
    const checker = p.getTypeChecker();
    const source = p.getSourceFile(declarations)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
    const runtime = tf as unknown as Record<string, unknown>;
    // Kernel names ('Abs', 'Conv2D', …: strings equal to their name) are for backend authors.
    const kernelName = (k: string): boolean => typeof runtime[k] === 'string' && runtime[k] === k;
    // `default` is the interop wrapper of importing the CommonJS build here, not an export.
    const missing = Object.keys(runtime).filter((k) => k !== 'default' && !kernelName(k) && !exported.has(k));
    assert.deepEqual(missing, [], 'top-level exports');
    const membersOf = (name: string): Set<string> => {
      const symbol = exported.get(name)!;
      const type = checker.getTypeOfSymbolAtLocation(symbol, source);
      return new Set(checker.getPropertiesOfType(type).map((s) => s.name));
    };
    for (const ns of ['layers', 'data', 'losses', 'metrics', 'initializers', 'regularizers', 'constraints', 'callbacks', 'train', 'image', 'linalg', 'signal', 'spectral', 'sparse', 'string', 'math', 'models']) {
      const declared = membersOf(ns);
      const absent = Object.keys(runtime[ns] as object).filter((k) => k !== 'default' && !declared.has(k));
      assert.deepEqual(absent, [], `tf.${ns}`);
    }
    const tensorSymbol = exported.get('Tensor')!;
    const tensorType = checker.getDeclaredTypeOfSymbol(tensorSymbol);
    const methods = new Set(checker.getPropertiesOfType(tensorType).map((s) => s.name));
    const absent = Object.getOwnPropertyNames(tf.Tensor.prototype).filter((k) => k !== 'constructor' && !methods.has(k));
    assert.deepEqual(absent, [], 'tf.Tensor methods');
  });

  test('runs: a range test of the template trains and is analysed', async () => {
    const record = await runRangeTest({ experimentPath: template, backend: 'cpu', runsDir: mkdtempSync(join(tmpdir(), 'lrscope-template-')), options: { steps: 30, startLr: 1e-4, endLr: 1 } });
    assert.match(record.status, /^(completed|diverged)$/);
    assert.ok(record.points.length >= 10, `${record.points.length} points`);
    assert.ok(record.points.every((pt) => Number.isFinite(pt.loss)));
    assert.equal(record.experiment.label, 'my model');
  });
});
