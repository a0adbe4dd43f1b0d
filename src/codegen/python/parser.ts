/**
 * Loading the Python grammar (web-tree-sitter + tree-sitter-python's .wasm). This is the only module of
 * the core that touches the file system: it locates the two .wasm files, nothing else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// `import = require` makes bundlers take web-tree-sitter's CommonJS build (its ES module build needs
// `import.meta.url`, which a CommonJS bundle does not have).
import TreeSitter = require('web-tree-sitter');
import type { Tree } from 'web-tree-sitter';

const { Language, Parser } = TreeSitter;
type Parser = TreeSitter.Parser;

/** A ready Python parser. `parse` keeps the last tree and reparses incrementally when the text changed a little. */
export interface PythonParser {
  parse(text: string): Tree;
}

const RUNTIME = 'tree-sitter.wasm';
const GRAMMAR = 'tree-sitter-python.wasm';

/** Directories that may hold the .wasm files: beside the bundle (`dist/`), else node_modules. */
function candidateDirs(): { runtime: string[]; grammar: string[] } {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const roots = [here, join(here, '..'), join(here, '..', '..'), join(here, '..', '..', '..'), join(here, '..', '..', '..', '..'), process.cwd()];
  return {
    runtime: roots.flatMap((r) => [r, join(r, 'dist'), join(r, 'node_modules', 'web-tree-sitter')]),
    grammar: roots.flatMap((r) => [r, join(r, 'dist'), join(r, 'node_modules', 'tree-sitter-python')]),
  };
}

function locate(file: string, dirs: string[]): string {
  for (const d of dirs) {
    const path = join(d, file);
    if (existsSync(path)) return path;
  }
  throw new Error(`cannot find ${file} (looked in ${[...new Set(dirs)].join(', ')}); run the build, which copies it into dist/`);
}

let runtimeReady: Promise<void> | undefined;

/**
 * Loads web-tree-sitter and the Python grammar. `wasmDir` is a directory holding both `tree-sitter.wasm` and
 * `tree-sitter-python.wasm`; by default they are found beside the bundle (`dist/`) or in node_modules.
 * The returned parser reuses its previous tree (incremental reparse), so parsing the same file again after a
 * small edit costs a fraction of a full parse.
 */
export async function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  const dirs = wasmDir ? { runtime: [wasmDir], grammar: [wasmDir] } : candidateDirs();
  const runtimePath = locate(RUNTIME, dirs.runtime);
  const grammarPath = locate(GRAMMAR, dirs.grammar);
  runtimeReady ??= Parser.init({ locateFile: () => runtimePath });
  await runtimeReady;
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammarPath));
  return incrementalParser(parser);
}

function incrementalParser(parser: Parser): PythonParser {
  let lastText: string | undefined;
  let lastTree: Tree | undefined;
  return {
    parse(text: string): Tree {
      if (lastTree && lastText === text) return lastTree;
      let old: Tree | undefined;
      if (lastTree && lastText !== undefined) {
        old = lastTree;
        old.edit(diffEdit(lastText, text));
      }
      const tree = parser.parse(text, old);
      if (!tree) throw new Error('tree-sitter returned no tree');
      old?.delete();
      lastTree = tree;
      lastText = text;
      return tree;
    },
  };
}

interface Point {
  row: number;
  column: number;
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** The single replaced range between two texts (common prefix and suffix), as a tree-sitter edit. */
function diffEdit(before: string, after: string) {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}
