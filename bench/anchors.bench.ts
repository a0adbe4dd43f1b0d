// CodeLens anchor detection on a 2,000-line TypeScript file (TypeScript compiler API) and a
// 2,000-line Python file (tree-sitter), as the editor runs it on every change. Prints figures
// only; nothing here asserts a time.
import { performance } from 'node:perf_hooks';
import { detectPythonAnchors, loadPythonParser } from '../src/core/codegen/python';
import { detectTsAnchors } from '../src/core/codegen/typescript';
import { detectTsAnchorsFromTree } from '../src/core/codegen/typescript/anchors';

const LINES = 2_000;
const REPEATS = 31;

/** A realistic TF.js training script, repeated (with fresh names) up to `lines` lines. */
export function tsFile(lines: number): string {
  const out: string[] = [`import * as tf from '@tensorflow/tfjs';`, ''];
  for (let k = 0; out.length < lines; k++) {
    out.push(
      `/** Builds and trains model ${k}; model.fit(xs, ys) in this comment is not a call. */`,
      `export async function train${k}(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {`,
      `  const model${k} = tf.sequential();`,
      `  model${k}.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }));`,
      `  model${k}.add(tf.layers.dropout({ rate: 0.2 }));`,
      `  model${k}.add(tf.layers.dense({ units: 10, activation: 'softmax' }));`,
      `  const optimizer${k} = tf.train.adam(1e-3);`,
      `  model${k}.compile({`,
      `    optimizer: optimizer${k},`,
      `    loss: 'categoricalCrossentropy',`,
      `    metrics: ['accuracy'],`,
      `  });`,
      `  const label = \`model ${k}: \${'model.fit(a, b)'}\`;`,
      `  console.log(label);`,
      `  return model${k}.fit(xs, ys, {`,
      `    batchSize: 64,`,
      `    epochs: 5,`,
      `    validationSplit: 0.1,`,
      `    callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_loss' })],`,
      `  });`,
      `}`,
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** A realistic PyTorch training script, repeated (with fresh names) up to `lines` lines. */
export function pyFile(lines: number): string {
  const out: string[] = ['import torch', 'from torch import nn', ''];
  for (let k = 0; out.length < lines; k++) {
    out.push(
      `def train_${k}(loader, epochs=5):`,
      `    """Trains model ${k}; optimizer = torch.optim.SGD(...) here is not code."""`,
      `    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))`,
      `    optimizer = torch.optim.SGD(`,
      `        model.parameters(),`,
      `        lr=0.1,`,
      `        momentum=0.9,`,
      `    )`,
      `    loss_fn = nn.CrossEntropyLoss()`,
      `    for epoch in range(epochs):`,
      `        for x, y in loader:`,
      `            optimizer.zero_grad()`,
      `            loss = loss_fn(model(x), y)  # optimizer.step() in a comment`,
      `            loss.backward()`,
      `            optimizer.step()`,
      `    return model`,
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** Median and fastest time of `fn(i)` over REPEATS runs after five warm-up runs. */
function timeMs(fn: (i: number) => unknown): { ms: number; minMs: number } {
  for (let w = 0; w < 5; w++) fn(w);
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn(r);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[REPEATS >> 1]!, minMs: times[0]! };
}

export interface BenchFigure {
  name: string;
  /** Median. */
  ms: number;
  /** Fastest run (the machine's noise floor aside). */
  minMs: number;
}

/** Runs the benchmark, prints one line per figure (ms per file and per 1,000 lines), and returns the figures. */
export async function run(): Promise<BenchFigure[]> {
  const parser = await loadPythonParser();
  // Every run sees a slightly different text, as after a keystroke (the Python parser reuses its last tree).
  const variants = (text: string, edits: [string, string][]): string[] => [text, ...edits.map(([a, b]) => text.replace(a, b))];
  const ts = variants(tsFile(LINES), [["'relu'", "'elu'"], ['1e-3', '1e-4']]);
  const py = variants(pyFile(LINES), [['lr=0.1', 'lr=0.2'], ['momentum=0.9', 'momentum=0.8']]);
  for (const list of [ts, py]) if (new Set(list).size !== list.length) throw new Error('bench variants must differ');
  const tsAnchors = detectTsAnchors(ts[0]!, 'train.ts').length;
  const pyAnchors = detectPythonAnchors(parser, py[0]!).length;
  const figures: BenchFigure[] = [
    {
      name: `TS anchors (scanner tokens), ${LINES}-line file, ${tsAnchors} anchors`,
      ...timeMs((i) => detectTsAnchors(ts[i % ts.length]!, 'train.ts')),
    },
    {
      name: `TS anchors (full syntax tree, for comparison), ${LINES}-line file`,
      ...timeMs((i) => detectTsAnchorsFromTree(ts[i % ts.length]!, 'train.ts')),
    },
    {
      name: `Python anchors (tree-sitter, incremental), ${LINES}-line file, ${pyAnchors} anchors`,
      ...timeMs((i) => detectPythonAnchors(parser, py[i % py.length]!)),
    },
  ];
  for (const f of figures) {
    const per1k = (ms: number): string => ((ms * 1000) / LINES).toFixed(2);
    console.log(
      `${f.name}: ${f.ms.toFixed(2)} ms per file (median of ${REPEATS}; fastest ${f.minMs.toFixed(2)}), ${per1k(f.ms)} ms per 1,000 lines (fastest ${per1k(f.minMs)})`,
    );
  }
  return figures;
}

if (require.main === module) void run();
