/**
 * Python CodeLens anchors, read from the tree-sitter syntax tree (the one Python reader): expectations on
 * tricky code, on the fixtures, on generated 2,000-line files and on seeded random concatenations of fixture
 * fragments; an incrementally re-parsed file gives the anchors of a fresh parse.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pyFile } from '../../bench/anchors.bench';
import { detectPythonAnchors, loadPythonParser, type PythonParser } from '../../src/codegen/python/index';
import type { Anchor } from '../../src/codegen/types';
import { FIXTURES, fixture, getParser, pythonParseErrors } from './python-helpers';

let parser: PythonParser;
before(async () => {
  parser = await getParser();
});

const lines = (...l: string[]): string => l.join('\n') + '\n';
const brief = (anchors: Anchor[]): string[] =>
  anchors.map((a) => `${a.kind}:${a.framework}:${a.name}@${a.line}${a.maxLr !== undefined ? `:${a.maxLr}` : ''}`);

/** The anchors, after checking that a fresh parser (no incremental state) gives the same. */
let fresh: PythonParser | undefined;
async function freshParser(): Promise<PythonParser> {
  fresh ??= await loadPythonParser();
  return fresh;
}
function scanned(text: string, what = JSON.stringify(text.slice(0, 60))): Anchor[] {
  const anchors = detectPythonAnchors(parser, text);
  for (const a of anchors) assert.ok(a.start >= 0 && a.start <= a.end && a.end <= text.length, what);
  return anchors;
}

function fixtureNames(): string[] {
  const top = readdirSync(FIXTURES).filter((f) => f.endsWith('.py'));
  const expected = readdirSync(join(FIXTURES, 'expected')).map((f) => join('expected', f));
  return [...top, ...expected].sort();
}

