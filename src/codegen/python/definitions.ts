/** Placing generated module-level definitions (schedule classes and functions) before the statement that uses them. */
import type { TextEdit } from '../types';
import { requote } from './requote';
import { descendants, enclosingStatement, lineIndent, lineStart, type Node } from './syntax';
import { reindent, type PythonStyle } from './style';

/**
 * Inserts `code` (4-space, '\n') before the statement holding `user`, or — when definitions with one of
 * `names` exist already — replaces them (from the first to the last) in place. Returns the edit and whether
 * it replaced existing definitions.
 */
export function placeDefinitions(root: Node, text: string, user: Node, code: string, names: ReadonlySet<string>, style: PythonStyle): { edit: TextEdit; replaced: boolean } {
  const assignments = [...descendants(root, 'assignment')]
    .filter((a) => a.parent?.type === 'expression_statement' && names.has(a.childForFieldName('left')?.text ?? ''))
    .map((a) => a.parent!);
  const existing = [...descendants(root, 'function_definition'), ...descendants(root, 'class_definition')]
    .filter((d) => names.has(d.childForFieldName('name')?.text ?? ''))
    .concat(assignments)
    .map((d) => (d.parent?.type === 'decorated_definition' ? d.parent : d))
    .sort((a, b) => a.startIndex - b.startIndex);
  if (existing.length > 0) {
    const first = existing[0]!;
    const last = existing[existing.length - 1]!;
    const indent = lineIndent(text, first.startIndex);
    return { edit: { start: lineStart(text, first.startIndex), end: last.endIndex, newText: requote(reindent(code, indent, style), style) }, replaced: true };
  }
  const statement = enclosingStatement(user);
  const indent = lineIndent(text, statement.startIndex);
  // keep the comment lines right above the statement with it
  let top = statement;
  for (let prev = top.previousSibling; prev?.type === 'comment' && prev.endPosition.row + 1 === top.startPosition.row; prev = prev.previousSibling) top = prev;
  const at = lineStart(text, top.startIndex);
  // PEP 8: two blank lines around module-level definitions, one inside a function
  const blank = statement.parent?.type === 'module' ? 2 : 1;
  const newlines = /(?:[ \t]*\r?\n)*$/.exec(text.slice(Math.max(0, at - 200), at))![0].split('\n').length - 1;
  const already = at === 0 ? blank : newlines - 1; // the first newline ends the line before
  const before = style.eol.repeat(Math.max(0, blank - already));
  const after = style.eol.repeat(blank + 1);
  return { edit: { start: at, end: at, newText: before + requote(reindent(code, indent, style), style) + after }, replaced: false };
}
