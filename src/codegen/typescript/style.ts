/** The formatting conventions of a TS/JS file, read from its syntax tree so generated code blends in. */
import ts from 'typescript';

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
export function detectStyle(sourceFile: ts.SourceFile): CodeStyle {
  const text = sourceFile.text;
  return {
    eol: detectEol(text),
    indent: detectIndent(text),
    ...detectQuotesAndSemicolons(sourceFile),
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

const SEMICOLON_STATEMENTS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ExportAssignment,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.ThrowStatement,
]);

function detectQuotesAndSemicolons(sourceFile: ts.SourceFile): Pick<CodeStyle, 'quote' | 'semicolons'> {
  const text = sourceFile.text;
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      const first = text.charAt(node.getStart(sourceFile));
      if (first === "'") single++;
      else if (first === '"') double++;
    } else if (SEMICOLON_STATEMENTS.has(node.kind)) {
      if (text.charAt(node.end - 1) === ';') withSemicolon++;
      else without++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return {
    quote: double > single ? '"' : single > 0 ? "'" : DEFAULT_STYLE.quote,
    semicolons: without > withSemicolon ? false : DEFAULT_STYLE.semicolons,
  };
}
