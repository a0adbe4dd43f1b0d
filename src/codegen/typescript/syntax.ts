/** Reading TS/JS files from their tree-sitter syntax tree: what code generation and anchors look for. */
import type { Node } from 'web-tree-sitter';
import { BLOCK_END, BLOCK_START, CALLBACK_FUNCTION } from './tfjs-block';

export type { Node };

/** File extensions read as TS/JS. */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Whether a file name is TS/JS by its extension (declaration files excluded). */
export function isScriptFile(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return !lower.endsWith('.d.ts') && SCRIPT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Whether generated code for this file is TypeScript (with annotations) or JavaScript. */
export function scriptLanguageOf(fileName: string): 'ts' | 'js' {
  return /\.[cm]?tsx?$/i.test(fileName) ? 'ts' : 'js';
}

/** The experiment module naming convention: `*.experiment.ts|js|mjs` (and the other script extensions). */
export function isExperimentFile(fileName: string): boolean {
  return /\.experiment\.[cm]?[jt]sx?$/i.test(fileName);
}

/** The named children of a node that are code (comments and a `#!` line left out): statements, arguments, members. */
export function members(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) {
    if (child && child.type !== 'comment' && child.type !== 'hash_bang_line') out.push(child);
  }
  return out;
}

/**
 * Where a node's code ends. A statement that ends without `;` holds the comments that follow it on its
 * line (tree-sitter places the implied semicolon after them); its code ends at its last token before them.
 */
export function endOf(node: Node): number {
  const last = node.lastChild;
  if (last === null || (last.type !== 'comment' && last.startIndex !== last.endIndex)) return node.endIndex;
  for (let i = node.childCount - 1; i >= 0; i--) {
    const child = node.child(i);
    if (child && child.type !== 'comment' && child.startIndex !== child.endIndex) return endOf(child);
  }
  return node.startIndex;
}

/** Whether two handles are the same node. */
export function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** Whether a list (arguments, object members) ends with a comma before its closing bracket. */
export function hasTrailingComma(list: Node): boolean {
  for (let i = list.childCount - 2; i >= 0; i--) {
    const child = list.child(i);
    if (child && child.type !== 'comment') return child.type === ',';
  }
  return false;
}

