// CodeLens anchor detection on a 2,000-line TypeScript file and a 2,000-line Python file, as the
// editor runs it on every change: TS/JS from the tree-sitter tree (a first parse, the incremental
// reparse after a one-character edit, and an unchanged text, whose tree and anchors are kept); Python from
// the tree-sitter tree too (first parse, and the incremental reparse the editor runs).
// Wall time and CPU time (process.cpuUsage: the machine may be shared, CPU time is what the detection
// itself costs). Prints figures only; nothing here asserts a time.
// Run: npm run bench -- anchors
import { performance } from 'node:perf_hooks';
import { detectPythonAnchors, loadPythonParser, type PythonParser } from '../src/codegen/python';
import { detectTsAnchors, loadScriptParser } from '../src/codegen/typescript';

const LINES = 2_000;
/** 91 whole functions of tsFile: 2,004 lines (tsFile(2000) ends inside an unfinished call, measured apart). */
const TS_LINES = 2_004;
const REPEATS = 101;

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

/** Median and fastest wall and CPU time of `fn(i)` over REPEATS runs after five warm-up runs (i counts all runs: 0, 1, 2, …). */
function timeMs(fn: (i: number) => unknown): Omit<BenchFigure, 'name'> {
  for (let w = 0; w < 5; w++) fn(w);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(5 + r);
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

/**
 * `count` texts, each one character different from the one before (`from` and `to` differ in one
 * character): the occurrences of `from` are changed one at a time, then changed back, and so on.
 */
function oneCharEdits(text: string, from: string, to: string, count: number): string[] {
  const at: number[] = [];
  for (let i = text.indexOf(from); i !== -1; i = text.indexOf(from, i + 1)) at.push(i);
  if (at.length < 2 || from.length !== to.length) throw new Error(`bench: need several "${from}" to edit`);
  const chars = [...text];
  const diff = [...from].findIndex((c, k) => c !== to[k]);
  if ([...from].filter((c, k) => c !== to[k]).length !== 1) throw new Error('bench: the edit must change one character');
  const texts = [text];
  for (let k = 1; k < count; k++) {
    const pos = at[(k - 1) % at.length]! + diff;
    chars[pos] = chars[pos] === from[diff] ? to[diff]! : from[diff]!;
    texts.push(chars.join(''));
  }
  return texts;
}

/** Runs the benchmark, prints one line per figure (ms per file and per 1,000 lines), and returns the figures. */
export async function run(): Promise<BenchFigure[]> {
  const script = await loadScriptParser();
  const python = await loadPythonParser();
  const runs = REPEATS + 5;
  const ts = oneCharEdits(tsFile(TS_LINES), 'epochs: 5', 'epochs: 6', runs);
  const cut = oneCharEdits(tsFile(LINES), 'epochs: 5', 'epochs: 6', runs);
  const py = oneCharEdits(pyFile(LINES), 'lr=0.1', 'lr=0.2', runs);
  // A document name never seen before: its first parse (what opening a file costs).
  const firstTs = (i: number): unknown => detectTsAnchors(script, ts[i]!, `first-${i}.ts`);
  const firstPy: PythonParser = { parse: (text) => python.parse(text, `first-${text.length}-${Math.random()}`) };
  const tsAnchors = detectTsAnchors(script, ts[0]!, 'train.ts');
  const pyAnchors = detectPythonAnchors(python, py[0]!);
  if (JSON.stringify(tsAnchors) !== JSON.stringify(detectTsAnchors(script, ts[0]!, 'first.ts'))) throw new Error('incremental and first parse disagree');
  const figures: BenchFigure[] = [
    {
      name: `TS anchors (tree-sitter, incremental reparse after a one-character edit, what the editor runs), ${TS_LINES}-line file, ${tsAnchors.length} anchors`,
      ...timeMs((i) => detectTsAnchors(script, ts[i]!, 'train.ts')),
    },
    {
      name: `TS anchors (tree-sitter, first parse of the file), ${TS_LINES}-line file`,
      ...timeMs(firstTs),
    },
    {
      name: `TS anchors again on an unchanged text (the kept tree and its anchors), ${TS_LINES}-line file`,
      ...timeMs(() => detectTsAnchors(script, ts[0]!, 'unchanged.ts')),
    },
    {
      name: `TS anchors (tree-sitter, incremental reparse after a one-character edit), ${LINES}-line file ending inside an unfinished call (the whole file is an error node: its anchors are all read again)`,
      ...timeMs((i) => detectTsAnchors(script, cut[i]!, 'cut.ts')),
    },
    {
      name: `Python anchors (tree-sitter, incremental reparse after a one-character edit: what the editor runs), ${LINES}-line file, ${pyAnchors.length} anchors`,
      ...timeMs((i) => detectPythonAnchors(python, py[i]!)),
    },
    {
      name: `Python anchors (tree-sitter, first parse of the file), ${LINES}-line file`,
      ...timeMs((i) => detectPythonAnchors(firstPy, py[i]!)),
    },
  ];
  for (const f of figures) {
    console.log(`${f.name}: ${f.ms.toFixed(2)} ms per file (median of ${REPEATS}; fastest ${f.minMs.toFixed(2)}); CPU ${f.cpuMs.toFixed(2)} ms per file (least ${f.minCpuMs.toFixed(2)})`);
  }
  return figures;
}

if (require.main === module) void run();
