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

interface Ui {
  /** Runs while an input box is open (the user types in the editor meanwhile). */
  onInput?: () => void;
  /** The button the user clicks in the notification. */
  click?: string;
}

function fakeVscode(document: FakeDocument, ui: Ui) {
  const applied: Array<Array<{ start: number; end: number; text: string }>> = [];
  /** Notifications: text, the buttons offered, and whether any was modal. */
  const messages: Array<{ text: string; actions: string[]; modal: boolean }> = [];
  /** Titles and prompts of every question asked (input boxes and quick picks). */
  const asked: Array<{ title: string; prompt?: string; value?: string }> = [];
  const commands: string[] = [];
  const shown: Array<{ viewColumn: unknown; preserveFocus: unknown }> = [];
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
  class TabInputText {
    constructor(readonly uri: { toString(): string }) {}
  }
  const notify = async (text: string, ...rest: unknown[]) => {
    const modal = rest.some((r) => typeof r === 'object' && r !== null && (r as { modal?: boolean }).modal === true);
    const actions = rest.filter((r): r is string => typeof r === 'string');
    messages.push({ text, actions, modal });
    return ui.click !== undefined && actions.includes(ui.click) ? ui.click : undefined;
  };
  const stub = {
    Range,
    WorkspaceEdit,
    TabInputText,
    ViewColumn: { Active: -1, Beside: -2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    Uri: { parse: (s: string) => ({ toString: () => s }), file: (p: string) => ({ fsPath: p, toString: () => `file://${p}` }) },
    commands: {
      executeCommand: async (id: string) => {
        commands.push(id);
      },
    },
    window: {
      activeTextEditor: { document },
      visibleTextEditors: [{ document, viewColumn: 1 }],
      tabGroups: { all: [{ viewColumn: 1, tabs: [{ input: new TabInputText(document.uri) }] }] },
      onDidChangeActiveTextEditor: () => ({ dispose() {} }),
      showTextDocument: async (_d: unknown, options: { viewColumn?: unknown; preserveFocus?: unknown } = {}) => {
        shown.push({ viewColumn: options.viewColumn, preserveFocus: options.preserveFocus });
        return { revealRange() {} };
      },
      showQuickPick: async <T>(items: T[], options: { title: string }) => {
        asked.push({ title: options.title });
        return items[0];
      },
      showInputBox: async (options: { title: string; prompt?: string; value?: string }) => {
        asked.push({ title: options.title, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}), ...(options.value !== undefined ? { value: options.value } : {}) });
        ui.onInput?.();
        return options.value;
      },
      showInformationMessage: notify,
      showWarningMessage: notify,
      showErrorMessage: notify,
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
  return { stub, applied, messages, asked, commands, shown };
}

/** The host's latest recommendation: `own` for the file's path when given, else another model's run. */
type Latest = (path?: string) => Promise<{ lr: number; origin: 'recommended' | 'picked'; runId: string; experimentPath: string; stepsPerEpoch?: number } | undefined>;
const otherModel: Latest = async (path) => (path === undefined ? { lr: 3.2e-3, origin: 'recommended', runId: 'r1', experimentPath: '/ws/digits.experiment.ts', stepsPerEpoch: 156 } : undefined);

async function withHandler(
  document: FakeDocument,
  ui: Ui,
  body: (run: (r: InsertScheduleRequest) => ReturnType<InsertSchedule>, fake: ReturnType<typeof fakeVscode>) => Promise<void>,
  latest: Latest = otherModel,
) {
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
      latestRecommendation: latest,
      defaults: () => ({ framework: 'pytorch' as const, flavor: 'pytorch' as const }),
    });
    await body(insertion.insert, fake);
    insertion.disposable.dispose();
  } finally {
    loader._load = original;
  }
}

const lensArgs = { kind: 'lrScope.lensInsert', uri: 'file:///ws/train.py', framework: 'pytorch', anchorKind: 'optimizer', anchorName: 'optimizer', maxLr: 3.2e-3 };

test('a CodeLens insertion is one WorkspaceEdit, unsaved, with a plain notification naming the LR\'s run and model and offering Undo; again: "already up to date"', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, {}, async (run, fake) => {
    assert.equal(await run({ source: 'command', args: [lensArgs] }), undefined, 'the handler shows its own notification');
    assert.equal(fake.applied.length, 1, 'exactly one WorkspaceEdit (one undo step)');
    assert.ok(fake.applied[0]!.length >= 2, 'import, scheduler and scheduler.step() in the same edit');
    assert.match(document.text, /scheduler = OneCycleLR\(optimizer, max_lr=0\.0032, total_steps=total_steps\)/);
    assert.match(document.text, /scheduler\.step\(\)/);
    assert.equal(document.saves, 0);
    assert.deepEqual(fake.asked, [], 'a lens click asks nothing');
    assert.equal(fake.messages.length, 1);
    const [done] = fake.messages;
    assert.equal(done!.modal, false, 'never a modal dialog');
    assert.deepEqual(done!.actions, ['Undo']);
    assert.match(done!.text, /^LR Scope: Inserted a pytorch schedule into train\.py \(max_lr=3\.2e-3 from digits, run r1\): /);
    assert.match(done!.text, /Not saved yet/);

    assert.equal(await run({ source: 'command', args: [lensArgs] }), undefined);
    assert.equal(fake.applied.length, 1, 'no second edit');
    const again = fake.messages[1]!;
    assert.equal(again.modal, false);
    assert.deepEqual(again.actions, [], 'nothing to undo');
    assert.match(again.text, /already up to date/);
  });
});

