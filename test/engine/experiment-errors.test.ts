/** Every mistake in an experiment module gives one clear ExperimentError naming the file and the field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentError, readRunRecord, runRangeTest } from '../../src/engine/index';

const fixtures = join(__dirname, 'fixtures');
const runsDir = mkdtempSync(join(tmpdir(), 'lrscope-errors-'));

async function failure(name: string): Promise<ExperimentError> {
  const file = join(fixtures, name);
  try {
    await runRangeTest({ experimentPath: file, backend: 'cpu', runsDir, options: { steps: 5 } });
  } catch (err) {
    assert.ok(err instanceof ExperimentError, `expected an ExperimentError, got ${String(err)}`);
    assert.ok(err.message.startsWith(file), `message should start with the file: ${err.message}`);
    return err;
  }
  assert.fail(`${name} should have failed`);
}

/** The failed run still left a valid record with status `failed` and the same message. */
async function assertFailedRecord(err: ExperimentError): Promise<void> {
  assert.ok(err.recordPath && existsSync(err.recordPath), 'a failed record was saved');
  const record = await readRunRecord(err.recordPath);
  assert.equal(record.status, 'failed');
  assert.equal(record.statusDetail, err.message);
}

const cases: Array<{ fixture: string; field: ExperimentError['field']; text: RegExp }> = [
  { fixture: 'no-default.experiment.ts', field: 'default export', text: /default export: missing/ },
  { fixture: 'model-not-layers.experiment.ts', field: 'model', text: /model\(\) must return a tf\.LayersModel.*got an object/ },
  { fixture: 'data-wrong-shape.experiment.ts', field: 'data', text: /data\(\) must return \{ train: \{ xs, ys \}/ },
  { fixture: 'ys-mismatch.experiment.ts', field: 'data', text: /data\(\)\.train\.ys has shape \[32,5\] but the model's output is \[batch,3\]/ },
  { fixture: 'unknown-loss.experiment.ts', field: 'loss', text: /loss: unknown loss 'crossEntropyPlease'/ },
  { fixture: 'unknown-optimizer.experiment.ts', field: 'optimizer', text: /optimizer: unknown optimizer 'nadam'; use one of sgd, momentum, adam/ },
  { fixture: 'batch-zero.experiment.ts', field: 'batchSize', text: /batchSize: must be a positive integer, got 0/ },
  { fixture: 'empty-data.experiment.ts', field: 'data', text: /data\(\)\.train is empty/ },
  { fixture: 'nan-data.experiment.ts', field: 'data', text: /loss is NaN at the very first step.*not a divergence/ },
  { fixture: 'model-throws.experiment.ts', field: 'model', text: /model\(\) threw: layer sizes do not add up \(from the user\)/ },
  { fixture: 'data-throws.experiment.ts', field: 'data', text: /data\(\) threw: cannot open train\.csv \(from the user\)/ },
  { fixture: 'missing-dep.experiment.ts', field: 'file', text: /cannot find module 'left-pad-that-is-not-installed'.*npm install/ },
];

for (const { fixture, field, text } of cases) {
  test(`${fixture}: ${field}`, async () => {
    const err = await failure(fixture);
    assert.equal(err.field, field);
    assert.match(err.message, text);
    await assertFailedRecord(err);
  });
}

test('a syntax error names file:line:column', async () => {
  const err = await failure('syntax-error.experiment.js');
  assert.equal(err.field, 'file');
  assert.deepEqual(err.location, { line: 4, column: 38 });
  assert.match(err.message, /syntax-error\.experiment\.js:4:38: /);
});

test('a missing file is reported as such', async () => {
  const err = await failure('does-not-exist.experiment.ts');
  assert.match(err.message, /no such file/);
});

test('bad range-test options are refused before anything runs', async () => {
  const file = join(fixtures, 'good.experiment.ts');
  await assert.rejects(
    runRangeTest({ experimentPath: file, backend: 'cpu', runsDir, options: { startLr: 1, endLr: 0.1 } }),
    (err: unknown) => err instanceof ExperimentError && err.field === 'options' && /endLr/.test(err.message),
  );
  await assert.rejects(
    runRangeTest({ experimentPath: file, backend: 'cpu', runsDir, options: { divergeFactor: 0.5 } }),
    (err: unknown) => err instanceof ExperimentError && /divergeFactor/.test(err.message),
  );
});
