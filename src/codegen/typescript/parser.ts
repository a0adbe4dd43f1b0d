/** TS/JS files read with tree-sitter-typescript's grammars, loaded through code generation's one parser loader. */
import type { Tree } from 'web-tree-sitter';
import { loadParser } from '../parsers';

/** Parses TS/JS files, the grammar picked by the file's extension; trees are kept and reparsed incrementally per file. */
export interface ScriptParser {
  parse(text: string, fileName: string): Tree;
}

/** `.tsx` and the JavaScript extensions (JavaScript may hold JSX) take the TSX grammar, the other TypeScript files the TypeScript one. */
function usesTsx(fileName: string): boolean {
  return /\.(tsx|jsx|[cm]?js)$/i.test(fileName);
}

/** Loads both grammars (from `wasmDir`, else beside the bundle or in node_modules). */
export async function loadScriptParser(wasmDir?: string): Promise<ScriptParser> {
  const [typescript, tsx] = await Promise.all([loadParser('typescript', wasmDir), loadParser('tsx', wasmDir)]);
  return { parse: (text, fileName) => (usesTsx(fileName) ? tsx : typescript).parse(text, fileName) };
}
