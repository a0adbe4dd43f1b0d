/**
 * A small hand-written TS/JS tokenizer, token for token what tokens.ts reads from the TypeScript
 * scanner (same `ts.SyntaxKind`s, offsets and bracket pairs; checked by the tests) at a fraction of
 * its cost: the scanner does work we never use (diagnostics, token flags, value decoding).
 *
 * Comments, strings (with escapes and line continuations), template literals with nested `${…}`,
 * regular expressions (where an expression may start, as in tokens.ts), numbers (hex / octal /
 * binary, separators, exponents, BigInt), identifiers (unicode and `\u` escapes), private names
 * and punctuation. `>` is always a single token, as the scanner reads it outside type arguments.
 * No JSX: JSX files take the syntax-tree path.
 */
import ts from 'typescript';
import { endsExpression, type TokenizedFile, type TokenList } from './tokens';

const K = ts.SyntaxKind;

/** Keyword kinds by their text (every keyword is lowercase ASCII). */
const KEYWORDS = new Map<string, ts.SyntaxKind>();
for (let kind = K.FirstKeyword; kind <= K.LastKeyword; kind++) KEYWORDS.set(ts.tokenToString(kind)!, kind);

/** Punctuators by their text, longest first per first character; `>` combinations excluded (see above). */
const PUNCTUATORS: { text: string; kind: ts.SyntaxKind }[][] = [];
for (let kind = K.FirstPunctuation; kind <= K.LastPunctuation; kind++) {
  const text = ts.tokenToString(kind)!;
  if ((text.startsWith('>') && text !== '>') || text === '</' || text === '`' || text === '#') continue;
  (PUNCTUATORS[text.charCodeAt(0)] ??= []).push({ text, kind });
}
for (const list of PUNCTUATORS) list?.sort((a, b) => b.text.length - a.text.length);

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$_\u200c\u200d]/u;
const SPACE = /\s/;

function isAsciiIdPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Tokenizes a TS/JS file (no JSX) and pairs its brackets; the same result as tokens.ts's `tokenize`. */
export function lex(text: string): TokenizedFile {
  const n = text.length;
  // Column-wise typed arrays, grown by doubling (plain arrays cost more here than the lexing itself).
  let capacity = 64 + (n >> 2); // ~1 token per 4 characters in typical code
  let kinds = new Int32Array(capacity);
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let matches = new Int32Array(capacity);
  let count = 0;
  const grow = (): void => {
    capacity *= 2;
    const wider = (from: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const to = new Int32Array(capacity);
      to.set(from);
      return to;
    };
    kinds = wider(kinds);
    starts = wider(starts);
    ends = wider(ends);
    matches = wider(matches);
  };
  const comments: { start: number; end: number }[] = [];
  /** Open brackets (token index) and template `${` (-1 - token index) awaiting their close. */
  const open: number[] = [];

  /** End of the identifier whose first character ends at `from`. */
  const identifierEnd = (from: number): number => {
    let p = from;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c < 128) {
        if (isAsciiIdPart(c)) p++;
        else if (c === 92) p = escapeEnd(p);
        else break;
      } else {
        const cp = text.codePointAt(p)!;
        if (!ID_PART.test(String.fromCodePoint(cp))) break;
        p += cp > 0xffff ? 2 : 1;
      }
    }
    return p;
  };
  /** End of a `\uXXXX` / `\u{…}` escape at `p` (or just the backslash when malformed). */
  const escapeEnd = (p: number): number => {
    if (text.charCodeAt(p + 1) !== 117) return p + 1;
    if (text.charCodeAt(p + 2) === 123) {
      const close = text.indexOf('}', p + 3);
      return close === -1 ? n : close + 1;
    }
    return Math.min(n, p + 6);
  };
  /** End of template text starting at `p` (just after ` or }), and whether it stopped at `${`. */
  const templateEnd = (p: number): { end: number; head: boolean } => {
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === 96) return { end: p + 1, head: false };
      if (c === 36 && text.charCodeAt(p + 1) === 123) return { end: p + 2, head: true };
      p += c === 92 ? 2 : 1;
    }
    return { end: n, head: false };
  };

  let pos = text.startsWith('#!') ? lineEnd(text, 0) : 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    const start = pos;
    let kind: ts.SyntaxKind;
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      pos++;
      continue;
    }
    if (c === 47) {
      const next = text.charCodeAt(pos + 1);
      if (next === 47) {
        pos = lineEnd(text, pos);
        comments.push({ start, end: pos });
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', pos + 2);
        pos = close === -1 ? n : close + 2;
        continue;
      }
      if (!endsExpression(count > 0 ? kinds[count - 1] : undefined, count > 1 ? kinds[count - 2] : undefined)) {
        pos = regexEnd(text, pos);
        kind = K.RegularExpressionLiteral;
      } else if (next === 61) {
        pos += 2;
        kind = K.SlashEqualsToken;
      } else {
        pos++;
        kind = K.SlashToken;
      }
    } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c === 92) {
      pos = c === 92 ? identifierEnd(escapeEnd(pos)) : identifierEnd(pos + 1);
      kind = c >= 97 && c <= 122 && pos - start <= 11 ? (KEYWORDS.get(text.slice(start, pos)) ?? K.Identifier) : K.Identifier;
    } else if (c >= 48 && c <= 57) {
      ({ end: pos, kind } = numberEnd(text, pos));
    } else if (c === 46 && isDigit(text.charCodeAt(pos + 1))) {
      ({ end: pos, kind } = numberEnd(text, pos));
    } else if (c === 34 || c === 39) {
      pos = stringEnd(text, pos, c);
      kind = K.StringLiteral;
    } else if (c === 96) {
      const t = templateEnd(pos + 1);
      pos = t.end;
      kind = t.head ? K.TemplateHead : K.NoSubstitutionTemplateLiteral;
    } else if (c === 125 && open.length > 0 && open[open.length - 1]! < 0) {
      open.pop();
      const t = templateEnd(pos + 1);
      pos = t.end;
      kind = t.head ? K.TemplateMiddle : K.TemplateTail;
    } else if (c === 35) {
      const next = text.charCodeAt(pos + 1);
      if (next < 128 ? isAsciiIdPart(next) && !isDigit(next) : ID_START.test(String.fromCodePoint(text.codePointAt(pos + 1)!))) {
        pos = identifierEnd(pos + 1);
        kind = K.PrivateIdentifier;
      } else {
        pos++;
        kind = K.HashToken;
      }
    } else if (c >= 128) {
      const cp = text.codePointAt(pos)!;
      const ch = String.fromCodePoint(cp);
      if (ID_START.test(ch)) {
        pos = identifierEnd(pos + ch.length);
        kind = K.Identifier;
      } else if (SPACE.test(ch) || cp === 0xfeff) {
        pos += ch.length;
        continue;
      } else {
        pos += ch.length;
        kind = K.Unknown;
      }
    } else {
      const candidates = PUNCTUATORS[c];
      const hit = candidates?.find((p) => text.startsWith(p.text, pos));
      if (hit === undefined) {
        pos++;
        kind = K.Unknown;
      } else if (hit.kind === K.QuestionDotToken && isDigit(text.charCodeAt(pos + 2))) {
        pos++;
        kind = K.QuestionToken;
      } else {
        pos += hit.text.length;
        kind = hit.kind;
      }
    }

    if (count === capacity) grow();
    const index = count++;
    kinds[index] = kind;
    starts[index] = start;
    ends[index] = pos;
    matches[index] = -1;
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

  const inRange = (i: number): boolean => i >= 0 && i < count;
  const tokens: TokenList = {
    length: count,
    kind: (i) => (inRange(i) ? kinds[i]! : K.Unknown),
    start: (i) => (inRange(i) ? starts[i]! : n),
    end: (i) => (inRange(i) ? ends[i]! : n),
    match: (i) => (inRange(i) ? matches[i]! : -1),
    text: (i) => (inRange(i) ? text.slice(starts[i], ends[i]) : ''),
  };
  return { tokens, comments };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Offset of the line break ending the line that `p` is on (or the end of the text). */
