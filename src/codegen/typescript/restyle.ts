/**
 * Generated TS/JS is written once, in a canonical style (two-space indents, single quotes,
 * semicolons), then restyled line by line to the target file's conventions. The templates are
 * ours, so the rewriting can stay simple: they never put `//` inside a string, never use an
 * apostrophe inside a string, never start a line with `(`, `[` or a template literal and never
 * use `for (;;)`.
 */
import type { CodeStyle } from './style';

const CANONICAL_INDENT = '  ';

/** Restyles canonical template lines and joins them with the style's line ending (no trailing EOL). */
export function restyle(lines: readonly string[], style: CodeStyle, baseIndent = ''): string {
  return lines.map((line) => restyleLine(line, style, baseIndent)).join(style.eol);
}

function restyleLine(line: string, style: CodeStyle, baseIndent: string): string {
  if (line.trim() === '') return '';
  let depth = 0;
  while (line.startsWith(CANONICAL_INDENT, depth * CANONICAL_INDENT.length)) depth++;
  const rest = line.slice(depth * CANONICAL_INDENT.length);
  const commentAt = commentStart(rest);
  let code = rest.slice(0, commentAt);
  const comment = rest.slice(commentAt);
  if (style.quote === '"') code = code.replace(/'/g, '"');
  if (!style.semicolons) {
    const trimmed = code.trimEnd();
    if (trimmed.endsWith(';')) code = trimmed.slice(0, -1) + code.slice(trimmed.length);
  }
  const joined = comment === '' ? code.trimEnd() : code + comment;
  return baseIndent + style.indent.repeat(depth) + joined;
}

/** Where a line's comment begins: `//`, or the whole line for JSDoc lines. */
function commentStart(code: string): number {
  const trimmed = code.trimStart();
  if (trimmed.startsWith('/*') || trimmed.startsWith('*')) return 0;
  let inTemplate = false;
  for (let i = 0; i < code.length - 1; i++) {
    if (code[i] === '`') inTemplate = !inTemplate;
    if (!inTemplate && code[i] === '/' && code[i + 1] === '/') return i;
  }
  return code.length;
}
