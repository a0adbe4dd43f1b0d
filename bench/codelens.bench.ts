// The CodeLens provider on a 2,000-line PyTorch file (about 100 optimizers: the planner's worst
// case), one edit per document version, as the editor asks on every change: what
// `provideCodeLenses` costs now (anchors and titles; the step count waits for the insert lens to
// be resolved), what `resolveCodeLens` then costs (the planner reads the step count once per
// version), and what the provider did before (anchors and the step count on every version, in
// provideCodeLenses), measured side by side in this run on the same texts. The real provider and
// code generator run against a stand-in `vscode` module. Prints figures only; asserts no time.
// Run: npm run bench -- codelens
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { createCodegen } from '../src/codegen/index';
import { stepCountOf } from '../src/extension/insertion/planning';
import { pyFile } from './anchors.bench';

const LINES = 2_000;
const REPEATS = 15;

class Document {
  readonly uri = { scheme: 'file', fsPath: '/ws/big_train.py', toString: () => 'file:///ws/big_train.py' };
  readonly fileName = '/ws/big_train.py';
  readonly languageId = 'python';
  readonly isClosed = false;
  constructor(
    public text: string,
    public version: number,
  ) {}
  getText(): string {
    return this.text;
  }
  positionAt(offset: number): { offset: number } {
    return { offset };
  }
}

function stubVscode(): unknown {
  class EventEmitter {
    event = () => ({ dispose() {} });
    fire(): void {}
    dispose(): void {}
  }
  class CodeLens {
    command: unknown;
    constructor(
      readonly range: unknown,
      command?: unknown,
    ) {
      this.command = command;
    }
  }
  class Range {
    constructor(
      readonly start: unknown,
      readonly end: unknown,
    ) {}
  }
  return {
    EventEmitter,
    CodeLens,
    Range,
    workspace: { getConfiguration: () => ({ get: () => undefined, inspect: () => undefined }), workspaceFolders: [], onDidChangeConfiguration: () => ({ dispose() {} }) },
    languages: { registerCodeLensProvider: () => ({ dispose() {} }) },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const loader = Module as unknown as { _load: (...a: unknown[]) => unknown };
  const original = loader._load;
  const vscode = stubVscode();
  loader._load = function (request: unknown, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : original.call(this, request, ...rest);
  };
  const { LrScopeCodeLensProvider } = require('../src/extension/codelens/provider') as typeof import('../src/extension/codelens/provider');
  const codegen = await createCodegen();
  const rec = { lr: 2.8e-3, origin: 'recommended' as const, runId: 'r1', experimentPath: '/ws/digits.experiment.ts' };
  // the editor's clock, advanced by the simulated typing (a keystroke every 150 ms)
  let clock = 0;
  const provider = new LrScopeCodeLensProvider({
    latestRecommendation: async () => rec,
    onDidChangeRuns: () => ({ dispose() {} }),
    codegen: async () => codegen,
    log: { warn() {} } as never,
    now: () => clock,
  });
  const token = { isCancellationRequested: false };
  // one edit per version: a different learning rate in one of the optimizers; every text is new to the
  // parser (the old and the new path each get their own, so neither reads the other's cached tree)
  const base = pyFile(LINES);
  const at: number[] = [];
  for (let i = base.indexOf('lr=0.1'); i !== -1; i = base.indexOf('lr=0.1', i + 1)) at.push(i);
  const edit = (k: number): string => base.slice(0, at[k]! + 5) + '7' + base.slice(at[k]! + 6);
  const texts = Array.from({ length: REPEATS + 3 }, (_, k) => ({ old: edit(2 * k), now: edit(2 * k + 1) }));
  // one document whose text and version change, as VS Code's TextDocument does
  const doc = new Document(texts[0]!.now, 1);
  const document = (k: number): Document => Object.assign(doc, { text: texts[k]!.now, version: k + 1 });

  /** provideCodeLenses, then resolveCodeLens of the lenses that wait (the insert lens, on screen): ms of each and the insert lens' title. */
  const lensesOf = async (doc: Document) => {
    let t0 = performance.now();
    const lenses = await provider.provideCodeLenses(doc as never, token as never);
    const provideMs = performance.now() - t0;
    t0 = performance.now();
    const resolved = await Promise.all(lenses.map((l) => (l.command ? l : provider.resolveCodeLens(l, token as never))));
    const resolveMs = performance.now() - t0;
    const title = resolved.map((l) => (l.command as { title?: string } | undefined)?.title ?? '').find((t) => t.startsWith('Insert one-cycle')) ?? '';
    return { provideMs, resolveMs, title };
  };

  // the file is opened (its count read once), then typed in: a keystroke every 150 ms, then a pause
  const opened = await lensesOf(document(0));
  if (!/over \S.* steps\)$/.test(opened.title)) throw new Error(`bench: no step count in the lens (${opened.title})`);
  const before: number[] = [];
  const provide: number[] = [];
  const resolve: number[] = [];
  for (let k = 1; k < texts.length; k++) {
    clock += 150;
    // before: anchors and the planner's step count, every version, in provideCodeLenses
    const old = texts[k]!.old;
    const t0 = performance.now();
    const anchors = codegen.anchors({ text: old, fileName: '/ws/big_train.py' });
    const anchor = anchors.find((a) => a.kind === 'optimizer');
    const count = anchor ? stepCountOf(codegen, 'pytorch', 1e-3, anchor.framework, { text: old, fileName: '/ws/big_train.py' }) : null;
    before.push(performance.now() - t0);
    if (!count) throw new Error('bench: the planner found no step count');
    const now = await lensesOf(document(k));
    if (!now.title.includes(count.expr)) throw new Error(`bench: the lens lost its step count while typing (${now.title})`);
    if (k < 3) continue; // warm-up
    provide.push(now.provideMs);
    resolve.push(now.resolveMs);
  }
  clock += 1000;
  const pause = await lensesOf(doc);
  if (!/over \S.* steps\)$/.test(pause.title)) throw new Error(`bench: no step count after the pause (${pause.title})`);
  loader._load = original;
  provider.dispose();
  const f = (ms: number): string => `${ms.toFixed(1)} ms`;
  console.log(`CodeLens on a ${LINES}-line PyTorch file (${at.length} optimizers), a keystroke every 150 ms, median of ${provide.length}:`);
  console.log(`  before: provideCodeLenses (anchors + the planner's step count)   ${f(median(before))} per keystroke`);
  console.log(`  now:    provideCodeLenses                                       ${f(median(provide))} per keystroke`);
  console.log(`          resolveCodeLens while typing (the last count, stale)     ${f(median(resolve))} per keystroke`);
  console.log(`          resolveCodeLens after the pause (the count read again)   ${f(pause.resolveMs)} once`);
  console.log(`          on opening the file (the first read)                     ${f(opened.provideMs + opened.resolveMs)} once`);
  console.log(`  per keystroke: ${(median(before) / (median(provide) + median(resolve))).toFixed(0)}× less work in the extension host`);
}

void main();
