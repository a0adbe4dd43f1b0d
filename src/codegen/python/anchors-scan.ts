/**
 * CodeLens anchors in Python files, read from tokens (tokens.ts) rather than the syntax tree:
 * the editor asks on every change, and a first tree-sitter parse of a 2,000-line file costs
 * 10–15 ms where the scan costs about one (bench/anchors.bench.ts). The results equal the tree
 * detector's (anchors.ts, checked by the tests): the same rules decide (`classifyCall`), and this
 * file reads from tokens what the tree detector reads from nodes — imports, calls and their
 * arguments, assignment targets, the function a call is in and where a function ends (blocks are
 * followed by indentation, as tree-sitter-python's scanner does).
 */
import type { Anchor } from '../types';
import { classifyCall, isAnchorName, type CallSite } from './anchors';
import { frameworkOfModules } from './framework';
import { lineIndex, Tok, tokenizePython, type PythonTokens } from './tokens';

// Token kinds as module constants (read in the hot loop).
const { Name: NAME, Number: NUMBER, LParen: LPAREN, LBracket: LBRACKET, LBrace: LBRACE, RParen: RPAREN, RBracket: RBRACKET, RBrace: RBRACE } = Tok;
const { Comma: COMMA, Colon: COLON, Semicolon: SEMICOLON, Dot: DOT, Equal: EQUAL, Minus: MINUS, Star: STAR, DoubleStar: DOUBLE_STAR } = Tok;

/** Statements whose header ends at a `:` that a simple statement may follow on the same line. */
const COMPOUND = new Set(['if', 'elif', 'else', 'while', 'for', 'with', 'try', 'except', 'finally', 'class', 'def', 'async']);
/** Names that are literals, not identifiers: `None.fit(…)` is no dotted call. */
const LITERALS = new Set(['True', 'False', 'None']);
/** A configure_optimizers definition, as the tree detector's pattern finds it. */
const CONFIGURE = /^configure_optimizers(?![A-Za-z0-9_])/;
const SPACES = /^\s*$/;

/** A logical line and the block it opens, while it is open. */
interface Line {
  indent: number;
  /** Name of the nearest function definition around (or on) this line. */
  defName: string | null;
  /** A `def configure_optimizers` on this line: its anchor, completed when the block closes. */
  def: PendingDef | null;
  /** A `match …:` header: its block holds case clauses. */
  isMatch: boolean;
  /** In a `case` clause, the token that ends its pattern (patterns hold no calls), else -1. */
  patternEnd: number;
}

interface PendingDef {
  anchor: Anchor;
  /** Indentation of the body's first line; -1 while unknown (or for a body on the header's line). */
  bodyIndent: number;
}

interface Candidate {
  /** First token of the callee (`torch` of `torch.optim.SGD(`). */
  first: number;
  /** The `(` of the call. */
  paren: number;
  defName: string | null;
  /** Whether the call is on the line of a `case` clause (after its pattern). */
  inCase: boolean;
}

