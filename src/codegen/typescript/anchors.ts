/**
 * CodeLens anchors in TS/JS files: experiment modules' default export, TF.js fit / fitDataset /
 * compile calls, `tf.train.*` optimizer constructions and LR Scope's own schedule blocks.
 *
 * Read from the tree-sitter syntax tree, which the parser keeps per file and reparses incrementally
 * as the editor asks on every change. A text scan proposes the words an anchor can hang on (`fit`,
 * `adam`, `AdamOptimizer`, `export`, `module`); the tree confirms each one (a real call, not a
 * comment, a string or a look-alike) and names it, so only a few hundred nodes of a 2,000-line file
 * are ever looked at (bench/anchors.bench.ts).
 */
import type { Tree } from 'web-tree-sitter';
import type { Anchor, AnchorKind } from '../types';
import { reparseOf, type Reparse } from '../parsers';
import type { ScriptParser } from './parser';
import { endOf, findBlock, isExperimentFile, isPlainReference, members, numberValue, same, unfinishedCall, unwrap, type Node } from './syntax';

/** tf.train.* factory functions. */
const OPTIMIZER_FACTORIES = new Set(['sgd', 'momentum', 'adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta']);
/** tf.js optimizer classes, for `new tf.AdamOptimizer(…)`. */
const OPTIMIZER_CLASSES = new Set([
  'SGDOptimizer',
  'MomentumOptimizer',
  'AdamOptimizer',
  'AdamaxOptimizer',
  'RMSPropOptimizer',
  'AdagradOptimizer',
  'AdadeltaOptimizer',
]);
const CALL_NAMES = new Set(['fit', 'fitDataset', 'compile', ...OPTIMIZER_FACTORIES]);
/** Constants of a generated block that hold its peak learning rate. */
const PEAK_NAMES = new Set(['maxLr', 'lrMax', 'peakValue', 'endLr', 'lr']);
/** The words an anchor hangs on (`\\b` does not see `$` and `#` as parts of names: isWordAt checks those). */
const CANDIDATES = new RegExp(`\\b(?:${[...CALL_NAMES, ...OPTIMIZER_CLASSES, 'export', 'module'].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');

/** Whether the match at [start, end) is a whole name: `$fit`, `#fit`, `fit$` and `äfit` are other names. */
function isWordAt(root: Node, text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  if (before === 36 || before === 35 || after === 36) return false; // $ # $
  if (!(before >= 128) && !(after >= 128)) return true; // NaN: the start or end of the text
  const node = root.descendantForIndex(start, end);
  return node !== null && node.startIndex === start && node.endIndex === end;
}

/** After `export`: `default` (or a comment, which the tree reads past); else the statement cannot be a default export. */
const EXPORT_DEFAULT = /\s*(?:default(?![\w$])|\/)/y;

/** The anchors found in each tree (the parser hands back the same tree for the same text). */
const found = new WeakMap<Tree, { fileName: string; anchors: Anchor[] }>();

/**
 * Finds the anchors of a TS/JS file, sorted by position. After an edit (the parser reparsed the
 * file's previous tree) only the top-level statements the edit or a change of syntax touched are read
 * again; the anchors of the others are the previous ones, moved with the text.
 */
export function detectTsAnchors(parser: ScriptParser, text: string, fileName: string): Anchor[] {
  const tree = parser.parse(text, fileName);
  let known = found.get(tree);
  if (known?.fileName !== fileName) found.set(tree, (known = { fileName, anchors: findAnchors(tree, text, fileName) }));
  return known.anchors.map((a) => ({ ...a }));
}

function findAnchors(tree: Tree, text: string, fileName: string): Anchor[] {
  const root = tree.rootNode;
  const lines = lineStarts(text);
  const reparse = reparseOf(tree);
  const before = reparse && found.get(reparse.previous);
  let anchors: Anchor[];
  // When the whole file is an error node, a call being typed runs to its end (see unfinishedCall): read it all again.
  if (reparse && before?.fileName === fileName && root.type === 'program') {
    const { kept, touched } = afterEdit(root, before.anchors, reparse);
    anchors = kept.map((a) => ({ ...a, line: lineOf(lines, a.start) }));
    for (const [from, to] of touched) anchors.push(...statementAnchors(root, text, fileName, lines, from, to));
  } else {
    anchors = statementAnchors(root, text, fileName, lines, 0, text.length);
  }
  const block = findBlock(root, text);
  if (block !== null && block !== 'unterminated') {
    const maxLr = peakOf(root, block.start, block.end);
    anchors.push({ kind: 'scheduler', framework: 'tfjs', start: block.start, end: block.end, line: lineOf(lines, block.start), name: 'lrAt', ...(maxLr !== null ? { maxLr } : {}) });
  }
  return anchors.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * After an edit: the ranges of the top-level statements that touch the edit or a range whose syntax
 * changed (to be read again), and the previous anchors that lie in one of the other statements, moved
 * with the text. Every anchor is read from inside one top-level statement (an error node among them),
 * so an untouched statement holds the same anchors as before.
 */
function afterEdit(root: Node, previous: Anchor[], { edit, changed }: Reparse): { kept: Anchor[]; touched: [number, number][] } {
  const dirty = [{ start: edit.start, end: edit.newEnd }, ...changed];
  const touched: [number, number][] = [];
  const untouched: [number, number][] = [];
  for (const statement of members(root)) {
    const range: [number, number] = [statement.startIndex, statement.endIndex];
    (dirty.some((d) => range[0] <= d.end && d.start <= range[1]) ? touched : untouched).push(range);
  }
  const delta = edit.newEnd - edit.oldEnd;
  const kept: Anchor[] = [];
  for (const anchor of previous) {
    if (anchor.kind === 'scheduler' || (anchor.end >= edit.start && anchor.start <= edit.oldEnd)) continue;
    const shift = anchor.start > edit.oldEnd ? delta : 0;
    const start = anchor.start + shift;
    const end = anchor.end + shift;
    const home = containing(untouched, start);
    if (home && end <= home[1]) kept.push({ ...anchor, start, end });
  }
  return { kept, touched };
}

/** The range (sorted, disjoint) that holds `pos`, if any. */
function containing(ranges: [number, number][], pos: number): [number, number] | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (pos < start) hi = mid - 1;
    else if (pos >= end) lo = mid + 1;
    else return ranges[mid];
  }
  return undefined;
}

