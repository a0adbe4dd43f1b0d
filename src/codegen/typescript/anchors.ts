/**
 * CodeLens anchors in TS/JS files: experiment modules' default export, TF.js fit / fitDataset /
 * compile calls, `tf.train.*` optimizer constructions and LR Scope's own schedule blocks.
 *
 * Read from tokens (lexer.ts, our own tokenizer; the same tokens as the TypeScript scanner gives
 * in tokens.ts, at a fraction of its cost) rather than the syntax tree: building the tree of a
 * 2,000-line file costs tens of milliseconds, scanning it well under one (bench/anchors.bench.ts),
 * and the editor asks on every change. Comments and strings never count, calls may span lines;
 * the results equal the tree-based detector's (anchors-tree.ts, checked by the tests), which
 * still handles JSX files and reads default exports (a parse of that statement only).
 */
import ts from 'typescript';
import type { Anchor, AnchorKind } from '../types';
import {
  OPTIMIZER_CLASSES,
  OPTIMIZER_FACTORIES,
  PEAK_NAMES,
  detectTsAnchorsFromTree,
  isDefaultExport,
  looksLikeExperiment,
  returnsExperiment,
} from './anchors-tree';
import { isExperimentFile } from './syntax';
import { BLOCK_END, BLOCK_START } from './tfjs-block';
import { lex } from './lexer';
import { lineIndex, type TokenList } from './tokens';

export { detectTsAnchorsFromTree } from './anchors-tree';

const K = ts.SyntaxKind;

/** Finds the anchors of a TS/JS file, sorted by position. */
export function detectTsAnchors(text: string, fileName: string): Anchor[] {
  if (/\.[jt]sx$/i.test(fileName)) return detectTsAnchorsFromTree(text, fileName);
  const { tokens, comments } = lex(text);
  const lineOf = lineIndex(text);
  const anchors: Anchor[] = [];
  const add = (kind: AnchorKind, start: number, end: number, name?: string, maxLr?: number): void => {
    const anchor: Anchor = { kind, framework: 'tfjs', start, end, line: lineOf(start) };
    if (name !== undefined) anchor.name = name;
    if (maxLr !== undefined) anchor.maxLr = maxLr;
    anchors.push(anchor);
  };
  const experimentFile = isExperimentFile(fileName);
  const t = tokens;
  const lastEnd = t.end(t.length - 1);
  const endOf = (close: number): number => (close < t.length ? t.end(close) : lastEnd);

  for (let i = 0; i < t.length; i++) {
    const kind = t.kind(i);
    if (t.kind(i + 1) === K.OpenParenToken && isName(t, i) && isDot(t, i - 1)) {
      const receiverEnd = i - 2;
      const start = chainStart(t, receiverEnd);
      if (start === -1) continue;
      const name = t.text(i);
      if (name !== 'fit' && name !== 'fitDataset' && name !== 'compile' && !OPTIMIZER_FACTORIES.has(name)) continue;
      const { count, close } = callArguments(t, i + 1);
      const receiver = text.slice(t.start(start), t.end(receiverEnd));
      if ((name === 'fit' && count >= 2) || (name === 'fitDataset' && count >= 1)) {
        add('fit', t.start(start), endOf(close), receiver);
      } else if (name === 'compile' && count === 1 && isCompileOptions(t, i + 1, close)) {
        add('compile', t.start(start), endOf(close), receiver);
      } else if (OPTIMIZER_FACTORIES.has(name) && isName(t, i - 2) && t.text(i - 2) === 'train') {
        add('optimizer', t.start(start), endOf(close), optimizerName(text, t, start, i));
      }
    } else if (kind === K.NewKeyword) {
      let last = i + 1;
      while (isName(t, last) && isDot(t, last + 1) && isName(t, last + 2)) last += 2;
      if (isName(t, last) && OPTIMIZER_CLASSES.has(t.text(last))) {
        const close = t.kind(last + 1) === K.OpenParenToken ? callArguments(t, last + 1).close : last;
        add('optimizer', t.start(i), endOf(close), optimizerName(text, t, i, last));
      }
    } else if (kind === K.ExportKeyword && t.kind(i + 1) === K.DefaultKeyword) {
      const at = t.start(i);
      const statement = firstStatement(text, at);
      if (statement && ts.isExportAssignment(statement) && !statement.isExportEquals) {
        if (experimentFile || looksLikeExperiment(statement.expression)) add('experiment', at, at + statement.end, 'default');
      } else if (statement && ts.isFunctionDeclaration(statement) && isDefaultExport(statement)) {
        if (experimentFile || (statement.body !== undefined && returnsExperiment(statement.body))) {
          add('experiment', at, at + statement.end, statement.name?.text ?? 'default');
        }
      }
    } else if (experimentFile && isModuleExports(t, i)) {
      const at = t.start(i);
      const statement = firstStatement(text, at);
      if (statement && ts.isExpressionStatement(statement)) add('experiment', at, at + statement.end, 'module.exports');
    }
  }

  const block = findBlockComments(text, comments);
  if (block) add('scheduler', block.start, block.end, 'lrAt', peakOf(text, t, block.start, block.end) ?? undefined);
  return anchors.sort((a, b) => a.start - b.start);
}

