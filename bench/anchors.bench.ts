// CodeLens anchor detection on a 2,000-line TypeScript file (our lexer's tokens; the tokenizing
// alone by our lexer and by the TypeScript scanner, and the compiler API's syntax tree, for comparison) and a 2,000-line Python file (our tokenizer; the
// tree-sitter tree for comparison, both a first parse and an incremental reparse), as the editor
// runs it on every change. Wall time and CPU time (process.cpuUsage: the machine may be shared,
// CPU time is what the detection itself costs). Prints figures only; nothing here asserts a time.
// Run: node --import tsx bench/anchors.bench.ts
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
// `import = require` as in parser.ts: web-tree-sitter's CommonJS build.
import TreeSitter = require('web-tree-sitter');
import { detectPythonAnchors, loadPythonParser, type PythonParser } from '../src/codegen/python';
import { detectTsAnchors } from '../src/codegen/typescript';
import { detectTsAnchorsFromTree } from '../src/codegen/typescript/anchors';
import { lex } from '../src/codegen/typescript/lexer';
import { tokenize } from '../src/codegen/typescript/tokens';

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

/** Median and fastest wall and CPU time of `fn(i)` over REPEATS runs after five warm-up runs. */
function timeMs(fn: (i: number) => unknown): Omit<BenchFigure, 'name'> {
  for (let w = 0; w < 5; w++) fn(w);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(r);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[REPEATS >> 1]!;
  return { ms: median(wall), minMs: Math.min(...wall), cpuMs: median(cpu), minCpuMs: Math.min(...cpu) };
}

export interface BenchFigure {
  name: string;
  /** Median wall time. */
  ms: number;
  /** Fastest run (the machine's noise floor aside). */
  minMs: number;
  /** Median CPU time (user + system) of a run. */
  cpuMs: number;
  /** Least CPU time of a run. */
  minCpuMs: number;
}

/** A PythonParser that parses every text from scratch (the first parse of a file the editor just opened). */
async function firstParseParser(): Promise<PythonParser> {
  await loadPythonParser(); // initialises the tree-sitter runtime
  const language = await TreeSitter.Language.load(join(__dirname, '..', 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  let last: TreeSitter.Tree | null = null;
  return {
    parse(text: string): TreeSitter.Tree {
      last?.delete();
      last = parser.parse(text);
      if (!last) throw new Error('tree-sitter returned no tree');
      return last;
    },
  };
}

/** Runs the benchmark, prints one line per figure (ms per file and per 1,000 lines), and returns the figures. */
export async function run(): Promise<BenchFigure[]> {
  const incremental = await loadPythonParser();
  const fresh = await firstParseParser();
  // Every run sees a slightly different text, as after a keystroke (the incremental parser reuses its last tree).
  const variants = (text: string, edits: [string, string][]): string[] => [text, ...edits.map(([a, b]) => text.replace(a, b))];
  const ts = variants(tsFile(LINES), [["'relu'", "'elu'"], ['1e-3', '1e-4']]);
  const py = variants(pyFile(LINES), [['lr=0.1', 'lr=0.2'], ['momentum=0.9', 'momentum=0.8']]);
  for (const list of [ts, py]) if (new Set(list).size !== list.length) throw new Error('bench variants must differ');
  const tsAnchors = detectTsAnchors(ts[0]!, 'train.ts').length;
  const pyAnchors = detectPythonAnchors(fresh, py[0]!);
  const figures: BenchFigure[] = [
    {
      name: `TS anchors (our lexer's tokens, what the editor runs), ${LINES}-line file, ${tsAnchors} anchors`,
      ...timeMs((i) => detectTsAnchors(ts[i % ts.length]!, 'train.ts')),
    },
    {
      name: `TS tokens only (our lexer), ${LINES}-line file`,
      ...timeMs((i) => lex(ts[i % ts.length]!)),
    },
    {
      name: `TS tokens only (TypeScript scanner, the same tokens, for comparison), ${LINES}-line file`,
      ...timeMs((i) => tokenize(ts[i % ts.length]!)),
    },
    {
      name: `TS anchors (full syntax tree, for comparison), ${LINES}-line file`,
      ...timeMs((i) => detectTsAnchorsFromTree(ts[i % ts.length]!, 'train.ts')),
    },
    {
      name: `Python anchors (tree-sitter, first parse of the file), ${LINES}-line file, ${pyAnchors.length} anchors`,
      ...timeMs((i) => detectPythonAnchors(fresh, py[i % py.length]!)),
    },
    {
      name: `Python anchors (tree-sitter, incremental reparse after an edit: what the editor runs per keystroke), ${LINES}-line file`,
      ...timeMs((i) => detectPythonAnchors(incremental, py[i % py.length]!)),
    },
  ];
  const per1k = (ms: number): string => ((ms * 1000) / LINES).toFixed(2);
  for (const f of figures) {
    console.log(
      `${f.name}: ${f.ms.toFixed(2)} ms per file (median of ${REPEATS}; fastest ${f.minMs.toFixed(2)}), ` +
        `${per1k(f.ms)} ms per 1,000 lines (fastest ${per1k(f.minMs)}); CPU ${f.cpuMs.toFixed(2)} ms per file (least ${f.minCpuMs.toFixed(2)})`,
    );
  }
  return figures;
}

if (require.main === module) void run();