/** The anchors (all but the generated block's) whose words start in [from, to). */
function statementAnchors(root: Node, text: string, fileName: string, lines: number[], from: number, to: number): Anchor[] {
  const experimentFile = isExperimentFile(fileName);
  const anchors: Anchor[] = [];
  const add = (kind: AnchorKind, start: number, end: number, name?: string): void => {
    const anchor: Anchor = { kind, framework: 'tfjs', start, end, line: lineOf(lines, start) };
    if (name !== undefined) anchor.name = name;
    anchors.push(anchor);
  };

  CANDIDATES.lastIndex = from;
  for (let match = CANDIDATES.exec(text); match !== null && match.index < to; match = CANDIDATES.exec(text)) {
    const word = match[0];
    const wordEnd = match.index + word.length;
    if (!isWordAt(root, text, match.index, wordEnd)) continue;
    if (CALL_NAMES.has(word)) {
      const call = callOf(root, text, match.index, wordEnd);
      if (call === null) continue;
      const { count, start, end } = call;
      if ((word === 'fit' && count >= 2) || (word === 'fitDataset' && count >= 1)) {
        add('fit', start, end, receiverOf(call.callee).text);
      } else if (word === 'compile' && count === 1 && isCompileOptions(call.first)) {
        add('compile', start, end, receiverOf(call.callee).text);
      } else if (OPTIMIZER_FACTORIES.has(word) && isTrain(receiverOf(call.callee))) {
        add('optimizer', start, end, optimizerName(root, call.node, call.callee));
      }
      continue;
    }
    const node = root.descendantForIndex(match.index, wordEnd);
    if (!node || node.startIndex !== match.index || node.endIndex !== wordEnd) continue;
    if (OPTIMIZER_CLASSES.has(word)) {
      const construction = newOf(node);
      if (construction) add('optimizer', construction.startIndex, endOf(construction), optimizerName(root, construction, construction.childForFieldName('constructor')!));
    } else if (word === 'export') {
      EXPORT_DEFAULT.lastIndex = match.index + word.length;
      if (!EXPORT_DEFAULT.test(text)) continue;
      const statement = node.parent;
      if (statement?.type !== 'export_statement' || !statement.children.some((c) => c?.type === 'default')) continue;
      const declaration = statement.childForFieldName('declaration');
      const value = statement.childForFieldName('value');
      if (declaration?.type === 'function_declaration' || declaration?.type === 'generator_function_declaration') {
        const body = declaration.childForFieldName('body');
        if (experimentFile || (body !== null && returnsExperiment(body))) {
          add('experiment', statement.startIndex, endOf(statement), declaration.childForFieldName('name')?.text ?? 'default');
        }
      } else if (value !== null && value.type !== 'class') {
        if (experimentFile || looksLikeExperiment(value)) add('experiment', statement.startIndex, endOf(statement), 'default');
      }
    } else if (word === 'module' && experimentFile) {
      const statement = moduleExportsStatement(node);
      if (statement) add('experiment', statement.startIndex, endOf(statement), 'module.exports');
    }
  }

  return anchors;
}