function isName(t: TokenList, i: number): boolean {
  const kind = t.kind(i);
  return kind === K.Identifier || (kind >= K.FirstKeyword && kind <= K.LastKeyword);
}

function isDot(t: TokenList, i: number): boolean {
  const kind = t.kind(i);
  return kind === K.DotToken || kind === K.QuestionDotToken;
}

/** First token of the member/call chain ending at token `last` (`a.b(c)[d]`, `this.m`, `(x)`), or -1. */
function chainStart(t: TokenList, last: number): number {
  let i = last;
  for (;;) {
    if (i < 0) return -1;
    const kind = t.kind(i);
    if (kind === K.CloseParenToken || kind === K.CloseBracketToken) {
      const open = t.match(i);
      if (open < 0) return -1;
      const before = t.kind(open - 1);
      const applied = isName(t, open - 1) || before === K.CloseParenToken || before === K.CloseBracketToken;
      if (!applied || before === K.NewKeyword || isStatementKeyword(before)) return open;
      i = open - 1;
      continue;
    }
    if (!isName(t, i)) return -1;
    if (isDot(t, i - 1)) {
      i -= 2;
      continue;
    }
    return i;
  }
}

/** Keywords after which `(` starts a group, not a call: `return (a).fit(…)`. */
function isStatementKeyword(kind: ts.SyntaxKind): boolean {
  return kind >= K.BreakKeyword && kind <= K.WithKeyword && kind !== K.ThisKeyword && kind !== K.SuperKeyword;
}

/** Number of arguments of the call whose `(` is token `open`, and the index of its `)` (t.length when unclosed). */
function callArguments(t: TokenList, open: number): { count: number; close: number } {
  const close = t.match(open) < 0 ? t.length : t.match(open);
  if (close === open + 1) return { count: 0, close };
  let commas = 0;
  for (let j = open + 1; j < close; j++) {
    const match = t.match(j);
    if (match > j) j = match;
    else if (t.kind(j) === K.CommaToken) commas++;
  }
  const trailing = t.kind(close - 1) === K.CommaToken ? 1 : 0;
  return { count: commas + 1 - trailing, close };
}

/** `compile({…})` or `compile(options)`: an object literal or a plain name. */
function isCompileOptions(t: TokenList, open: number, close: number): boolean {
  const last = t.kind(close - 1) === K.CommaToken ? close - 2 : close - 1;
  if (t.kind(open + 1) === K.OpenBraceToken) return t.match(open + 1) === last;
  for (let j = open + 1; j <= last; j++) {
    if ((j - open) % 2 === 1 ? !isName(t, j) : t.kind(j) !== K.DotToken) return false;
  }
  return true;
}

