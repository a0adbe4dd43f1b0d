/**
 * The one way code generation reads files: web-tree-sitter with a grammar per language
 * (tree-sitter-python's, tree-sitter-typescript's TypeScript and TSX .wasm files). This is the only
 * module of code generation that touches the file system: it locates the .wasm files, nothing else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// `import = require` makes bundlers take web-tree-sitter's CommonJS build (its ES module build needs
// `import.meta.url`, which a CommonJS bundle does not have).
import TreeSitter = require('web-tree-sitter');
import type { Tree } from 'web-tree-sitter';

const { Language, Parser } = TreeSitter;
type Parser = TreeSitter.Parser;

/** The grammars LR Scope reads: Python, TypeScript, and TSX (also used for JavaScript, which may hold JSX). */
export type Grammar = 'python' | 'typescript' | 'tsx';

/**
 * A ready parser for one grammar. `parse` keeps the last tree of each `document` (a file name; one
 * shared slot when omitted) and reparses incrementally from it: the previous text and the new one are
 * compared, the tree is edited (`tree.edit`) and reparsed with the old tree, so after a keystroke only
 * the changed region is parsed again. The same text gives the same tree back. A returned tree stays
 * valid until the next `parse` of the same document (or until the document drops out of the cache).
 */
export interface SyntaxParser {
  parse(text: string, document?: string): Tree;
}

const RUNTIME = 'tree-sitter.wasm';
const GRAMMARS: Record<Grammar, { file: string; packageName: string }> = {
  python: { file: 'tree-sitter-python.wasm', packageName: 'tree-sitter-python' },
  typescript: { file: 'tree-sitter-typescript.wasm', packageName: 'tree-sitter-typescript' },
  tsx: { file: 'tree-sitter-tsx.wasm', packageName: 'tree-sitter-typescript' },
};
/** Documents whose trees are kept per parser (the files open in the editor). */
const CACHED_DOCUMENTS = 16;

/** Directories that may hold a .wasm file: beside the bundle (`dist/`), else the package in node_modules. */
function candidateDirs(packageName: string): string[] {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const roots = [here, join(here, '..'), join(here, '..', '..'), join(here, '..', '..', '..'), join(here, '..', '..', '..', '..'), process.cwd()];
  return roots.flatMap((r) => [r, join(r, 'dist'), join(r, 'node_modules', packageName)]);
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
 * Loads web-tree-sitter and the grammar. `wasmDir` is a directory holding `tree-sitter.wasm` and the
 * grammar's .wasm; by default they are found beside the bundle (`dist/`) or in node_modules.
 */
export async function loadParser(grammar: Grammar, wasmDir?: string): Promise<SyntaxParser> {
  const { file, packageName } = GRAMMARS[grammar];
  const runtimePath = locate(RUNTIME, wasmDir ? [wasmDir] : candidateDirs('web-tree-sitter'));
  const grammarPath = locate(file, wasmDir ? [wasmDir] : candidateDirs(packageName));
  runtimeReady ??= Parser.init({ locateFile: () => runtimePath });
  await runtimeReady;
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammarPath));
  return incrementalParser(parser);
}

/** How a tree came from its document's previous one: the text edit and the ranges whose syntax changed (offsets in the new text). */
export interface Reparse {
  /** The document's previous tree (already deleted: only good for looking up what was computed from it). */
  previous: Tree;
  edit: { start: number; oldEnd: number; newEnd: number };
  changed: { start: number; end: number }[];
}

const reparses = new WeakMap<Tree, Reparse>();

/** How `tree` was reparsed from its document's previous tree, or undefined when it was a first parse. */
export function reparseOf(tree: Tree): Reparse | undefined {
  return reparses.get(tree);
}

function incrementalParser(parser: Parser): SyntaxParser {
  /** The last text and tree of each document, least recently parsed first. */
  const documents = new Map<string, { text: string; tree: Tree }>();
  return {
    parse(text: string, document = ''): Tree {
      const last = documents.get(document);
      documents.delete(document);
      if (last && last.text === text) {
        documents.set(document, last);
        return last.tree;
      }
      const edit = last && diffEdit(last.text, text);
      if (last && edit) last.tree.edit(edit);
      const tree = parser.parse(text, last?.tree);
      if (!tree) throw new Error('tree-sitter returned no tree');
      if (last && edit) {
        const changed = last.tree.getChangedRanges(tree).map((r) => ({ start: r.startIndex, end: r.endIndex }));
        reparses.set(tree, { previous: last.tree, edit: { start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex }, changed });
        last.tree.delete();
      }
      documents.set(document, { text, tree });
      if (documents.size > CACHED_DOCUMENTS) {
        const [oldest, entry] = documents.entries().next().value!;
        entry.tree.delete();
        documents.delete(oldest);
      }
      return tree;
    },
  };
}

interface Point {
  row: number;
  column: number;
}

/** The point of `index` in `text`, counting lines from `from` (a known point at offset `fromIndex`). */
function pointAt(text: string, index: number, from: Point = { row: 0, column: 0 }, fromIndex = 0): Point {
  let { row } = from;
  let lineStart = fromIndex - from.column;
  for (let i = text.indexOf('\n', fromIndex); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Compared in chunks first: the strings' own comparison is much faster than a loop over characters. */
const CHUNK = 512;

/** The single replaced range between two texts (common prefix and suffix), as a tree-sitter edit. */
function diffEdit(before: string, after: string) {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start + CHUNK <= max && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail + CHUNK <= max - start && before.slice(before.length - tail - CHUNK, before.length - tail) === after.slice(after.length - tail - CHUNK, after.length - tail)) tail += CHUNK;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  const startPosition = pointAt(before, start);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAt(before, oldEnd, startPosition, start),
    newEndPosition: pointAt(after, newEnd, startPosition, start),
  };
}