interface CallOf {
  node: Node;
  /** `model.fit` in `model.fit(…)`. */
  callee: Node;
  /** The number of arguments and the first one (null when the call is unfinished and its arguments are only counted). */
  count: number;
  first: Node | null;
  start: number;
  end: number;
}

/**
 * The call `x.word(…)` whose method name is the word at [start, end), also one still being typed (see
 * unfinishedCall), else null. The editor asks on every keystroke, so the tree is read top-down: the
 * smallest node holding the name and the `(` after it is the call, if it is one (a comment, a string,
 * `new x.word(…)` otherwise), and positions stand in for field look-ups where they must agree.
 */
function callOf(root: Node, text: string, start: number, end: number): CallOf | null {
  let open = end;
  while (open < text.length && /\s/.test(text[open]!)) open++;
  if (text[open] === '(') {
    const call = root.descendantForIndex(start, open + 1);
    if (call?.type === 'call_expression') {
      const callee = call.firstChild!;
      const argumentList = call.lastChild;
      if (callee.type !== 'member_expression' || callee.endIndex !== end || argumentList?.type !== 'arguments' || argumentList.startIndex !== open) return null;
      // Comments are named children too: count the arguments one by one only when there may be one.
      const commented = text.slice(open, argumentList.endIndex).includes('/');
      const args = commented ? members(argumentList) : null;
      const count = args ? args.length : argumentList.namedChildCount;
      const first = args ? (args[0] ?? null) : count > 0 ? argumentList.namedChild(0) : null;
      return { node: call, callee, count, first, start: call.startIndex, end: call.endIndex };
    }
    if (call?.type !== 'ERROR') return null;
  }
  // Comments or type arguments before `(`, or an unfinished call: from the name up.
  const name = root.descendantForIndex(start, end);
  if (name?.type !== 'property_identifier' || name.startIndex !== start || name.endIndex !== end) return null;
  const callee = name.parent;
  if (callee?.type !== 'member_expression' || callee.endIndex !== end) return null;
  const call = callee.parent;
  if (call?.type === 'call_expression' && call.startIndex === callee.startIndex) {
    const argumentList = call.lastChild;
    if (argumentList?.type !== 'arguments') return null;
    const args = members(argumentList);
    return { node: call, callee, count: args.length, first: args[0] ?? null, start: call.startIndex, end: call.endIndex };
  }
  const unfinished = unfinishedCall(callee);
  return unfinished && { node: callee, callee, count: unfinished.count, first: null, start: callee.startIndex, end: unfinished.end };
}

/** `model` in `model.fit` (a member expression's first child is its object). */
function receiverOf(callee: Node): Node {
  return callee.firstChild!;
}

/** `new AdamOptimizer(…)` / `new tf.AdamOptimizer(…)` whose class name is `node`, else null. */
function newOf(node: Node): Node | null {
  let constructor: Node | null = null;
  if (node.type === 'identifier') constructor = node;
  else if (node.type === 'property_identifier' && node.parent?.type === 'member_expression' && same(node.parent.childForFieldName('property'), node)) constructor = node.parent;
  const construction = constructor?.parent;
  return construction?.type === 'new_expression' && same(construction.childForFieldName('constructor'), constructor) ? construction : null;
}

