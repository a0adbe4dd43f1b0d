/** The formatting conventions of a TS/JS file, read from its syntax tree so generated code blends in. */
import { endOf, same, type Node } from './syntax';

export interface CodeStyle {
  /** One level of indentation: spaces or a tab. */
  indent: string;
  quote: "'" | '"';
  /** Whether statements end with `;`. */
  semicolons: boolean;
  eol: '\n' | '\r\n';
}

export const DEFAULT_STYLE: CodeStyle = { indent: '  ', quote: "'", semicolons: true, eol: '\n' };

/**
 * Reads the file's dominant line ending, quote character, semicolon habit and indentation unit.
 * Each falls back to DEFAULT_STYLE when the file gives no evidence (e.g. an empty file).
 */
export function detectStyle(root: Node, text: string): CodeStyle {
  return {
    eol: detectEol(text),
    indent: detectIndent(text),
    ...detectQuotesAndSemicolons(root, text),
  };
}

function detectEol(text: string): CodeStyle['eol'] {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The most common increase of indentation from one non-blank line to the next. */
function detectIndent(text: string): string {
  const steps = new Map<string, number>();
  let previous = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length > previous.length && indent.startsWith(previous)) {
      const step = indent.slice(previous.length);
      if (/^(\t| +)$/.test(step)) steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    previous = indent;
  }
  let best = DEFAULT_STYLE.indent;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  return best;
}

/** Statements that end with `;` unless the file leaves semicolons out. */
const SEMICOLON_STATEMENTS = [
  'expression_statement',
  'lexical_declaration',
  'variable_declaration',
  'import_statement',
  'export_statement',
  'return_statement',
  'throw_statement',
];

/** Whether a statement node is one whose `;` tells the file's habit. */
function endsWithSemicolonByRule(node: Node): boolean {
  const parent = node.parent;
  // `for (let i = 0; i < n; i++)`: the `;` there are part of the loop.
  if (parent?.type === 'for_statement' && !same(parent.childForFieldName('body'), node)) return false;
  if (node.type === 'import_statement') return !node.namedChildren.some((c) => c?.type === 'import_require_clause');
  if (node.type === 'export_statement') {
    // `export function f() {}`, `export const x = 1;` (counted as the declaration), `export default class {}`.
    if (node.childForFieldName('declaration') !== null) return false;
    const value = node.childForFieldName('value')?.type;
    return value !== 'function_expression' && value !== 'generator_function' && value !== 'class';
  }
  return true;
}

function detectQuotesAndSemicolons(root: Node, text: string): Pick<CodeStyle, 'quote' | 'semicolons'> {
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  for (const node of root.descendantsOfType(['string', ...SEMICOLON_STATEMENTS])) {
    if (!node) continue;
    if (node.type === 'string') {
      const first = text.charAt(node.startIndex);
      if (first === "'") single++;
      else if (first === '"') double++;
    } else if (endsWithSemicolonByRule(node)) {
      if (text.charAt(endOf(node) - 1) === ';') withSemicolon++;
      else without++;
    }
  }
  return {
    quote: double > single ? '"' : single > 0 ? "'" : DEFAULT_STYLE.quote,
    semicolons: without > withSemicolon ? false : DEFAULT_STYLE.semicolons,
  };
}