/** Finds the anchors of a Python file (see `detectPythonAnchors` in index.ts), in document order. */
export function scanPythonAnchors(text: string): Anchor[] {
  const t = tokenizePython(text);
  const lineOf = lineIndex(text);
  const word = (i: number): string => text.slice(t.start[i], t.end[i]);
  const is = (i: number, w: string): boolean => t.kind[i] === NAME && t.end[i]! - t.start[i]! === w.length && text.startsWith(w, t.start[i]);

  const modules = new Set<string>();
  /** Anchors of definitions and candidate calls, in the order the tree detector finds them. */
  const found: (PendingDef | Candidate)[] = [];
  const lines: Line[] = [];

  const { kind, start, end, indent } = t;
  for (let i = 0; i < t.count; i++) {
    const k = kind[i];
    if (indent[i]! >= 0) {
      const width = indent[i]!;
      while (lines.length > 0 && lines[lines.length - 1]!.indent >= width) closeLine(t, lines.pop()!, i);
      const parent = lines[lines.length - 1];
      if (parent?.def && parent.def.bodyIndent < 0) parent.def.bodyIndent = width;
      lines.push({
        indent: width,
        defName: parent?.defName ?? null,
        def: null,
        isMatch: is(i, 'match') && kind[nextLine(t, i) - 1] === COLON,
        patternEnd: parent?.isMatch && is(i, 'case') ? patternEnd(i) : -1,
      });
    }
    if (k === NAME) {
      const length = end[i]! - start[i]!;
      if (length === 3 && is(i, 'def') && kind[i + 1] === NAME) {
        readDef(i, lines[lines.length - 1]!);
      } else if ((length === 6 && is(i, 'import')) || (length === 4 && is(i, 'from'))) {
        readImport(i);
      }
    } else if (k === LPAREN && indent[i]! < 0 && kind[i - 1] === NAME && isAnchorName(word(i - 1))) {
      // (a `(` that starts a logical line calls nothing: `import LambdaLR⏎(a) = 1`)
      const first = calleeStart(i - 1);
      const gap = end[i - 1] === start[i] ? '' : text.slice(end[i - 1], start[i]);
      const line = lines[lines.length - 1]!;
      if (first >= 0 && SPACES.test(gap) && !(line.patternEnd > i)) found.push({ first, paren: i, defName: line.defName, inCase: line.patternEnd >= 0 });
    }
  }
  while (lines.length > 0) closeLine(t, lines.pop()!, t.count);

  const fileFramework = frameworkOfModules(modules);
  const anchors: Anchor[] = [];
  for (const f of found) {
    if ('anchor' in f) {
      anchors.push(f.anchor);
      continue;
    }
    const close = t.match[f.paren]!;
    if (close < 0) continue; // an unclosed call is no call yet (nor for tree-sitter)
    const callee = text.slice(t.start[f.first], t.end[f.paren - 1]);
    const anchor = classifyCall(callee, fileFramework, new TokenCallSite(text, t, f, close));
    if (!anchor) continue;
    const start = t.start[f.first]!;
    anchors.push({ kind: anchor.kind, framework: anchor.framework, start, end: t.end[close]!, line: lineOf(start), ...named(anchor) });
  }
  return anchors;

  /** A `def` (token i) on `line`: names the line's function; a configure_optimizers definition is an anchor. */
  function readDef(i: number, line: Line): void {
    line.defName = word(i + 1);
    const gap = text.slice(t.end[i], t.start[i + 1]);
    if (gap === '' || !SPACES.test(gap) || !CONFIGURE.test(line.defName)) return;
    const from = is(i - 1, 'async') ? t.start[i - 1]! : t.start[i]!;
    const pending: PendingDef = {
      anchor: { kind: 'configure-optimizers', framework: 'lightning', start: from, end: from, line: lineOf(from), name: 'configure_optimizers' },
      bodyIndent: -1,
    };
    line.def = pending;
    found.push(pending);
  }

  /**
   * The first token of the dotted callee ending with the name at `last`, or -1 when the name is
   * not a callee (`def fit(`, `class SGD(`) or the callee is not a dotted name (`f().fit(`).
   */
  function calleeStart(last: number): number {
    if (is(last - 1, 'def') || is(last - 1, 'class')) return -1;
    let first = last;
    while (t.kind[first - 1] === DOT && t.kind[first - 2] === NAME) first -= 2;
    if (t.kind[first - 1] === DOT || LITERALS.has(word(first))) return -1;
    return first;
  }

  /** The token that ends the pattern of the `case` clause starting at token `i`: its guard's `if` or its `:`. */
  function patternEnd(i: number): number {
    const stop = nextLine(t, i);
    for (let j = i + 1; j < stop; j++) {
      if (t.kind[j] === COLON || is(j, 'if')) return j;
      if (t.match[j]! > j) j = t.match[j]!;
    }
    return stop;
  }

  /**
   * Adds the modules of the import statement whose `import` / `from` keyword is token `i`, when the
   * keyword starts its line (the tree detector looks at those lines only) and starts a statement.
   */
  function readImport(i: number): void {
    const at = t.start[i]!;
    let b = at - 1;
    while (b >= 0 && (text.charCodeAt(b) === 32 || text.charCodeAt(b) === 9)) b--;
    if (b >= 0 && !isLineBreak(text.charCodeAt(b))) return;
    const after = text.charCodeAt(t.end[i]!);
    if (after !== 32 && after !== 9) return;
    let s = i;
    while (!startsStatement(s)) s--;
    if (is(s, 'from')) readFromImport(s);
    else if (s === i && is(i, 'import')) readNames(i + 1, '');
  }

  function startsStatement(i: number): boolean {
    return i <= 0 || t.indent[i]! >= 0 || t.kind[i - 1] === SEMICOLON || t.kind[i - 1] === COLON;
  }

  /** `from m import a, b as c` / `from m import (…)` / `from m import *` adds m, m.a, m.b (and m.*). */
  function readFromImport(f: number): void {
    const stop = nextLine(t, f);
    let k = f + 1;
    while (k < stop && !is(k, 'import') && t.kind[k] !== SEMICOLON) k++;
    if (k === f + 1 || !is(k, 'import')) return;
    const module = text.slice(t.start[f + 1], t.end[k - 1]);
    addModule(module);
    if (t.kind[k + 1] === STAR) addModule(`${module}.*`);
    else readNames(t.kind[k + 1] === LPAREN ? k + 2 : k + 1, `${module}.`);
  }

  /** Reads `a.b [as c], …` from token `j`, adding each dotted name (after `prefix`). */
  function readNames(j: number, prefix: string): void {
    while (t.kind[j] === NAME) {
      const first = j;
      while (t.kind[j + 1] === DOT && t.kind[j + 2] === NAME) j += 2;
      addModule(prefix + text.slice(t.start[first], t.end[j]));
      j++;
      if (is(j, 'as')) j += 2;
      if (t.kind[j] !== COMMA) return;
      j++;
    }
  }

  function addModule(dotted: string): void {
    const parts = dotted.split('.');
    for (let k = 1; k <= parts.length; k++) modules.add(parts.slice(0, k).join('.'));
  }
}

