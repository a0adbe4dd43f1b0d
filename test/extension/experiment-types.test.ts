/**
 * New Experiment's and the quick fix's decisions: where the types come from (installed package, the
 * nearest tsconfig/jsconfig, or a new config), which diagnostics get the fix, the new file's name and text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typesSetupFor } from '../../src/extension/experiments/types-setup';
import { missingTfjsModule, typesFixesFor } from '../../src/extension/experiments/types-fixes';
import { experimentFileName, fromTemplate, invalidName } from '../../src/extension/experiments/experiment-name';

const root = join(__dirname, '..', '..');
const CANNOT_FIND = "Cannot find module '@tensorflow/tfjs' or its corresponding type declarations.";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-ws-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('where an experiment\'s tf types come from', () => {
  test('a fresh workspace: a new tsconfig.json at the folder root, declarations under .lrscope/types', () => {
    const ws = workspace({ 'models/a.experiment.ts': '' });
    assert.deepEqual(typesSetupFor(join(ws, 'models', 'a.experiment.ts'), ws), { kind: 'create', configPath: join(ws, 'tsconfig.json'), declarations: join(ws, '.lrscope', 'types', 'tfjs.d.ts') });
  });

  test('the nearest tsconfig.json, else jsconfig.json, between the experiment and the folder root', () => {
    const ws = workspace({ 'tsconfig.json': '{}', 'models/jsconfig.json': '{}', 'models/deep/a.experiment.ts': '' });
    const setup = typesSetupFor(join(ws, 'models', 'deep', 'a.experiment.ts'), ws);
    assert.equal(setup.kind, 'edit');
    assert.equal(setup.kind === 'edit' && setup.configPath, join(ws, 'models', 'jsconfig.json'));
    const outside = workspace({ 'tsconfig.json': '{}', 'ws/a.experiment.ts': '' });
    assert.equal(typesSetupFor(join(outside, 'ws', 'a.experiment.ts'), join(outside, 'ws')).kind, 'create', 'a config above the workspace folder is not touched');
  });

  test('installed @tensorflow/tfjs (anywhere up the tree, as the TypeScript server resolves it): nothing to do', () => {
    const ws = workspace({ 'node_modules/@tensorflow/tfjs/package.json': '{}', 'src/a.experiment.ts': '' });
    assert.deepEqual(typesSetupFor(join(ws, 'src', 'a.experiment.ts'), join(ws, 'src')), { kind: 'installed', packageJson: join(ws, 'node_modules', '@tensorflow', 'tfjs', 'package.json') });
    assert.equal(typesSetupFor(join(ws, 'src', 'a.experiment.ts'), ws, '@tensorflow/tfjs-node').kind, 'create', 'per module');
  });
});

describe('the quick fix on the missing module', () => {
  test('answers TypeScript\'s "Cannot find module" (2307, 2792) for the tf modules LR Scope declares', () => {
    assert.equal(missingTfjsModule({ code: 2307, message: CANNOT_FIND }), '@tensorflow/tfjs');
    assert.equal(missingTfjsModule({ code: { value: 2792 }, message: "Cannot find module '@tensorflow/tfjs-node'. Did you mean to set the 'moduleResolution' option to 'nodenext'?" }), '@tensorflow/tfjs-node');
    assert.equal(missingTfjsModule({ code: 2307, message: "Cannot find module 'lodash' or its corresponding type declarations." }), undefined);
    assert.equal(missingTfjsModule({ code: 2304, message: CANNOT_FIND }), undefined);
  });

  test('is offered in experiment files only, says what it will write, and carries the file and module', () => {
    const ws = workspace({ 'a.experiment.ts': '', 'jsconfig.json': '{}' });
    const file = join(ws, 'a.experiment.ts');
    const diagnostics = [{ code: 2304, message: "Cannot find name 'x'." }, { code: 2307, message: CANNOT_FIND }];
    const [fix, ...rest] = typesFixesFor(file, true, ws, diagnostics);
    assert.equal(rest.length, 0);
    assert.equal(fix!.diagnostic, 1);
    assert.equal(fix!.title, 'LR Scope: use its TensorFlow.js types (copy LR Scope\'s TensorFlow.js declarations to .lrscope/types/tfjs.d.ts and add "paths" to jsconfig.json)');
    assert.equal(fix!.command, 'lrScope.setUpExperimentTypes');
    assert.deepEqual(fix!.arguments, [file, '@tensorflow/tfjs']);
    assert.deepEqual(typesFixesFor(join(ws, 'model.ts'), false, ws, diagnostics), [], 'not an experiment');
    assert.deepEqual(typesFixesFor(file, true, undefined, diagnostics), [], 'outside the workspace');
    const fresh = workspace({ 'b.experiment.ts': '' });
    assert.match(typesFixesFor(join(fresh, 'b.experiment.ts'), true, fresh, diagnostics)[0]!.title, /and create tsconfig\.json for the experiments\)$/);
  });
});

describe('the new experiment file', () => {
  test('its name, and the names refused with the reason', () => {
    assert.equal(experimentFileName('my-model'), 'my-model.experiment.ts');
    assert.equal(experimentFileName(' cnn.experiment.ts '), 'cnn.experiment.ts');
    assert.equal(experimentFileName('cnn.ts'), 'cnn.experiment.ts');
    const ws = workspace({ 'taken.experiment.ts': '' });
    assert.equal(invalidName('fresh', ws), undefined);
    assert.match(invalidName('taken', ws)!, /taken\.experiment\.ts already exists/);
    assert.match(invalidName('', ws)!, /A name/);
    assert.match(invalidName('a/b', ws)!, /no folders/);
    assert.match(invalidName('x.experiment.js', ws)!, /TypeScript/);
  });

  test('is the template with its own name as the model label', () => {
    const template = readFileSync(join(root, 'examples', 'template.experiment.ts'), 'utf8');
    const text = fromTemplate(template, 'cnn-small');
    assert.match(text, /^  name: 'cnn-small',$/m);
    assert.equal(text.replace("name: 'cnn-small'", "name: 'my model'"), template, 'nothing else changes');
  });
});
