/** The writing style of a Python file, so that inserted code looks like the code around it. */

export interface PythonStyle {
  /** One indentation level: a tab, or N spaces. */
  indent: string;
  /** The quote the file prefers for strings. */
  quote: '"' | "'";
  /** Line ending of the file. */
  eol: '\n' | '\r\n';
}

/** Reads indentation unit, preferred quote and line ending from the text (defaults: 4 spaces, double quotes, LF). */
export function detectStyle(text: string): PythonStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { indent: detectIndent(text), quote: detectQuote(text), eol };
}

function detectIndent(text: string): string {
  const widths = new Map<number, number>();
  let tabs = 0;
  let spaces = 0;
  let previous = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith('\t')) {
      tabs++;
      continue;
    }
    const width = lead.length;
    if (width > previous) {
      const delta = width - previous;
      widths.set(delta, (widths.get(delta) ?? 0) + 1);
      spaces++;
    }
    previous = width;
  }
  if (tabs > spaces) return '\t';
  let best = 4;
  let count = 0;
  for (const [width, n] of widths) if (n > count) [best, count] = [width, n];
  return ' '.repeat(best);
}

function detectQuote(text: string): '"' | "'" {
  const single = (text.match(/(?<![\w"'])'(?!'')/g) ?? []).length;
  const double = (text.match(/(?<![\w"'])"(?!"")/g) ?? []).length;
  return single > double ? "'" : '"';
}

/** A Python string literal in the file's quote style. */
export function pyString(value: string, style: PythonStyle): string {
  const q = style.quote;
  return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
}

export { pyFloat, pyNum } from '../../core/schedules/emit/python';

/** Indents every non-empty line of `code` (written with '\n' and 4-space levels) into the file's style at `base`. */
export function reindent(code: string, base: string, style: PythonStyle): string {
  return code
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return '';
      const lead = /^ */.exec(line)![0].length;
      return base + style.indent.repeat(Math.floor(lead / 4)) + line.slice(lead);
    })
    .join(style.eol);
}