/** Tricky code, with the anchors it must give (null: just no crash and anchors inside the text). */
const TRICKY: { name: string; text: string; expect: string[] | null }[] = [
  {
    name: 'anchor-looking text in comments and every string form',
    text: lines(
      'import torch',
      '# optimizer = torch.optim.SGD(params, lr=0.1)',
      `a = 'torch.optim.SGD(p)'; b = "OneCycleLR(o, max_lr=1)"  # learn.fit(1)`,
      `c = r'\\'torch.optim.SGD(p)' + b'SGD(x)' + rb"SGD(y)" + Br'\\\\' + u'fit(x)' + R"x.fit(y)"`,
      `d = 'it\\'s torch.optim.SGD(p)' + "a\\"torch.optim.SGD(p)\\""`,
      `e = 'line \\`,
      `continued torch.optim.SGD(p)'`,
      `doc = """`,
      `scheduler = OneCycleLR(optimizer, max_lr=1.0, total_steps=10)`,
      `'''`,
      `"""`,
      `f = f'{{torch.optim.SGD(q)}} \\N{EN DASH} torch.optim.SGD(p)'`,
      `g = f'''`,
      `# not a comment: torch.optim.Adam(p)`,
      `'''`,
      'opt = torch.optim.SGD(p)',
    ),
    expect: ['optimizer:pytorch:opt@15'],
  },
  {
    name: 'calls inside f-string replacement fields (tree-sitter reads them as code)',
    text: lines(
      'import torch',
      `x = f"{torch.optim.SGD(p)!r:>{w}}" + f'{d["k"]}{torch.optim.Adam(q)}'`,
      `y = f"{'torch.optim.SGD(p)'} {f'{optim.AdamW(r)}'} {OneCycleLR(o, max_lr=0.5)=}"`,
      `z = rf'\\{torch.optim.RMSprop(p)}' + f'{x:{OneCycleLR(o, 0.1)}}' + f'{(lambda: optim.SGD(p))()}'`,
      `w = f"""`,
      `{optim.SGD(p,`,
      `  lr=1)}`,
      `"""`,
    ),
    expect: [
      'optimizer:pytorch:SGD@1',
      'optimizer:pytorch:Adam@1',
      'optimizer:pytorch:AdamW@2',
      'scheduler:pytorch:OneCycleLR@2:0.5',
      'optimizer:pytorch:RMSprop@3',
      'scheduler:pytorch:OneCycleLR@3:0.1',
      'optimizer:pytorch:SGD@3',
      'optimizer:pytorch:SGD@5',
    ],
  },
  {
    // A callee split over lines (`torch\n.optim\n.Adam`) is not recognised: the rules read the callee's text.
    name: 'calls spanning lines with comments (and brackets in comments) inside',
    text: lines(
      'import torch',
      'optimizer = torch.optim.SGD(  # comment (',
      '    model.parameters(),  # SGD(',
      '    lr=0.1,  # )',
      ')',
      'sched = torch.optim.lr_scheduler.OneCycleLR(',
      '    optimizer,  # first',
      '    # max_lr=5,',
      '    max_lr=2e-3,',
      '    total_steps=1000)',
      'x = (torch',
      '     .optim',
      '     .Adam(p))',
      'opt4 = (torch.optim.SGD',
      '   (p))',
    ),
    expect: ['optimizer:pytorch:optimizer@1', 'scheduler:pytorch:OneCycleLR@5:0.002', 'optimizer:pytorch:SGD@13'],
  },
  {
    // Nor are a callee broken by a backslash or a `(` on the next line after a backslash (the tree detector's pattern).
    name: 'backslash continuations',
    text: lines(
      'import torch',
      'opt = \\',
      '    torch.optim.SGD(p)',
      'opt2 = torch.optim.SGD(p) \\',
      '    ; q = 1',
      'y = torch.\\',
      'optim.SGD(p)',
      'sched = OneCycleLR(opt, \\',
      '    max_lr=0.3)',
      'nope = torch.optim.SGD \\',
      '    (p)',
    ),
    expect: ['optimizer:pytorch:opt@2', 'optimizer:pytorch:opt2@3', 'scheduler:pytorch:OneCycleLR@7:0.3'],
  },
  {
    name: 'decorators, nested defs and classes, configure_optimizers ends',
    text: lines(
      'import torch',
      '@torch.optim.SGD(p)',
      'def f(): pass',
      '@decorate(torch.optim.Adam(q))',
      'class A:',
      '    def configure_optimizers(self):',
      '        def inner():',
      '            return torch.optim.SGD(p)',
      '        class B:',
      '            o = torch.optim.SGD(p)',
      '        return inner()',
      '        # kept in the definition',
      '    # not kept',
      '    def other(self, o=torch.optim.SGD(p)):',
      '        return torch.optim.SGD(p)',
      'def configure_optimizers(self, o=torch.optim.SGD(p)) -> torch.optim.Adam(q):',
      '    pass',
      '@dec(torch.optim.SGD(p))',
      'async def configure_optimizers(self): return torch.optim.SGD(p)  # same line',
      'def configure_optimizers2(self): pass',
      'def \\',
      '  configure_optimizers(self): pass',
    ),
    expect: [
      'optimizer:pytorch:SGD@1',
      'optimizer:pytorch:Adam@3',
      'configure-optimizers:lightning:configure_optimizers@5',
      'optimizer:pytorch:SGD@7',
      'optimizer:lightning:o@9',
      'optimizer:pytorch:SGD@13',
      'optimizer:pytorch:SGD@14',
      'configure-optimizers:lightning:configure_optimizers@15',
      'optimizer:lightning:SGD@15',
      'optimizer:lightning:Adam@15',
      'optimizer:pytorch:SGD@17',
      'configure-optimizers:lightning:configure_optimizers@18',
      'optimizer:lightning:SGD@18',
    ],
  },
  {
    name: 'trailing comments of a definition: same line, deeper, shallower, after blank lines, at the end of the file',
    text: lines(
      'import lightning',
      'class M:',
      '    def configure_optimizers(self):',
      '        if x:',
      '            return opt  # same line',
      '                # deeper',
      '',
      '        # body level',
      '      # shallower: ends it',
      '        # no longer',
      '    def x(self): pass',
      'def configure_optimizers(self):',
      '    return 1',
      '    # last',
    ),
    expect: ['configure-optimizers:lightning:configure_optimizers@2', 'configure-optimizers:lightning:configure_optimizers@11'],
  },
  {
    name: 'unicode identifiers',
    text: lines(
      'import torch',
      'modèle = Net()',
      'optimiseur = torch.optim.SGD(modèle.parameters(), lr=0.1)',
      'éSGD(p)',
      'SGDé(p)',
      'xé.SGD(p)',
      '𝑥 = torch.optim.Adam(𝑥)',
      'λ_opt = optim.AdamW(p)',
    ),
    expect: ['optimizer:pytorch:optimiseur@2', 'optimizer:pytorch:𝑥@6', 'optimizer:pytorch:λ_opt@7'],
  },
  {
    name: 'CRLF line ends and tabs',
    text: [
      'import lightning',
      'from torch import optim',
      '',
      'def configure_optimizers(self):',
      '\topt = optim.SGD(p,',
      '\t\tlr=0.1)  # c',
      '\treturn opt',
      '\t# trailing',
      '',
      'x = OneCycleLR(opt, max_lr=1e-1,\ttotal_steps=3)',
      '',
    ].join('\r\n'),
    expect: ['configure-optimizers:lightning:configure_optimizers@3', 'optimizer:lightning:opt@4', 'scheduler:lightning:OneCycleLR@9:0.1'],
  },
  {
    name: 'backslash line ends inside strings, CRLF too',
    text: [
      'import torch',
      `a = 'abc\\`,
      `torch.optim.SGD(p)' + r'raw \\`,
      `torch.optim.SGD(p)' + f'fmt \\`,
      `torch.optim.SGD(p)' + rf'both \\`,
      `torch.optim.SGD(p)' + rf'\\\\{torch.optim.Adam(q)}' + rf"\\"{optim.AdamW(q)}"`,
      'opt = torch.optim.SGD(p)',
      '',
    ].join('\r\n'),
    expect: ['optimizer:pytorch:Adam@5', 'optimizer:pytorch:AdamW@5', 'optimizer:pytorch:opt@6'],
  },
  {
    name: 'assignment targets',
    text: lines(
      'import torch',
      'opt: torch.optim.Optimizer = torch.optim.SGD(p)',
      'self.opt = torch.optim.SGD(p)',
      'a = b = torch.optim.SGD(p)',
      'a, b = torch.optim.SGD(p), 1',
      'd[0] = torch.optim.SGD(p)',
      'e = torch.optim.SGD(p) if x else None',
      'f = (torch.optim.SGD(p))',
      'g += torch.optim.SGD(p)',
      'h = torch.optim.SGD(p); i = torch.optim.SGD(q)',
      'if x: j = torch.optim.SGD(p)',
      'else: k = torch.optim.SGD(p)',
      'n = lambda: torch.optim.SGD(p)',
      'o = lambda lr=torch.optim.SGD(p): 1',
      'f(opt=torch.optim.SGD(p))',
      'q = torch.optim.SGD(p).step',
      's: int = t = torch.optim.SGD(p)',
      'class A: u = torch.optim.SGD(p)',
      'type Z = torch.optim.SGD(p)',
    ),
    expect: [
      'optimizer:pytorch:opt@1',
      'optimizer:pytorch:self.opt@2',
      'optimizer:pytorch:b@3',
      'optimizer:pytorch:SGD@4',
      'optimizer:pytorch:d[0]@5',
      'optimizer:pytorch:SGD@6',
      'optimizer:pytorch:SGD@7',
      'optimizer:pytorch:SGD@8',
      'optimizer:pytorch:h@9',
      'optimizer:pytorch:i@9',
      'optimizer:pytorch:j@10',
      'optimizer:pytorch:k@11',
      'optimizer:pytorch:SGD@12',
      'optimizer:pytorch:SGD@13',
      'optimizer:pytorch:SGD@14',
      'optimizer:pytorch:SGD@15',
      'optimizer:pytorch:t@16',
      'optimizer:pytorch:u@17',
      'optimizer:pytorch:SGD@18',
    ],
  },
  {
    name: 'literal max LRs',
    text: lines(
      'import torch',
      's1 = OneCycleLR(opt, max_lr=-1e-3)',
      's2 = OneCycleLR(opt, 0.5)',
      's3 = OneCycleLR(opt, *a, 0.25)',
      's4 = OneCycleLR(opt, max_lr=(0.1))',
      's5 = OneCycleLR(opt, max_lr=+0.1)',
      's6 = OneCycleLR(opt, max_lr=- - 1_000)',
      's7 = OneCycleLR(opt, max_lr=0x10)',
      's8 = OneCycleLR(opt, max_lr=1j)',
      's9 = CyclicLR(opt, base_lr=0.1, max_lr=.5)',
      's10 = OneCycleLR(opt, **kw, max_lr=1.)',
      's11 = OneCycleLR(opt, max_lr=1e-3, max_lr=2)',
      's12 = OneCycleLR(opt, -0.0)',
      's13 = OneCycleLR(opt, max_lr=-1 * 2)',
      's14 = OneCycleLR(opt,',
      '  # max_lr=3',
      '  max_lr=4  # 5',
      '  ,)',
    ),
    expect: [
      'scheduler:pytorch:OneCycleLR@1:-0.001',
      'scheduler:pytorch:OneCycleLR@2:0.5',
      'scheduler:pytorch:OneCycleLR@3:0.25',
      'scheduler:pytorch:OneCycleLR@4',
      'scheduler:pytorch:OneCycleLR@5',
      'scheduler:pytorch:OneCycleLR@6:1000',
      'scheduler:pytorch:OneCycleLR@7:16',
      'scheduler:pytorch:OneCycleLR@8',
      'scheduler:pytorch:CyclicLR@9:0.5',
      'scheduler:pytorch:OneCycleLR@10:1',
      'scheduler:pytorch:OneCycleLR@11:0.001',
      'scheduler:pytorch:OneCycleLR@12:0',
      'scheduler:pytorch:OneCycleLR@13',
      'scheduler:pytorch:OneCycleLR@14:4',
    ],
  },
  {
    name: 'optax, keras and fastai call shapes',
    text: lines(
      'import optax',
      'sched = optax.cosine_onecycle_schedule(1000, 0.1)',
      's2 = optax.linear_onecycle_schedule(transition_steps=1000, peak_value=3e-2)',
      'tx = optax.adam(learning_rate=sched)',
      'tx2 = optax.contrib.sgd(1)',
      'model.fit(x)',
    ),
    expect: [
      'scheduler:optax:cosine_onecycle_schedule@1:0.1',
      'scheduler:optax:linear_onecycle_schedule@2:0.03',
      'optimizer:optax:tx@3',
      'optimizer:optax:tx2@4',
      'fit:optax:model@5',
    ],
  },
  {
    // Imports count where the keyword starts its line (indented too), so not after `;`, and never in strings.
    name: 'imports that count and that do not',
    text: lines(
      'x = 1; import lightning',
      's = """',
      'import fastai',
      '"""',
      'from . import keras',
      'if TYPE_CHECKING:',
      '    from tensorflow import (',
      '        keras,  # comment',
      '    )',
      'opt = SGD(p)',
      'trainer.fit(m)',
      'model.fit(x)',
    ),
    expect: ['optimizer:keras:opt@9', 'fit:lightning:trainer@10', 'fit:keras:model@11'],
  },
  {
    name: 'keras imports, bare optimizer names',
    text: lines('from tensorflow import keras', 'opt = SGD(0.1)', 'opt2 = keras.optimizers.Adam(1e-3)', 'model.fit(x, y)', 'model.fit_one_cycle(1)'),
    expect: ['optimizer:keras:opt@1', 'optimizer:keras:opt2@2', 'fit:keras:model@3', 'fit:fastai:model@4'],
  },
  {
    name: 'match statements: class patterns are no calls, guards and bodies hold calls',
    text: lines(
      'import torch',
      'match cmd:',
      '    case SGD(lr=x) if torch.optim.SGD(p):',
      '        opt = torch.optim.SGD(p)',
      '    case [torch.optim.Adam(q)]: o2 = torch.optim.SGD(p)',
      'case = torch.optim.SGD(p)',
      'match = torch.optim.SGD(p)',
      'match(torch.optim.SGD(p))',
    ),
    expect: [
      'optimizer:pytorch:SGD@2',
      'optimizer:pytorch:opt@3',
      'optimizer:pytorch:o2@4',
      'optimizer:pytorch:case@5',
      'optimizer:pytorch:match@6',
      'optimizer:pytorch:SGD@7',
    ],
  },
  {
    name: 'receivers that are no dotted names, and look-alike definitions',
    text: lines(
      'import torch',
      'None.fit(x)',
      "'abc'.fit(x)",
      'x[0].fit(y)',
      'f().fit(y)',
      '(a).fit(y)',
      'print(model.fit(x))',
      'not self.trainer.fit(x)',
      'def fit(self, x): pass',
      'class SGD(Optimizer): pass',
      'y = a[...].fit(z); o = torch.optim.SGD(...)',
    ),
    expect: ['fit:pytorch:model@6', 'fit:lightning:self.trainer@7', 'optimizer:pytorch:o@10'],
  },
  {
    name: 'a name ending a line and a `(` starting the next are no call',
    text: ['from torch.optim.lr_scheduler import LambdaLR', '', '(a) = torch.optim.SGD(p)', 'x = [OneCycleLR', '  (o, max_lr=0.5)]', ''].join('\r\n'),
    expect: ['optimizer:pytorch:(a)@2', 'scheduler:pytorch:OneCycleLR@3:0.5'],
  },
  {
    name: 'no final newline, form feeds, a byte order mark',
    text: '\ufeffimport torch\n\f\ndef f():\n  x = 1\n\f  y = torch.optim.SGD(p)\nopt = torch.optim.SGD(p)',
    expect: ['optimizer:pytorch:y@4', 'optimizer:pytorch:opt@5'],
  },
];