function lineEnd(text: string, p: number): number {
  const n = text.length;
  while (p < n && !isLineBreak(text.charCodeAt(p))) p++;
  return p;
}

/** End of the string literal opened by `quote` at `p` (an unterminated one ends at its line break). */
function stringEnd(text: string, p: number, quote: number): number {
  const n = text.length;
  p++;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === quote) return p + 1;
    if (c === 92) {
      // An escaped CRLF continues the string as one line break.
      p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 10 || c === 13) return p;
    p++;
  }
  return n;
}

/** End of the regular expression literal at `p`, flags included (an unterminated one ends at its line break). */
function regexEnd(text: string, p: number): number {
  const n = text.length;
  let inClass = false;
  p++;
  for (;;) {
    if (p >= n) return n;
    const c = text.charCodeAt(p);
    if (isLineBreak(c)) return p;
    if (c === 92) p++;
    else if (c === 47 && !inClass) break;
    else if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    p++;
  }
  p++;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c < 128 ? !isAsciiIdPart(c) : !ID_PART.test(String.fromCodePoint(text.codePointAt(p)!))) break;
    p++;
  }
  return p;
}

/** End and kind of the numeric literal at `p`. */
function numberEnd(text: string, p: number): { end: number; kind: ts.SyntaxKind } {
  const n = text.length;
  const c = text.charCodeAt(p);
  const radix = c === 48 ? text.charCodeAt(p + 1) | 32 : 0;
  if (radix === 120 || radix === 98 || radix === 111) {
    p += 2;
    while (p < n && (isHexDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 95)) p++;
  } else {
    const digits = (): void => {
      while (p < n && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 95)) p++;
    };
    digits();
    if (text.charCodeAt(p) === 46) {
      p++;
      digits();
    }
    if ((text.charCodeAt(p) | 32) === 101) {
      const sign = text.charCodeAt(p + 1);
      const first = sign === 43 || sign === 45 ? p + 2 : p + 1;
      if (isDigit(text.charCodeAt(first))) {
        p = first;
        digits();
      }
    }
  }
  if (text.charCodeAt(p) === 110) return { end: p + 1, kind: K.BigIntLiteral };
  return { end: p, kind: K.NumericLiteral };
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
}