/** The index of the first token of the next logical line after token `i` (or the token count). */
function nextLine(t: PythonTokens, i: number): number {
  let j = i + 1;
  while (j < t.count && t.indent[j]! < 0) j++;
  return j;
}

/** Where JavaScript's multiline `^` may match: after \n, \r, U+2028, U+2029. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Completes a configure_optimizers anchor when its line's block closes before token `next`: the
 * definition ends with its last token, a comment on that token's line, and the comment lines
 * after it that are indented at least as deep as the body (tree-sitter keeps those in the block).
 */
function closeLine(t: PythonTokens, line: Line, next: number): void {
  const def = line.def;
  if (!def) return;
  let end = t.end[next - 1]!;
  const bodyIndent = def.bodyIndent < 0 ? Number.POSITIVE_INFINITY : def.bodyIndent;
  const limit = next < t.count ? t.start[next]! : Number.POSITIVE_INFINITY;
  let c = firstAtOrAfter(t.commentStart, end);
  if (c < t.commentStart.length && t.commentIndent[c]! < 0 && t.commentStart[c]! < limit) end = t.commentEnd[c++]!;
  for (; c < t.commentStart.length && t.commentStart[c]! < limit; c++) {
    const indent = t.commentIndent[c]!;
    if (indent < 0 || indent < bodyIndent) break;
    end = t.commentEnd[c]!;
  }
  def.anchor.end = end;
}