/** The expression inside parentheses, `as` and `satisfies` (`(x as T)` → `x`). */
export function unwrap(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' || current.type === 'as_expression' || current.type === 'satisfies_expression') {
    const inner = members(current)[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The name a property key stands for: `callbacks`, `'callbacks'` and `"callbacks"` alike, else null (computed keys, numbers). */
export function propertyName(key: Node | null): string | null {
  if (key === null) return null;
  if (key.type === 'property_identifier') return key.text;
  if (key.type === 'string') return key.text.slice(1, -1);
  return null;
}

/** The value of a number literal (`1e-3`, `1_000`, `0x10`), else null. */
export function numberValue(node: Node | null): number | null {
  if (node?.type !== 'number') return null;
  return Number(node.text.replace(/_/g, ''));
}

export interface FitCall {
  call: Node;
  method: 'fit' | 'fitDataset';
  /** `model` in `model.fit(…)`. */
  receiver: Node;
  /** The `(…)` node. */
  argumentList: Node;
  /** The arguments, in order. */
  args: Node[];
  /** Index of the options argument (`fit(x, y, options)`: 2, `fitDataset(dataset, options)`: 1). */
  optionsIndex: number;
}

/** `x.name(…)` (also `x?.name(…)`): the member expression and the arguments, else null. */
export function methodCall(node: Node): { callee: Node; name: string; argumentList: Node } | null {
  if (node.type !== 'call_expression') return null;
  const callee = node.childForFieldName('function');
  const argumentList = node.childForFieldName('arguments');
  if (callee?.type !== 'member_expression' || argumentList?.type !== 'arguments') return null;
  const property = callee.childForFieldName('property');
  if (property?.type !== 'property_identifier') return null;
  return { callee, name: property.text, argumentList };
}

/** Recognises `x.fit(a, b, …)` and `x.fitDataset(d, …)`; the argument counts rule out look-alikes such as `scaler.fit(data)`. */
export function asFitCall(node: Node): FitCall | null {
  const call = methodCall(node);
  if (call === null || (call.name !== 'fit' && call.name !== 'fitDataset')) return null;
  const args = members(call.argumentList);
  const receiver = call.callee.childForFieldName('object');
  if (receiver === null) return null;
  if (call.name === 'fit' && args.length >= 2) return { call: node, method: 'fit', receiver, argumentList: call.argumentList, args, optionsIndex: 2 };
  if (call.name === 'fitDataset' && args.length >= 1) return { call: node, method: 'fitDataset', receiver, argumentList: call.argumentList, args, optionsIndex: 1 };
  return null;
}

/** Every fit/fitDataset call in the file, in source order. */
export function findFitCalls(root: Node): FitCall[] {
  const calls: FitCall[] = [];
  for (const node of root.descendantsOfType('call_expression')) {
    const fit = node && asFitCall(node);
    if (fit) calls.push(fit);
  }
  return calls;
}

/**
 * A call still being typed: `model.fit(xs, ys, {` with no closing bracket yet is not a call node but
 * tokens in an error node, `callee` (the member expression) among them. Its arguments are counted from
 * those tokens; it runs to its `)` or to the end of the error. Null when `callee` is not followed by `(`
 * in an error node.
 */
export function unfinishedCall(callee: Node): { count: number; end: number } | null {
  const open = callee.nextSibling;
  if (callee.parent?.type !== 'ERROR' || open?.type !== '(') return null;
  let depth = 0;
  let commas = 0;
  let sawArgument = false;
  let end = open.endIndex;
  for (let token = open.nextSibling; token !== null; token = token.nextSibling) {
    if (token.type === 'comment') continue;
    end = token.endIndex;
    if (depth === 0 && token.type === ')') break;
    if (token.type === '(' || token.type === '[' || token.type === '{') depth++;
    else if (token.type === ')' || token.type === ']' || token.type === '}') depth--;
    else if (depth === 0 && token.type === ',') {
      commas++;
      sawArgument = false;
      continue;
    }
    sawArgument = true;
  }
  return { count: commas === 0 && !sawArgument ? 0 : commas + (sawArgument ? 1 : 0), end };
}

/** The fit/fitDataset calls still being typed (see unfinishedCall), by their member expression `model.fit`. */
export function findUnfinishedFitCalls(root: Node): { callee: Node; method: 'fit' | 'fitDataset' }[] {
  const found: { callee: Node; method: 'fit' | 'fitDataset' }[] = [];
  for (const error of root.descendantsOfType('ERROR')) {
    for (const callee of error ? members(error) : []) {
      const method = callee.type === 'member_expression' ? callee.lastChild?.text : undefined;
      if (method !== 'fit' && method !== 'fitDataset') continue;
      const call = unfinishedCall(callee);
      if (call && call.count >= (method === 'fit' ? 2 : 1)) found.push({ callee, method });
    }
  }
  return found;
}

/** Whether a fit call already passes its callbacks through `withLrSchedule(…)`. */
export function isWired(fit: FitCall): boolean {
  return fit.argumentList.descendantsOfType('call_expression').some((call) => {
    const callee = call?.childForFieldName('function');
    return callee?.type === 'identifier' && callee.text === CALLBACK_FUNCTION;
  });
}

/** Names that can be repeated safely: `model`, `this.model`, `trainer.net`. */
export function isPlainReference(node: Node): boolean {
  if (node.type === 'identifier' || node.type === 'this') return true;
  if (node.type !== 'member_expression') return false;
  const object = node.childForFieldName('object');
  const property = node.childForFieldName('property');
  return object !== null && (property?.type === 'property_identifier' || property?.type === 'private_property_identifier') && isPlainReference(object);
}

export interface BlockRange {
  /** Start of the BLOCK_START line. */
  start: number;
  /** End of the BLOCK_END line (before its line break). */
  end: number;
}

/** The generated LR Scope block, found by its marker comments (markers inside strings do not count). */
export function findBlock(root: Node, text: string): BlockRange | 'unterminated' | null {
  const start = findCommentLine(root, text, BLOCK_START, 0);
  if (start === null) return null;
  const end = findCommentLine(root, text, BLOCK_END, start);
  if (end === null) return 'unterminated';
  const lineEnd = text.slice(end).search(/\r?\n|$/);
  return { start, end: end + lineEnd };
}

/** Line start of the first line at or after `from` that begins (after indentation) with the comment `marker`. */
function findCommentLine(root: Node, text: string, marker: string, from: number): number | null {
  for (let at = text.indexOf(marker, from); at !== -1; at = text.indexOf(marker, at + marker.length)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() === '' && root.descendantForIndex(at, at + 1)?.type === 'comment') return lineStart;
  }
  return null;
}

export interface TfImports {
  /** The name `@tensorflow/tfjs*` is bound to as a namespace (`import * as tf`, `const tf = require(…)`), if any. */
  namespace: string | null;
  /** The tfjs package the file imports, if any (`@tensorflow/tfjs-node`, …). */
  moduleName: string | null;
  /** Whether the file loads modules with `require` rather than `import`. */
  commonJs: boolean;
}

const isTfModule = (name: string): boolean => /^@tensorflow\/tfjs(-[a-z-]+)?$/.test(name);

/** The module of `require('name')`, else null. */
function requiredModule(node: Node | null): string | null {
  if (node?.type !== 'call_expression') return null;
  const callee = node.childForFieldName('function');
  const argumentList = node.childForFieldName('arguments');
  if (callee?.type !== 'identifier' || callee.text !== 'require' || argumentList?.type !== 'arguments') return null;
  const args = members(argumentList);
  return args.length === 1 && args[0]!.type === 'string' ? args[0]!.text.slice(1, -1) : null;
}

/** `const a = …, b = …;` (also `let`, `var` and `export const …`): its declarators, else null. */
function variableDeclarators(statement: Node): Node[] | null {
  const declaration = statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
  if (declaration?.type !== 'lexical_declaration' && declaration?.type !== 'variable_declaration') return null;
  return members(declaration).filter((d) => d.type === 'variable_declarator');
}

/** `import x = require('m')`: the name and the module, else null. */
function importRequire(statement: Node): { name: string; moduleName: string } | null {
  if (statement.type !== 'import_statement') return null;
  const clause = members(statement).find((c) => c.type === 'import_require_clause');
  const name = clause && members(clause).find((c) => c.type === 'identifier');
  const source = clause && members(clause).find((c) => c.type === 'string');
  return name && source ? { name: name.text, moduleName: source.text.slice(1, -1) } : null;
}

/** How the file imports TensorFlow.js. */
export function findTfImports(root: Node, fileName: string): TfImports {
  const found: TfImports = { namespace: null, moduleName: null, commonJs: false };
  let sawImport = false;
  for (const statement of members(root)) {
    const required = importRequire(statement);
    if (required) {
      if (isTfModule(required.moduleName) && !found.namespace) [found.namespace, found.moduleName] = [required.name, required.moduleName];
    } else if (statement.type === 'import_statement') {
      sawImport = true;
      const source = statement.childForFieldName('source');
      const clause = members(statement).find((c) => c.type === 'import_clause');
      const typeOnly = statement.children.some((c) => c?.type === 'type');
      const name = source ? source.text.slice(1, -1) : '';
      if (!isTfModule(name) || !clause || typeOnly) continue;
      found.moduleName ??= name;
      const parts = members(clause);
      const namespaceImport = parts.find((p) => p.type === 'namespace_import');
      const binding = namespaceImport ? members(namespaceImport).find((p) => p.type === 'identifier') : parts.find((p) => p.type === 'identifier');
      if (binding && !found.namespace) [found.namespace, found.moduleName] = [binding.text, name];
    } else {
      for (const declarator of variableDeclarators(statement) ?? []) {
        const name = requiredModule(declarator.childForFieldName('value'));
        if (name === null) continue;
        found.commonJs = true;
        if (!isTfModule(name)) continue;
        found.moduleName ??= name;
        const binding = declarator.childForFieldName('name');
        if (binding?.type === 'identifier' && !found.namespace) [found.namespace, found.moduleName] = [binding.text, name];
      }
    }
  }
  if (sawImport) found.commonJs = false;
  if (/\.cjs$/i.test(fileName)) found.commonJs = true;
  return found;
}

/** Whether a statement belongs to the file's header: imports, requires, directives like 'use strict'. */
function isHeaderStatement(statement: Node): boolean {
  if (statement.type === 'import_statement' || statement.type === 'import_alias') return true;
  if (statement.type === 'expression_statement') return members(statement)[0]?.type === 'string';
  const declarators = variableDeclarators(statement);
  return declarators !== null && declarators.every((d) => requiredModule(d.childForFieldName('value')) !== null);
}

/** The last statement of the file's leading run of imports/requires/directives, if any. */
export function lastHeaderStatement(root: Node): Node | null {
  let last: Node | null = null;
  for (const statement of members(root)) {
    if (!isHeaderStatement(statement)) break;
    last = statement;
  }
  return last;
}

/** Whether any identifier in the file is spelled `name` (variables, properties, types, labels alike). */
export function usesIdentifier(root: Node, text: string, name: string): boolean {
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  for (let match = word.exec(text); match !== null; match = word.exec(text)) {
    const node = root.descendantForIndex(match.index, match.index + name.length);
    if (node && node.type.endsWith('identifier') && node.type !== 'private_property_identifier' && node.text === name) return true;
  }
  return false;
}

/** 0-based line of `pos` (lines end at `\n`). */
export function lineAt(text: string, pos: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