/** The variable or property an optimizer is stored in, else its constructor as written (tokens start…callee). */
function optimizerName(text: string, t: TokenList, start: number, callee: number): string {
  const before = t.kind(start - 1);
  if (before === K.EqualsToken) {
    const leftStart = chainStart(t, start - 2);
    if (leftStart !== -1) {
      const typed = t.kind(leftStart - 1) === K.ColonToken && isName(t, leftStart - 2);
      return typed ? t.text(leftStart - 2) : text.slice(t.start(leftStart), t.end(start - 2));
    }
  }
  if (before === K.ColonToken && isName(t, start - 2)) {
    const owner = t.kind(start - 3);
    if (owner === K.OpenBraceToken || owner === K.CommaToken) return t.text(start - 2);
  }
  return text.slice(t.start(start), t.end(callee));
}

function isModuleExports(t: TokenList, i: number): boolean {
  return (
    t.text(i) === 'module' &&
    t.kind(i + 1) === K.DotToken &&
    t.text(i + 2) === 'exports' &&
    t.kind(i + 3) === K.EqualsToken &&
    !isDot(t, i - 1)
  );
}

/** Parses the statement that starts at `start` (and only the text from there on). Offsets are relative to `start`. */
function firstStatement(text: string, start: number): ts.Statement | undefined {
  const rest = ts.createSourceFile('statement.ts', text.slice(start), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return rest.statements[0];
}

/** The generated block between its marker comments (each at the start of its line). */
function findBlockComments(text: string, comments: { start: number; end: number }[]): { start: number; end: number } | null {
  const atLineStart = (c: { start: number }): boolean => text.slice(text.lastIndexOf('\n', c.start - 1) + 1, c.start).trim() === '';
  const open = comments.find((c) => text.startsWith(BLOCK_START, c.start) && atLineStart(c));
  if (!open) return null;
  const close = comments.find((c) => c.start > open.start && text.startsWith(BLOCK_END, c.start) && atLineStart(c));
  if (!close) return null;
  return { start: text.lastIndexOf('\n', open.start - 1) + 1, end: close.end };
}

/** The number literal of `const maxLr = …` (or lrMax, peakValue, …) in the block's lrAt. */
function peakOf(text: string, t: TokenList, start: number, end: number): number | null {
  let fn = -1;
  for (let i = 0; i < t.length && t.start(i) < end; i++) {
    if (t.start(i) >= start && t.kind(i) === K.FunctionKeyword && t.text(i + 1) === 'lrAt') {
      fn = i;
      break;
    }
  }
  const body = fn === -1 ? -1 : fn + 2 + skipTo(t, fn + 2, K.OpenBraceToken);
  if (body < 0 || t.kind(body) !== K.OpenBraceToken) return null;
  const bodyEnd = t.match(body) < 0 ? t.length : t.match(body);
  for (let j = body + 1; j + 3 < bodyEnd; j++) {
    const decl = t.kind(j);
    if (
      (decl === K.ConstKeyword || decl === K.LetKeyword || decl === K.VarKeyword) &&
      PEAK_NAMES.has(t.text(j + 1)) &&
      t.kind(j + 2) === K.EqualsToken &&
      t.kind(j + 3) === K.NumericLiteral
    ) {
      return Number(t.text(j + 3).replace(/_/g, ''));
    }
  }
  return null;
}

/** How many tokens after `from` the first token of `kind` is (skipping bracketed groups other than it), or -1. */
function skipTo(t: TokenList, from: number, kind: ts.SyntaxKind): number {
  for (let j = from; j < t.length; j++) {
    if (t.kind(j) === kind) return j - from;
    const match = t.match(j);
    if (match > j) j = match;
  }
  return -1;
}