describe('Python anchors', () => {
  it('on every fixture (inputs and expected outputs), the same with a fresh parser', async () => {
    const names = fixtureNames();
    assert.ok(names.length >= 20);
    const other = await freshParser();
    let total = 0;
    for (const name of names) {
      const anchors = scanned(fixture(name), name);
      assert.deepStrictEqual(anchors, detectPythonAnchors(other, fixture(name)), name);
      total += anchors.length;
    }
    assert.ok(total >= 30, `${total} anchors`);
  });

  it('keeps the anchors the existing tests expect', () => {
    assert.deepEqual(brief(scanned(fixture('lightning_module.py'))), [
      'configure-optimizers:lightning:configure_optimizers@18',
      'optimizer:lightning:optimizer@19',
      'fit:lightning:trainer@25',
    ]);
    assert.deepEqual(brief(scanned(fixture('pytorch_existing_onecycle.py'))), ['optimizer:pytorch:optimizer@6', 'scheduler:pytorch:OneCycleLR@7:0.3']);
  });

  it('on generated 2,000-line files', () => {
    const bench = pyFile(2000);
    assert.equal(bench.split('\n').length, 2001);
    assert.ok(scanned(bench, 'bench file').length > 100);
    const mixed = generatedFile(2000);
    assert.ok(mixed.split('\n').length >= 2000);
    assert.ok(scanned(mixed, 'mixed file').length > 100);
  });

  for (const c of TRICKY) {
    it(c.name, () => {
      const anchors = scanned(c.text, c.name);
      if (c.expect) assert.deepEqual(brief(anchors), c.expect);
    });
  }

  it('on seeded random concatenations of fixture fragments, some nested in blocks', async () => {
    const pool = fragments();
    assert.ok(pool.length > 100, `${pool.length} fragments`);
    const random = mulberry32(20261128);
    const files: string[] = [];
    for (let f = 0; f < 60; f++) {
      const parts: string[] = [];
      const count = 3 + Math.floor(random() * 25);
      for (let k = 0; k < count; k++) {
        const fragment = pool[Math.floor(random() * pool.length)]!;
        const r = random();
        parts.push(r < 0.6 ? fragment : nested(fragment, r < 0.75 ? 'def configure_optimizers(self):' : r < 0.9 ? 'class Wrapper:' : 'if True:'));
      }
      files.push(parts.join(''));
    }
    assert.deepEqual(pythonParseErrors(files), files.map(() => null));
    const other = await freshParser();
    let anchors = 0;
    files.forEach((text, f) => {
      const found = scanned(text, `random file ${f}`);
      assert.deepStrictEqual(found, detectPythonAnchors(other, text), `random file ${f}`);
      anchors += found.length;
    });
    assert.ok(anchors > 200, `${anchors} anchors`);
  });

  it('after each of 300 seeded random edits of one document, the incremental anchors equal a fresh parse', async () => {
    const other = await freshParser();
    const random = mulberry32(4242);
    const pieces = ['optimizer = torch.optim.SGD(p, lr=0.1)\n', 'OneCycleLR(o, max_lr=0.3)', 'import lightning\n', 'def configure_optimizers(self):\n    pass\n', '#', '"', '(', ')', '\n', '    ', 'x', 'model.fit(x)\n', 'from tensorflow import keras\n'];
    let text = generatedFile(600);
    for (let k = 0; k < 300; k++) {
      const at = Math.floor(random() * (text.length + 1));
      const r = random();
      if (r < 0.5) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 40)));
      const incremental = detectPythonAnchors(parser, text, 'edited.py');
      assert.deepStrictEqual(incremental, detectPythonAnchors(other, text, `fresh-${k}.py`), `edit ${k}`);
    }
  });

  it('never throws on text that is not Python, and keeps anchors inside the text', () => {
    const random = mulberry32(7);
    const alphabet = ['torch.optim.SGD(', 'OneCycleLR(o, max_lr=1', ')', '(', '"', "'", '"""', "f'{", '}', '#', '\n', '\\', ' ', '\t', 'def ', 'configure_optimizers', ':', '=', 'import lightning\n', 'x'];
    for (let k = 0; k < 300; k++) {
      let text = '';
      for (let j = 0; j < 40; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      scanned(text, JSON.stringify(text));
    }
  });
});

