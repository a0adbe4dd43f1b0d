/**
 * A Python file as a token list, for the CodeLens anchor scan (anchors-scan.ts): one pass over the
 * characters, a small fraction of the cost of a first tree-sitter parse (bench/anchors.bench.ts). Like the parser it never mistakes comments or string text for code:
 * it reads every string form (quotes, triple quotes, the r/b/u/f/t prefixes in any case, escapes,
 * `\N{…}`) and, like Python 3.12 and tree-sitter-python, reads the code inside f-string
 * replacement fields (`f"{opt!r:>{width}}"`, quotes reused inside) as code. Logical lines are
 * marked with their indentation measured the way tree-sitter-python does (a tab counts 8, a form
 * feed or carriage return restarts the count), so that blocks can be followed without INDENT and
 * DEDENT tokens. Only '\n' ends a line, as in tree-sitter.
 */

/** Token kinds. Brackets of f-string replacement fields are LBrace / RBrace. */
export const Tok = {
  Name: 1,
  Number: 2,
  /** A whole string literal without replacement fields, prefix included. */
  String: 3,
  /** An f-string's prefix and opening quote(s); its text is skipped up to the next `{` or the end. */
  FStringStart: 4,
  /** An f-string's closing quote(s). */
  FStringEnd: 5,
  LParen: 6,
  RParen: 7,
  LBracket: 8,
  RBracket: 9,
  LBrace: 10,
  RBrace: 11,
  Comma: 12,
  Colon: 13,
  Semicolon: 14,
  Dot: 15,
  /** `=` alone (not `==`, `+=`, `:=`, …). */
  Equal: 16,
  Minus: 17,
  Star: 18,
  DoubleStar: 19,
  At: 20,
  Ellipsis: 21,
  /** Any other operator (`==`, `->`, `+=`, `:=`, `!`, …). */
  Operator: 22,
  /** A character that is not Python (`$`, `?`, a stray backslash). */
  Unknown: 23,
} as const;
export type TokKind = (typeof Tok)[keyof typeof Tok];

/**
 * The tokens of a file, column-wise (no object per token: 2,000 lines make ~20k tokens and the
 * editor asks again after every keystroke). Entries past `count` are unused.
 */
export interface PythonTokens {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Index of the matching bracket for ( [ { ) ] } (replacement-field braces included), -1 when unmatched. */
  readonly match: Int32Array;
  /** For the first token of a logical line its indentation (≥ 0), else -1. */
  readonly indent: Int32Array;
  /** Comments in order: [start, end) (to the '\n', a '\r' before it included, as tree-sitter does). */
  readonly commentStart: readonly number[];
  readonly commentEnd: readonly number[];
  /** A comment's indentation when it is alone on its line outside brackets, else -1. */
  readonly commentIndent: readonly number[];
}

