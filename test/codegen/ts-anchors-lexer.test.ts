// Our TS/JS tokenizer (lexer.ts) against the TypeScript scanner (tokens.ts), and the anchors read
// from it against the syntax-tree reference, on fixtures, the bench file, tricky snippets and
// seeded random concatenations of fixture fragments.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { tsFile } from '../../bench/anchors.bench';
import { detectTsAnchors, detectTsAnchorsFromTree } from '../../src/codegen/typescript/anchors';
import { lex } from '../../src/codegen/typescript/lexer';
import { tokenize, type TokenizedFile } from '../../src/codegen/typescript/tokens';

const FIXTURES = join(__dirname, 'fixtures', 'ts');
const SOURCES = join(__dirname, '..', '..', 'src', 'codegen', 'typescript');

const fixtures = (): [string, string][] =>
  readdirSync(FIXTURES).map((f): [string, string] => [f.replace(/\.txt$/, ''), readFileSync(join(FIXTURES, f), 'utf8')]);

/** One line per token (kind, offsets, matching bracket), then the comments: easy to diff. */
function dump(file: TokenizedFile): string[] {
  const { tokens } = file;
  const lines: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    lines.push(`${i} ${ts.SyntaxKind[tokens.kind(i)]} ${tokens.start(i)}-${tokens.end(i)} ${JSON.stringify(tokens.text(i))} ${tokens.match(i)}`);
  }
  for (const c of file.comments) lines.push(`comment ${c.start}-${c.end}`);
  return lines;
}

function assertSameTokens(text: string, label: string): void {
  assert.deepEqual(dump(lex(text)), dump(tokenize(text)), label);
}

/** Deterministic PRNG (mulberry32): the same "random" texts on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The top-level statements of the fixtures (with their leading comments), each a whole piece of code. */
function statementFragments(): string[] {
  return fixtures().flatMap(([name, text]) => {
    const kind = name.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, kind);
    return file.statements.map((s) => s.getFullText(file));
  });
}

const TRICKY = [
  'const re = /[/\\]]+\\/x/giu; const half = total / 2 /= 3; a++ / 2; x = y /*c*/ / z;',
  'const t = `a ${b ? `c ${d} e` : { f: `${g}` }.f} h ${ {}.x } i`; const u = `\\${not} ${1}`;',
  'class A { #priv = 1; get #x() { return this.#priv; } static { this.a = 0x1F_ffn + 0b101 + 0o17 + 1_000.5e-3 + .5 + 5. + 2n; } }',
  'const ünïcödé = 1; const $ = ünïcödé?.5:0; a?.b; a ?? b ??= c; x **= 2; y >>>= 1; z >= 1 >> 2; if (a! > b) {}',
  'const s1 = "a\\"b", s2 = \'c\\\'d\', s3 = "line\\\ncontinued"; type T = A<B<C>>; let v = x => x === 1 !== 2;',
  'label: for (;;) { break label; } @decorator class B {} const o = { ...rest, [k]: v, "q": 1 }; typeof /re/ + void /re/;',
  'const ok = a in b, not = !/x/.test(s); obj.if = 1; obj.return / 2; function f() { return /re/ }',
  'const \\u0061bc = 1; const u\\u{62} = 2; const emoji = "🎉"; const 𝒳 = 3; ‍ // zero-width joiner',
  'let unterminated = "oops\nlet next = `still ${template',
];

describe('TS/JS lexer (lexer.ts)', () => {
  it('gives exactly the TypeScript scanner tokens on the fixtures, the bench file and our own sources', () => {
    for (const [name, text] of fixtures()) assertSameTokens(text, name);
    assertSameTokens(tsFile(2000), 'bench');
    for (const f of readdirSync(SOURCES).filter((f) => f.endsWith('.ts'))) assertSameTokens(readFileSync(join(SOURCES, f), 'utf8'), f);
    assert.ok(lex(tsFile(2000)).tokens.length > 10_000);
  });

  it('gives exactly the scanner tokens on tricky snippets and broken code', () => {
    TRICKY.forEach((line, k) => assertSameTokens(line, `tricky ${k}`));
    assertSameTokens(TRICKY.join('\n'), 'tricky all');
    assertSameTokens(TRICKY.join('\r\n'), 'tricky all, CRLF');
    assertSameTokens('#!/usr/bin/env node\nmodel.fit(a, b);', 'shebang');
    assertSameTokens('x = /unterminated\nmodel.fit(a, b); /* open', 'unterminated');
    assertSameTokens('', 'empty');
  });

  it('gives exactly the scanner tokens on random line fragments of the fixtures (seeded)', () => {
    const lines = fixtures().flatMap(([, text]) => text.split('\n'));
    const next = random(2026);
    for (let round = 0; round < 60; round++) {
      const picked: string[] = [];
      while (picked.length < 40) {
        const at = Math.floor(next() * lines.length);
        picked.push(...lines.slice(at, at + 1 + Math.floor(next() * 8)));
      }
      assertSameTokens(picked.join('\n'), `round ${round}`);
    }
  });
});

describe('TS/JS anchors from our lexer', () => {
  it('equal the syntax-tree anchors on the fixtures and the bench file', () => {
    const texts: [string, string][] = [...fixtures(), ['bench.ts', tsFile(2000)]];
    for (const [fileName, text] of texts) assert.deepEqual(detectTsAnchors(text, fileName), detectTsAnchorsFromTree(text, fileName), fileName);
    assert.ok(detectTsAnchors(tsFile(2000), 'bench.ts').length > 250);
  });

  it('equal the syntax-tree anchors on seeded random concatenations of fixture statements', () => {
    const fragments = statementFragments();
    assert.ok(fragments.length > 20);
    const next = random(7);
    let found = 0;
    for (let round = 0; round < 80; round++) {
      const picked = Array.from({ length: 3 + Math.floor(next() * 12) }, () => fragments[Math.floor(next() * fragments.length)]!);
      const text = picked.join(next() < 0.5 ? '\n' : '\r\n');
      const fileName = ['mix.ts', 'mix.js', 'mix.experiment.ts', 'mix.mjs'][round % 4]!;
      const anchors = detectTsAnchors(text, fileName);
      assert.deepEqual(anchors, detectTsAnchorsFromTree(text, fileName), `round ${round}: ${fileName}`);
      found += anchors.length;
    }
    assert.ok(found > 50, `the random texts hold anchors (${found})`);
  });
});