test('Undo in the notification reverts the insertion in its editor (VS Code\'s own undo: one step)', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, { click: 'Undo' }, async (run, fake) => {
    await run({ source: 'command', args: [lensArgs] });
    assert.deepEqual(fake.commands, ['undo']);
    assert.deepEqual(fake.shown.at(-1), { viewColumn: 1, preserveFocus: undefined }, 'undo runs in the editor group that holds the file');
  });
});

test('Insert Schedule… on a file that says its length and framework asks only the max LR, offered rounded and named by run and model', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  const full: Latest = async (path) => (path === undefined ? { lr: 0.0028131723, origin: 'recommended', runId: 'r7', experimentPath: '/ws/digits.experiment.ts', stepsPerEpoch: 156 } : undefined);
  await withHandler(
    document,
    {},
    async (run, fake) => {
      await run({ source: 'command', args: [] });
      assert.deepEqual(fake.asked.map((a) => a.title), ['LR Scope: Insert Schedule: maximum learning rate'], 'no counter for a single question; no epochs, steps or framework');
      assert.equal(fake.asked[0]!.value, '0.0028');
      assert.equal(fake.asked[0]!.prompt, 'Recommended by run r7 of digits (not a run of train.py); edit it if you like.');
      assert.match(document.text, /max_lr=0\.0028,/);
      assert.equal(fake.messages[0]!.modal, false);
      assert.match(fake.messages[0]!.text, /\(max_lr=2\.8e-3 from digits, run r7\)/);
    },
    full,
  );
});

test('the file\'s own run is preferred over another model\'s, and named as the file\'s', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  const own: Latest = async (path) =>
    path === '/ws/train.py' ? { lr: 0.051, origin: 'picked', runId: 'own1', experimentPath: '/ws/train.py' } : { lr: 3.2e-3, origin: 'recommended', runId: 'r1', experimentPath: '/ws/digits.experiment.ts' };
  await withHandler(
    document,
    {},
    async (run, fake) => {
      await run({ source: 'command', args: [] });
      assert.equal(fake.asked[0]!.value, '0.051');
      assert.equal(fake.asked[0]!.prompt, 'Picked on the curve of run own1 of train; edit it if you like.');
      assert.match(fake.messages[0]!.text, /\(max_lr=5\.1e-2, picked on run own1 of train\)/);
    },
    own,
  );
});

test('a file that does not say how long it trains: max LR, epochs, steps per epoch, counted (1/3)…(3/3); the steps are not another model\'s', async () => {
  const text = ['import torch', 'model = torch.nn.Linear(2, 2)', 'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)', 'optimizer.step()', ''].join('\n');
  const document = new FakeDocument(text);
  await withHandler(document, {}, async (run, fake) => {
    await run({ source: 'command', args: [] });
    assert.deepEqual(fake.asked.map((a) => a.title), [
      'LR Scope: Insert Schedule (1/3): maximum learning rate',
      'LR Scope: Insert Schedule (2/3): epochs',
      'LR Scope: Insert Schedule (3/3): steps per epoch',
    ]);
    assert.equal(fake.asked[2]!.value, '100', 'digits\' 156 batches per epoch say nothing about this file');
    assert.match(document.text, /OneCycleLR|LambdaLR/);
  });
});

test('when the user types in the editor while answering, the plan is made on the text as it is then', async () => {
  const original = readFileSync(fixturePath, 'utf8');
  const document = new FakeDocument(original);
  const ui: Ui = {
    onInput: () => {
      document.text = `# edited\n${document.text}`;
      document.version++;
    },
  };
  await withHandler(document, ui, async (run, fake) => {
    await run({ source: 'command', args: [] });
    assert.equal(fake.applied.length, 1);
    assert.ok(document.text.startsWith('# edited\n'), 'the edit the user made is kept');
    assert.match(document.text, /scheduler = OneCycleLR\(optimizer, max_lr=0\.0032, total_steps=total_steps\)/);
    assert.equal(document.text.match(/OneCycleLR\(/g)!.length, 1);
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

test('from the panel: the origin it names is in the notice, and a file in a tab behind the panel is edited in place, not opened in a new group', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, {}, async (run, fake) => {
    // the script is in group 1's tabs but not visible (the panel covers it)
    (fake.stub.window as { visibleTextEditors: unknown[] }).visibleTextEditors = [];
    const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 300 } as const;
    const result = await run({ source: 'panel', spec, framework: 'pytorch', args: [{ kind: 'lrScope.lrOrigin', source: { lr: 0.05, origin: 'recommended', runId: 'r3', experimentPath: '/ws/digits.experiment.ts' } }] });
    assert.equal(fake.applied.length, 1);
    assert.match(result!.message, /^Inserted a pytorch schedule into train\.py \(max_lr=5\.0e-2 from digits, run r3\): /);
    assert.deepEqual(fake.shown, [], 'no editor is opened: no new group, the panel stays in view');
    assert.deepEqual(fake.messages, [], 'the panel shows the notice itself');
  });
});

test('"Insert This Schedule" after training inserts the schedule the run used, into its script, asking nothing', async () => {
  const document = new FakeDocument(readFileSync(fixturePath, 'utf8'));
  await withHandler(document, {}, async (run, fake) => {
    const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.02, totalSteps: 320 };
    await run({ source: 'command', args: [{ kind: 'lrScope.trainedSchedule', uri: '/ws/train.py', spec, runId: 't1' }] });
    assert.deepEqual(fake.asked, []);
    assert.match(document.text, /max_lr=0\.02, total_steps=total_steps/);
    assert.match(fake.messages[0]!.text, /\(the schedule training run t1 used\)/);
  });
});
