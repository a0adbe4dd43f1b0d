// The VS Code side of insertion against a stand-in `vscode` module: one WorkspaceEdit per
// insertion, nothing saved, "already up to date" the second time, and a refusal (no edit at all)
// when the document changes while the user is still looking at the plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodegen } from '../../src/codegen/index';
import type { InsertSchedule, InsertScheduleRequest } from '../../src/extension/insertion/insert-request';

const fixturePath = join(__dirname, '..', 'codegen', 'fixtures', 'python', 'pytorch_plain.py');

interface Offset {
  offset: number;
  with?: () => Offset;
}

class FakeDocument {
  readonly uri = { scheme: 'file', fsPath: '/ws/train.py', path: '/ws/train.py', toString: () => 'file:///ws/train.py' };
  readonly fileName = '/ws/train.py';
  readonly languageId = 'python';
  readonly isClosed = false;
  version = 1;
  saves = 0;
  constructor(public text: string) {}
  getText(): string {
    return this.text;
  }
  positionAt(offset: number): Offset {
    return { offset, with: () => ({ offset }) };
  }
}

function fakeVscode(document: FakeDocument, ui: { onConfirm?: () => void }) {
  const applied: Array<Array<{ start: number; end: number; text: string }>> = [];
  const messages: string[] = [];
  class Range {
    constructor(
      readonly start: Offset,
      readonly end: Offset,
    ) {}
  }
  class WorkspaceEdit {
    readonly replaces: Array<{ start: number; end: number; text: string }> = [];
    replace(_uri: unknown, range: Range, text: string): void {
      this.replaces.push({ start: range.start.offset, end: range.end.offset, text });
    }
  }
  const stub = {
    Range,
    WorkspaceEdit,
    ViewColumn: { Active: -1, Beside: -2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    Uri: { parse: (s: string) => ({ toString: () => s }), file: (p: string) => ({ fsPath: p, toString: () => `file://${p}` }) },
    commands: { executeCommand: async () => undefined },
    window: {
      activeTextEditor: { document },
      visibleTextEditors: [{ document, viewColumn: 1 }],
      onDidChangeActiveTextEditor: () => ({ dispose() {} }),
      showTextDocument: async () => ({ revealRange() {} }),
      showQuickPick: async <T>(items: T[]) => items[0],
      showInputBox: async (options: { value?: string }) => options.value,
      showInformationMessage: async (message: string, _options: unknown, action: string) => {
        messages.push(message);
        ui.onConfirm?.();
        return action;
      },
    },
    workspace: {
      textDocuments: [document],
      asRelativePath: (u: { fsPath: string }) => u.fsPath,
      openTextDocument: async () => document,
      applyEdit: async (edit: WorkspaceEdit) => {
        applied.push(edit.replaces);
        const sorted = [...edit.replaces].sort((a, b) => b.start - a.start);
        for (const r of sorted) document.text = document.text.slice(0, r.start) + r.text + document.text.slice(r.end);
        document.version++;
        return true;
      },
    },
  };
  return { stub, applied, messages };
}

async function withHandler(document: FakeDocument, ui: { onConfirm?: () => void }, body: (run: (r: InsertScheduleRequest) => ReturnType<InsertSchedule>, fake: ReturnType<typeof fakeVscode>) => Promise<void>) {
  const fake = fakeVscode(document, ui);
  const loader = Module as unknown as { _load: (...a: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: unknown, ...rest: unknown[]) {
    if (request === 'vscode') return fake.stub;
    return original.call(this, request, ...rest);
  };
  try {
    // A fresh copy of the modules that import vscode, bound to this test's stand-in.
    for (const key of Object.keys(require.cache)) if (key.includes(join('src', 'extension', 'insertion'))) delete require.cache[key];
    const { createInsertion } = require('../../src/extension/insertion/insert-command') as typeof import('../../src/extension/insertion/insert-command');
    const codegen = createCodegen();
    const log = { info() {}, warn() {}, error() {} } as never;
    const insertion = createInsertion({
      codegen: () => codegen,
      log,
      latestRecommendation: async () => ({ lr: 3.2e-3, origin: 'recommended' as const, runId: 'r1', experimentPath: '/x.experiment.ts' }),
      defaults: () => ({ framework: 'pytorch' as const, flavor: 'pytorch' as const }),
    });
    await body(insertion.insert, fake);
    insertion.disposable.dispose();
  } finally {
    loader._load = original;
  }
}

const lensArgs = { kind: 'lrScope.lensInsert', uri: 'file:///ws/train.py', framework: 'pytorch', anchorKind: 'optimizer', anchorName: 'optimizer', maxLr: 3.2e-3 };

test('a CodeLens insertion is one WorkspaceEdit, unsaved; clicking again is "already up to date"', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, {}, async (run, fake) => {
    const first = await run({ source: 'command', args: [lensArgs] });
    assert.equal(first?.level, 'info', first?.message);
    assert.match(first!.message, /Not saved yet/);
    assert.equal(fake.applied.length, 1, 'exactly one WorkspaceEdit (one undo step)');
    assert.ok(fake.applied[0]!.length >= 2, 'import, scheduler and scheduler.step() in the same edit');
    assert.match(document.text, /scheduler = OneCycleLR\(optimizer, max_lr=0\.0032, total_steps=total_steps\)/);
    assert.match(document.text, /scheduler\.step\(\)/);
    assert.equal(document.saves, 0);
    assert.deepEqual(fake.messages, [], 'a lens click inserts without a confirmation dialog');

    const second = await run({ source: 'command', args: [lensArgs] });
    assert.equal(second?.level, 'info');
    assert.match(second!.message, /already up to date/);
    assert.equal(fake.applied.length, 1, 'no second edit');
  });
});

test('when the document changes while the plan is being confirmed, the insertion is refused and nothing is edited', async () => {
  const original = readFileSync(fixturePath, 'utf8');
  const document = new FakeDocument(original);
  const ui = {
    onConfirm: () => {
      // The user types in the editor while the confirmation is open.
      document.text = `# edited\n${document.text}`;
      document.version++;
    },
  };
  await withHandler(document, ui, async (run, fake) => {
    const result = await run({ source: 'command', args: [] });
    assert.equal(fake.messages.length, 1, 'the palette command shows the plan before applying it');
    assert.equal(result?.level, 'error');
    assert.match(result!.message, /changed/);
    assert.equal(fake.applied.length, 0, 'no WorkspaceEdit was applied');
    assert.equal(document.text, `# edited\n${original}`);
  });
});

test('the panel path inserts its own spec into the matching editor', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, {}, async (run, fake) => {
    const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 300 } as const;
    const result = await run({ source: 'panel', spec, framework: 'pytorch' });
    assert.equal(result?.level, 'info', result?.message);
    assert.equal(fake.applied.length, 1);
    assert.match(document.text, /max_lr=0\.05/);
  });
});
