/**
 * A TS/JS file as a token list, from the TypeScript scanner: ~50× faster than building the syntax
 * tree (measured in bench/anchors.bench.ts), and like the parser it never mistakes comments,
 * strings or template text for code. Templates are followed through `${…}`; a `/` is read as a
 * regular expression where an expression may start (the usual heuristic; a wrong guess can only
 * mis-read the rest of one line). Not for JSX, whose text the scanner cannot tell from code.
 *
 * The anchor detector reads the same tokens from lexer.ts, our own tokenizer (about 5× faster);
 * `tokenize` stays as its reference (the tests compare the two token for token) and for the bench.
 */
import ts from 'typescript';

/**
 * The significant tokens of a file, stored column-wise (no object per token: a 2,000-line file
 * has ~20k tokens and the editor re-reads it on every change).
 */
export interface TokenList {
  readonly length: number;
  kind(i: number): ts.SyntaxKind;
  start(i: number): number;
  end(i: number): number;
  /** Index of the matching bracket for ( [ { and ) ] }, else -1 (also when unbalanced). */
  match(i: number): number;
  /** Source text of the token ('' past the end). */
  text(i: number): string;
}

export interface TokenizedFile {
  tokens: TokenList;
  /** Single-line comments: [start, end) of each. */
  comments: { start: number; end: number }[];
}

const K = ts.SyntaxKind;

/** Tokens after which an expression ends, so that a following `/` divides (shared with lexer.ts). */
export function endsExpression(kind: ts.SyntaxKind | undefined, kindBefore: ts.SyntaxKind | undefined): boolean {
  if (kind === undefined) return false;
  switch (kind) {
    case K.Identifier:
    case K.PrivateIdentifier:
    case K.NumericLiteral:
    case K.BigIntLiteral:
    case K.StringLiteral:
    case K.RegularExpressionLiteral:
    case K.NoSubstitutionTemplateLiteral:
    case K.TemplateTail:
    case K.CloseParenToken:
    case K.CloseBracketToken:
    case K.CloseBraceToken:
    case K.PlusPlusToken:
    case K.MinusMinusToken:
    case K.ThisKeyword:
    case K.SuperKeyword:
    case K.NullKeyword:
    case K.TrueKeyword:
    case K.FalseKeyword:
      return true;
    default:
      // Contextual keywords (`type`, `from`, …) are usually names; any keyword after a dot is a property name.
      if (kind >= K.AbstractKeyword && kind <= K.OfKeyword) return true;
      return kind >= K.FirstKeyword && kind <= K.LastKeyword && kindBefore === K.DotToken;
  }
}

/** Tokenizes a TS/JS file (no JSX) and pairs its brackets. */
export function tokenize(text: string): TokenizedFile {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const kinds: ts.SyntaxKind[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const matches: number[] = [];
  const comments: { start: number; end: number }[] = [];
  /** Open brackets (token index) and template `${` (-1 - token index) awaiting their close. */
  const open: number[] = [];
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    if (kind === K.SingleLineCommentTrivia) {
      comments.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
      continue;
    }
    if (kind === K.WhitespaceTrivia || kind === K.NewLineTrivia || kind === K.MultiLineCommentTrivia || kind === K.ShebangTrivia || kind === K.ConflictMarkerTrivia) {
      continue;
    }
    const index = kinds.length;
    if ((kind === K.SlashToken || kind === K.SlashEqualsToken) && !endsExpression(kinds[index - 1], kinds[index - 2])) {
      kind = scanner.reScanSlashToken();
    }
    if (kind === K.CloseBraceToken && open.length > 0 && open[open.length - 1]! < 0) {
      open.pop();
      kind = scanner.reScanTemplateToken(false);
    }
    kinds.push(kind);
    starts.push(scanner.getTokenStart());
    ends.push(scanner.getTokenEnd());
    matches.push(-1);
    if (kind === K.TemplateHead || kind === K.TemplateMiddle) {
      open.push(-1 - index);
    } else if (kind === K.OpenParenToken || kind === K.OpenBracketToken || kind === K.OpenBraceToken) {
      open.push(index);
    } else if (kind === K.CloseParenToken || kind === K.CloseBracketToken || kind === K.CloseBraceToken) {
      // Pop to the nearest bracket (a stray closer leaves earlier brackets unmatched, as it should).
      while (open.length > 0) {
        const at = open.pop()!;
        if (at < 0) continue;
        matches[at] = index;
        matches[index] = at;
        break;
      }
    }
  }
  const tokens: TokenList = {
    length: kinds.length,
    kind: (i) => kinds[i] ?? K.Unknown,
    start: (i) => starts[i] ?? text.length,
    end: (i) => ends[i] ?? text.length,
    match: (i) => matches[i] ?? -1,
    text: (i) => (i >= 0 && i < kinds.length ? text.slice(starts[i], ends[i]) : ''),
  };
  return { tokens, comments };
}

/** 0-based line of each offset, from the line starts of a text. */
export function lineIndex(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