function firstAtOrAfter(sorted: readonly number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function named(a: { name: string; maxLr?: number }): { name: string; maxLr?: number } {
  return a.maxLr === undefined ? { name: a.name } : { name: a.name, maxLr: a.maxLr };
}

/** An argument as a token range [from, to). */
interface Arg {
  from: number;
  to: number;
}

/** An argument of a call: its keyword (null for a positional one) and its value's tokens [from, to). */
interface Argument {
  keyword: string | null;
  /** `*args` or `**kwargs`. */
  unpacked: boolean;
  value: Arg;
}

/** What the rules ask about one call, read from the tokens (arguments are split on the first question). */
class TokenCallSite implements CallSite<Arg> {
  private args: Argument[] | undefined;

  constructor(
    private readonly text: string,
    private readonly t: PythonTokens,
    private readonly call: Candidate,
    private readonly close: number,
  ) {}

  keyword(name: string): Arg | null {
    return this.split().find((a) => a.keyword === name)?.value ?? null;
  }

  positional(index: number): Arg | null {
    return this.split().filter((a) => a.keyword === null && !a.unpacked)[index]?.value ?? null;
  }

  literalNumber(arg: Arg | null): number | null {
    if (!arg) return null;
    const t = this.t;
    let j = arg.from;
    while (t.kind[j] === MINUS && j < arg.to) j++;
    if (j !== arg.to - 1 || t.kind[j] !== NUMBER) return null;
    let v = Number(this.text.slice(t.start[j], t.end[j]).replace(/_/g, ''));
    if (!Number.isFinite(v)) return null;
    for (let k = arg.from; k < j; k++) v = -v;
    return v;
  }

  assignedName(): string | null {
    return assignedName(this.text, this.t, this.call, this.close);
  }

  inConfigureOptimizers(): boolean {
    return this.call.defName === 'configure_optimizers';
  }

  /** The arguments, split at the commas outside brackets. */
  private split(): Argument[] {
    if (this.args) return this.args;
    const { t, close } = this;
    const args: Argument[] = [];
    let from = this.call.paren + 1;
    for (let j = from; j <= close; j++) {
      if (j === close || t.kind[j] === COMMA) {
        if (from < j) args.push(this.argument(from, j));
        from = j + 1;
      } else if (t.match[j]! > j) {
        j = t.match[j]!;
      }
    }
    return (this.args = args);
  }

  private argument(from: number, to: number): Argument {
    const kind = this.t.kind[from];
    if (kind === NAME && this.t.kind[from + 1] === EQUAL) {
      return { keyword: this.text.slice(this.t.start[from], this.t.end[from]), unpacked: false, value: { from: from + 2, to } };
    }
    return { keyword: null, unpacked: kind === STAR || kind === DOUBLE_STAR, value: { from, to } };
  }
}

function isOpen(kind: number | undefined): boolean {
  return kind === LPAREN || kind === LBRACKET || kind === LBRACE;
}

function isClose(kind: number | undefined): boolean {
  return kind === RPAREN || kind === RBRACKET || kind === RBRACE;
}

/** The first token in [from, to) that is a `:` outside brackets, or -1. */
function topColon(t: PythonTokens, from: number, to: number): number {
  for (let j = from; j < to; j++) {
    if (t.kind[j] === COLON) return j;
    if (t.match[j]! > j) j = t.match[j]!;
  }
  return -1;
}

/**
 * The target of `target = call(…)` when the call (tokens first…close) is the whole right-hand
 * side of an assignment statement: `opt = SGD(…)`, `self.opt: Optimizer = SGD(…)`, `a = b = SGD(…)`
 * (gives `b`, as tree-sitter nests chained assignments), `if x: opt = SGD(…)`.
 */
function assignedName(text: string, t: PythonTokens, call: Candidate, close: number): string | null {
  const first = call.first;
  if (t.kind[first - 1] !== EQUAL || close < 0) return null;
  const next = close + 1;
  if (next < t.count && t.indent[next]! < 0 && t.kind[next] !== SEMICOLON) return null;
  // Walk back over the target to the start of the statement (or the `=` before it).
  let from = -1;
  let statementStart = false;
  for (let j = first - 2; j >= 0; j--) {
    if (isClose(t.kind[j])) {
      if (t.match[j]! < 0) return null;
      j = t.match[j]!;
    } else if (isOpen(t.kind[j])) {
      return null; // a keyword argument or a default value, not an assignment
    } else if (t.kind[j] === SEMICOLON || t.kind[j] === EQUAL) {
      from = j + 1;
      statementStart = t.kind[j] === SEMICOLON;
      break;
    }
    if (t.indent[j]! >= 0) {
      from = j;
      statementStart = true;
      break;
    }
  }
  let to = first - 1;
  if (from < 0 || from >= to) return null;
  const head = text.slice(t.start[from], t.end[from]);
  if (statementStart && t.kind[from] === NAME) {
    if (COMPOUND.has(head) || (call.inCase && head === 'case')) {
      // `if x: opt = SGD(…)`: the statement after the header's colon
      const colon = topColon(t, from, to);
      if (colon < 0) return null;
      from = colon + 1;
    } else if (head === 'type' && t.kind[from + 1] === NAME) {
      return null; // `type X = …` is a type alias
    }
  }
  const annotation = topColon(t, from, to);
  if (annotation >= 0) to = annotation;
  if (from >= to) return null;
  return text.slice(t.start[from], t.end[to - 1]);
}
