// The insert lens' step count: read once per version, kept (stale) while the user types, read
// again once the document was left alone; the clock is the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepCounts } from '../../src/extension/codelens/step-counts';

test('read once per version; not while typing; again after the idle time', () => {
  const counts = new StepCounts<object>(800);
  const doc = {};
  let reads = 0;
  const compute = (value: string) => () => {
    reads++;
    return value;
  };
  assert.equal(counts.known(doc, 1), undefined);
  // nothing read yet: read at once, whatever the clock
  assert.deepEqual(counts.read(doc, 1, 0, compute('epochs * len(loader)')), { value: 'epochs * len(loader)', stale: false });
  assert.deepEqual(counts.known(doc, 1), { value: 'epochs * len(loader)' });
  assert.deepEqual(counts.read(doc, 1, 10, compute('x')), { value: 'epochs * len(loader)', stale: false });
  assert.equal(reads, 1, 'the same version is not read twice');
  // typing: versions 2..5 come 100 ms apart, each shows the last count read, stale, and reads nothing
  for (let v = 2; v <= 5; v++) {
    counts.seen(doc, v, 1000 + v * 100);
    assert.deepEqual(counts.read(doc, v, 1000 + v * 100 + 5, compute('y')), { value: 'epochs * len(loader)', stale: true });
  }
  assert.equal(reads, 1);
  // left alone for the idle time: version 5 is read
  assert.deepEqual(counts.read(doc, 5, 1500 + 800, compute('n_epochs * len(loader)')), { value: 'n_epochs * len(loader)', stale: false });
  assert.equal(reads, 2);
  // a file without a count is remembered as such
  const other = {};
  assert.deepEqual(counts.read(other, 1, 0, () => undefined), { value: undefined, stale: false });
  assert.deepEqual(counts.known(other, 1), { value: undefined });
});