const enum C {
  Tab = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Hash = 35,
  Percent = 37,
  Amp = 38,
  SQuote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  Semicolon = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  At = 64,
  UpperA = 65,
  UpperN = 78,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerA = 97,
  LowerZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

/** An open f-string: what ends it and how its text is read. */
interface FString {
  quote: number;
  triple: boolean;
  raw: boolean;
}

/** An open replacement field `{…}` of an f-string. */
interface Field {
  fstring: FString;
  /** The bracket stack's length with the field's `{` on top. */
  depth: number;
  /** Whether its format spec (after a top-level `:`) is being read. */
  inSpec: boolean;
}

const ID_START = /[\p{XID_Start}_]/u;
const ID_CONTINUE = /[\p{XID_Continue}]/u;
/** Whitespace as tree-sitter-python's extras read it (JS `\s` and a few zero-width characters). */
const SPACE = /[\s\u2060\u200B]/;

function isAsciiNameStart(c: number): boolean {
  return (c >= C.LowerA && c <= C.LowerZ) || (c >= C.UpperA && c <= C.UpperZ) || c === C.Underscore;
}

function isAsciiNameChar(c: number): boolean {
  return isAsciiNameStart(c) || (c >= C.D0 && c <= C.D9);
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** String prefix letters (tree-sitter accepts any run of them before a quote). */
function isPrefixLetter(c: number): boolean {
  switch (c | 0x20) {
    case 0x62: // b
    case 0x66: // f
    case 0x72: // r
    case 0x74: // t
    case 0x75: // u
      return true;
    default:
      return false;
  }
}

/** Tokenizes Python source. Never throws: text that is not Python becomes Unknown tokens or ends a string early. */
export function tokenizePython(text: string): PythonTokens {
  const n = text.length;
  let capacity = (n >> 2) + 64;
  let kind = new Uint8Array(capacity);
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let match = new Int32Array(capacity);
  let indent = new Int32Array(capacity);
  let count = 0;
  const commentStart: number[] = [];
  const commentEnd: number[] = [];
  const commentIndent: number[] = [];

  /** Token indices of open brackets. */
  const open: number[] = [];
  /** Open f-strings (innermost last) and their open replacement fields. */
  const fields: Field[] = [];
  /** Start of the current physical line when no token has been seen on it since the last logical newline, else -1. */
  let lineBegin = 0;

  const grow = (): void => {
    capacity *= 2;
    kind = resized(kind, new Uint8Array(capacity));
    start = resized(start, new Int32Array(capacity));
    end = resized(end, new Int32Array(capacity));
    match = resized(match, new Int32Array(capacity));
    indent = resized(indent, new Int32Array(capacity));
  };

  const push = (k: TokKind, from: number, to: number): number => {
    if (count === capacity) grow();
    kind[count] = k;
    start[count] = from;
    end[count] = to;
    match[count] = -1;
    if (lineBegin >= 0) {
      indent[count] = measureIndent(text, lineBegin, from);
      lineBegin = -1;
    } else {
      indent[count] = -1;
    }
    return count++;
  };

  const close = (k: TokKind, from: number): void => {
    const index = push(k, from, from + 1);
    const floor = fields.length > 0 ? fields[fields.length - 1]!.depth : 0;
    if (open.length > floor) {
      const at = open.pop()!;
      match[at] = index;
      match[index] = at;
    }
  };

  /**
   * Reads f-string text from `i` (inside `fs`) up to a replacement field or the end; returns the
   * position after it. Pushes the field's `{` (and records the field) or the FStringEnd token.
   */
  const fstringText = (i: number, fs: FString): number => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === fs.quote) {
        if (!fs.triple) {
          push(Tok.FStringEnd, i, i + 1);
          return i + 1;
        }
        if (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
          push(Tok.FStringEnd, i, i + 3);
          return i + 3;
        }
        i++;
      } else if (c === C.Backslash) {
        const next = text.charCodeAt(i + 1);
        if (fs.raw) {
          // tree-sitter (and Python) step over an escaped quote, backslash or line end only; `\{` still opens a field.
          i = next === fs.quote || next === C.Backslash || next === C.LF || next === C.CR ? afterEscape(text, i) : i + 1;
        } else if (next === C.UpperN && text.charCodeAt(i + 2) === C.LBrace) {
          const brace = text.indexOf('}', i + 3);
          i = brace === -1 ? n : brace + 1;
        } else {
          i = afterEscape(text, i);
        }
      } else if (c === C.LBrace) {
        if (text.charCodeAt(i + 1) === C.LBrace) {
          i += 2;
          continue;
        }
        const index = push(Tok.LBrace, i, i + 1);
        open.push(index);
        fields.push({ fstring: fs, depth: open.length, inSpec: false });
        return i + 1;
      } else if (c === C.RBrace) {
        i += text.charCodeAt(i + 1) === C.RBrace ? 2 : 1;
      } else if (c === C.LF && !fs.triple) {
        // An unterminated string: end it here rather than swallow the file.
        push(Tok.FStringEnd, i, i);
        return i;
      } else {
        i++;
      }
    }
    push(Tok.FStringEnd, n, n);
    return n;
  };

  /** Reads a format spec (after a field's top-level `:`) up to a nested field's `{` or the field's `}`. */
  const formatSpec = (i: number, field: Field): number => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.LBrace) {
        const index = push(Tok.LBrace, i, i + 1);
        open.push(index);
        fields.push({ fstring: field.fstring, depth: open.length, inSpec: false });
        return i + 1;
      }
      if (c === C.RBrace) return endField(i);
      if (c === C.LF && !field.fstring.triple) return endField(i);
      i++;
    }
    return n;
  };

  /** Closes the innermost replacement field at the `}` at `i` (or where it should have been); returns where reading resumes. */
  const endField = (i: number): number => {
    const field = fields.pop()!;
    // Unclosed brackets inside the field stay unmatched.
    open.length = field.depth;
    const isBrace = text.charCodeAt(i) === C.RBrace;
    const index = push(Tok.RBrace, i, isBrace ? i + 1 : i);
    const at = open.pop()!;
    match[at] = index;
    match[index] = at;
    const resume = isBrace ? i + 1 : i;
    // A field nested in a format spec returns to that spec, else to the f-string's text.
    const outer = fields[fields.length - 1];
    if (outer && outer.fstring === field.fstring && outer.inSpec) return formatSpec(resume, outer);
    return fstringText(resume, field.fstring);
  };

  /** Reads a string literal whose quote is at `q` (prefix starting at `from`); returns the position after it. */
  const stringLiteral = (from: number, q: number, format: boolean, raw: boolean): number => {
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    const body = q + (triple ? 3 : 1);
    if (format) {
      push(Tok.FStringStart, from, body);
      return fstringText(body, { quote, triple, raw });
    }
    let i = body;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) {
        const after = i + (triple ? 3 : 1);
        push(Tok.String, from, after);
        return after;
      } else if (c === quote) {
        i++;
      } else if (c === C.Backslash) {
        i = afterEscape(text, i);
      } else if (c === C.LF && !triple) {
        push(Tok.String, from, i);
        return i;
      } else {
        i++;
      }
    }
    push(Tok.String, from, n);
    return n;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Space || c === C.Tab || c === C.CR || c === C.FF || c === C.VT) {
      i++;
    } else if (c === C.LF) {
      i++;
      if (open.length === 0) lineBegin = i;
    } else if (isAsciiNameStart(c) || (c > 127 && isNameStart(text, i))) {
      let j = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      let prefix = isPrefixLetter(c);
      for (;;) {
        const d = text.charCodeAt(j);
        if (isAsciiNameChar(d)) {
          if (prefix && !isPrefixLetter(d)) prefix = false;
          j++;
        } else if (d > 127 && isNameChar(text, j)) {
          prefix = false;
          j += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
        } else {
          break;
        }
      }
      const q = text.charCodeAt(j);
      if (prefix && (q === C.DQuote || q === C.SQuote)) {
        let format = false;
        let raw = false;
        for (let k = i; k < j; k++) {
          const p = text.charCodeAt(k) | 0x20;
          if (p === 0x66 || p === 0x74) format = true;
          else if (p === 0x72) raw = true;
        }
        i = stringLiteral(i, j, format, raw);
      } else {
        push(Tok.Name, i, j);
        i = j;
      }
    } else if (isDigit(c) || (c === C.Dot && isDigit(text.charCodeAt(i + 1)))) {
      const j = numberEnd(text, i);
      push(Tok.Number, i, j);
      i = j;
    } else if (c === C.DQuote || c === C.SQuote) {
      i = stringLiteral(i, i, false, false);
    } else if (c === C.Hash) {
      let j = text.indexOf('\n', i);
      if (j === -1) j = n;
      commentStart.push(i);
      commentEnd.push(j);
      commentIndent.push(lineBegin >= 0 ? measureIndent(text, lineBegin, i) : -1);
      i = j;
    } else if (c === C.Backslash) {
      const next = text.charCodeAt(i + 1);
      if (next === C.LF) i += 2;
      else if (next === C.CR && text.charCodeAt(i + 2) === C.LF) i += 3;
      else if (i + 1 >= n) i++;
      else {
        push(Tok.Unknown, i, i + 1);
        i++;
      }
    } else {
      const field = fields.length > 0 ? fields[fields.length - 1]! : null;
      const top = field !== null && open.length === field.depth;
      switch (c) {
        case C.LParen:
          open.push(push(Tok.LParen, i, i + 1));
          i++;
          break;
        case C.LBracket:
          open.push(push(Tok.LBracket, i, i + 1));
          i++;
          break;
        case C.LBrace:
          open.push(push(Tok.LBrace, i, i + 1));
          i++;
          break;
        case C.RParen:
          close(Tok.RParen, i);
          i++;
          break;
        case C.RBracket:
          close(Tok.RBracket, i);
          i++;
          break;
        case C.RBrace:
          if (top) {
            i = endField(i);
          } else {
            close(Tok.RBrace, i);
            i++;
          }
          break;
        case C.Colon:
          if (top) {
            // A field's top-level `:` starts its format spec (`f"{x:=10}"` too, as in Python).
            push(Tok.Colon, i, i + 1);
            field.inSpec = true;
            i = formatSpec(i + 1, field);
          } else if (text.charCodeAt(i + 1) === C.Eq) {
            push(Tok.Operator, i, i + 2);
            i += 2;
          } else {
            push(Tok.Colon, i, i + 1);
            i++;
          }
          break;
        case C.Comma:
          push(Tok.Comma, i, i + 1);
          i++;
          break;
        case C.Semicolon:
          push(Tok.Semicolon, i, i + 1);
          i++;
          break;
        case C.Dot:
          if (text.charCodeAt(i + 1) === C.Dot && text.charCodeAt(i + 2) === C.Dot) {
            push(Tok.Ellipsis, i, i + 3);
            i += 3;
          } else {
            push(Tok.Dot, i, i + 1);
            i++;
          }
          break;
        case C.Eq:
          if (text.charCodeAt(i + 1) === C.Eq) {
            push(Tok.Operator, i, i + 2);
            i += 2;
          } else {
            push(Tok.Equal, i, i + 1);
            i++;
          }
          break;
        case C.Minus: {
          const next = text.charCodeAt(i + 1);
          if (next === C.Eq || next === C.Gt) {
            push(Tok.Operator, i, i + 2);
            i += 2;
          } else {
            push(Tok.Minus, i, i + 1);
            i++;
          }
          break;
        }
        case C.Star:
          if (text.charCodeAt(i + 1) === C.Star) {
            if (text.charCodeAt(i + 2) === C.Eq) {
              push(Tok.Operator, i, i + 3);
              i += 3;
            } else {
              push(Tok.DoubleStar, i, i + 2);
              i += 2;
            }
          } else if (text.charCodeAt(i + 1) === C.Eq) {
            push(Tok.Operator, i, i + 2);
            i += 2;
          } else {
            push(Tok.Star, i, i + 1);
            i++;
          }
          break;
        case C.At:
          if (text.charCodeAt(i + 1) === C.Eq) {
            push(Tok.Operator, i, i + 2);
            i += 2;
          } else {
            push(Tok.At, i, i + 1);
            i++;
          }
          break;
        case C.Slash:
        case C.Lt:
        case C.Gt: {
          // `//`, `<<`, `>>` (and their `=` forms), `<=`, `>=`, `/=`
          let j = i + 1;
          if (text.charCodeAt(j) === c) j++;
          if (text.charCodeAt(j) === C.Eq) j++;
          push(Tok.Operator, i, j);
          i = j;
          break;
        }
        case C.Bang:
        case C.Plus:
        case C.Percent:
        case C.Amp:
        case C.Pipe:
        case C.Caret:
        case C.Tilde: {
          const j = text.charCodeAt(i + 1) === C.Eq ? i + 2 : i + 1;
          push(Tok.Operator, i, j);
          i = j;
          break;
        }
        default:
          if (c > 127 && SPACE.test(text[i]!)) {
            i++;
          } else {
            const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
            push(Tok.Unknown, i, i + width);
            i += width;
          }
      }
    }
  }
  // An f-string left open inside a replacement field at the end of the file still gets its end token.
  while (fields.length > 0) {
    const field = fields.pop()!;
    open.length = field.depth - 1;
    if (!fields.some((f) => f.fstring === field.fstring)) push(Tok.FStringEnd, n, n);
  }
  return { count, kind, start, end, match, indent, commentStart, commentEnd, commentIndent };
}

