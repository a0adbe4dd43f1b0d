/** The Python grammar, loaded through code generation's one parser loader (../parsers.ts). */
import { loadParser, type SyntaxParser } from '../parsers';

/** A ready Python parser (incremental: see SyntaxParser). */
export type PythonParser = SyntaxParser;

/** Loads web-tree-sitter and tree-sitter-python's grammar (from `wasmDir`, else beside the bundle or in node_modules). */
export function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  return loadParser('python', wasmDir);
}