/** A training script of every framework, repeated with fresh names up to `count` lines. */
function generatedFile(count: number): string {
  const pool = fragments();
  const out: string[] = ['import torch', 'import optax', 'from tensorflow import keras', ''];
  for (let k = 0; out.length < count; k++) out.push(...pool[k % pool.length]!.replace(/\r/g, '').split('\n'));
  return out.join('\n');
}

let pool: string[] | undefined;
/**
 * The top-level statements of every fixture and of the tricky cases, each with the comments and blank lines after
 * it; only those the installed Python parses (it may predate `type X = …`).
 */
function fragments(): string[] {
  if (pool) return pool;
  const texts = [...fixtureNames().map((n) => fixture(n)), ...TRICKY.map((c) => c.text)];
  const pieces: string[] = [];
  for (const text of texts) {
    const root = parser.parse(text).rootNode;
    const starts = root.namedChildren.map((c) => text.lastIndexOf('\n', c!.startIndex - 1) + 1);
    for (let k = 0; k < starts.length; k++) {
      let piece = text.slice(starts[k], starts[k + 1] ?? text.length);
      if (!piece.endsWith('\n')) piece += '\n';
      pieces.push(piece);
    }
  }
  const errors = pythonParseErrors(pieces);
  pool = pieces.filter((_, k) => errors[k] === null);
  return pool;
}

/** `fragment` as the body of a block opened by `header` (indented with a tab when the fragment uses tabs). */
function nested(fragment: string, header: string): string {
  if (fragment.includes('\f')) return fragment; // a form feed inside indentation has no defined meaning
  const unit = /^\t/m.test(fragment) ? '\t' : '    ';
  const eol = fragment.includes('\r\n') ? '\r\n' : '\n';
  const body = fragment.replace(/^(?=[^\r\n])/gm, unit);
  return `${header}${eol}${unit}pass${eol}${body}`;
}

/** A small seeded PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