/** The position after the backslash at `i` and the character it escapes (a \r\n line end as one). */
function afterEscape(text: string, i: number): number {
  return text.charCodeAt(i + 1) === C.CR && text.charCodeAt(i + 2) === C.LF ? i + 3 : i + 2;
}

function resized<T extends Uint8Array | Int32Array>(old: T, grown: T): T {
  grown.set(old);
  return grown;
}

/** Indentation of the text from `from` to `to` as tree-sitter-python measures it (space 1, tab 8; \f and \r restart). */
function measureIndent(text: string, from: number, to: number): number {
  let width = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === C.Space) width++;
    else if (c === C.Tab) width += 8;
    else if (c === C.FF || c === C.CR) width = 0;
    else break;
  }
  return width;
}

/** End of the number literal starting at `i` (tree-sitter-python's integer and float forms). */
function numberEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const x = text.charCodeAt(i + 1) | 0x20;
  if (c === C.D0 && (x === 0x78 || x === 0x6f || x === 0x62)) {
    // 0x…, 0o…, 0b…: digits, underscores and an old long suffix
    let j = i + 2;
    while (j < text.length && (isAsciiNameChar(text.charCodeAt(j)))) j++;
    return j;
  }
  let j = skipDigits(text, i);
  if (text.charCodeAt(j) === C.Dot) j = skipDigits(text, j + 1);
  const e = text.charCodeAt(j) | 0x20;
  if (e === 0x65) {
    const sign = text.charCodeAt(j + 1);
    const k = sign === C.Plus || sign === C.Minus ? j + 2 : j + 1;
    if (isDigit(text.charCodeAt(k))) j = skipDigits(text, k);
  }
  const suffix = text.charCodeAt(j) | 0x20;
  if (suffix === 0x6a || suffix === 0x6c) j++; // j (imaginary) or l (old long)
  return j;
}

function skipDigits(text: string, j: number): number {
  while (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === C.Underscore) j++;
  return j;
}

function codePointText(text: string, i: number): string {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? text.slice(i, i + 2) : text[i]!;
}

function isNameStart(text: string, i: number): boolean {
  return ID_START.test(codePointText(text, i));
}

function isNameChar(text: string, i: number): boolean {
  return ID_CONTINUE.test(codePointText(text, i));
}

/** The 0-based line of an offset (lines end at '\n'), by binary search over the line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