/** `train` in `tf.train.adam` or `train.adam` (a named import). */
function isTrain(owner: Node): boolean {
  if (owner.type === 'identifier') return owner.text === 'train';
  return owner.type === 'member_expression' && owner.lastChild?.type === 'property_identifier' && owner.lastChild.text === 'train';
}

/** `compile({…})` or `compile(options)`: an object literal or a plain name. */
function isCompileOptions(arg: Node | null): boolean {
  return arg !== null && (arg.type === 'object' || isPlainReference(arg));
}

/**
 * The variable or property an optimizer (the call or `new` expression `node`) is stored in, else its
 * constructor as written. Its parent is the smallest node that also holds the character before it,
 * unless it starts where the node starts (`tf.train.adam().minimize`, not a declaration, a pair or an
 * assignment anyway). In a declarator, a pair and an assignment the value is the last child and the
 * name the first.
 */
function optimizerName(root: Node, node: Node, callee: Node): string {
  const parent = node.startIndex > 0 ? root.descendantForIndex(node.startIndex - 1, node.endIndex) : null;
  if (parent !== null && parent.endIndex === node.endIndex && (parent.type === 'variable_declarator' || parent.type === 'pair' || parent.type === 'assignment_expression')) {
    const name = parent.firstChild!;
    if (parent.type === 'assignment_expression') return name.text;
    if (name.type === (parent.type === 'pair' ? 'property_identifier' : 'identifier')) return name.text;
  }
  return callee.text;
}

/** The statement `module.exports = …` whose `module` is `node`, else null. */
function moduleExportsStatement(node: Node): Node | null {
  const target = node.parent;
  if (target?.type !== 'member_expression' || !same(target.childForFieldName('object'), node) || target.text !== 'module.exports') return null;
  const assignment = target.parent;
  if (assignment?.type !== 'assignment_expression' || !same(assignment.childForFieldName('left'), target)) return null;
  const statement = assignment.parent;
  return statement?.type === 'expression_statement' ? statement : null;
}

/** An experiment's shape, for files not named *.experiment.*: an object (or a function returning one) with `model` and `data`. */
function looksLikeExperiment(expression: Node): boolean {
  const node = unwrap(expression);
  if (node.type === 'object') return hasExperimentMembers(node);
  if (node.type === 'arrow_function' || node.type === 'function_expression' || node.type === 'generator_function') {
    const body = node.childForFieldName('body');
    if (body === null) return false;
    return body.type === 'statement_block' ? returnsExperiment(body) : looksLikeExperiment(body);
  }
  return false;
}

function returnsExperiment(body: Node): boolean {
  return members(body).some((s) => {
    const value = s.type === 'return_statement' ? members(s)[0] : undefined;
    return value !== undefined && looksLikeExperiment(value);
  });
}

function hasExperimentMembers(object: Node): boolean {
  const names = new Set(
    members(object).map((m) => {
      if (m.type === 'shorthand_property_identifier') return m.text;
      const key = m.type === 'pair' ? m.childForFieldName('key') : m.type === 'method_definition' ? m.childForFieldName('name') : null;
      return key?.type === 'property_identifier' ? key.text : '';
    }),
  );
  return names.has('model') && names.has('data');
}

/** The peak LR written in a generated block: the number literal of its `const maxLr = …` (or lrMax, peakValue, …). */
function peakOf(root: Node, start: number, end: number): number | null {
  for (const statement of members(root)) {
    if (statement.endIndex <= start || statement.startIndex >= end || statement.type !== 'function_declaration') continue;
    const body = statement.childForFieldName('body');
    if (statement.childForFieldName('name')?.text !== 'lrAt' || body === null) continue;
    for (const inner of members(body)) {
      if (inner.type !== 'lexical_declaration' && inner.type !== 'variable_declaration') continue;
      for (const d of members(inner)) {
        const name = d.type === 'variable_declarator' ? d.childForFieldName('name') : null;
        const value = name?.type === 'identifier' && PEAK_NAMES.has(name.text) ? numberValue(d.childForFieldName('value')) : null;
        if (value !== null) return value;
      }
    }
  }
  return null;
}

/** Offsets where lines start (lines end at `\n`, as the editor counts them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
