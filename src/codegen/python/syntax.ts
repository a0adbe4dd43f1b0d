/** Small helpers over tree-sitter-python syntax nodes. */
import type { Node, Tree } from 'web-tree-sitter';

export type { Node, Tree };

/** Named children of a node (tree-sitter returns nullable entries). */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((n): n is Node => n !== null);
}

/** Dotted name of a call's callee (`torch.optim.SGD`), or null when it is not a plain dotted name. */
export function calleeName(call: Node): string | null {
  let byId = callees.get(call.tree);
  if (!byId) callees.set(call.tree, (byId = new Map()));
  let name = byId.get(call.id);
  if (name === undefined) {
    const fn = call.childForFieldName('function');
    byId.set(call.id, (name = fn && isDotted(fn) ? fn.text : null));
  }
  return name;
}

/** Callee names per tree: planners ask for the same calls' names many times. */
const callees = new WeakMap<Tree, Map<number, string | null>>();

export function isDotted(node: Node): boolean {
  if (node.type === 'identifier') return true;
  if (node.type !== 'attribute') return false;
  const object = node.childForFieldName('object');
  return object !== null && isDotted(object);
}

/** Last component of a dotted name. */
export function lastName(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** The argument_list of a call. */
export function argList(call: Node): Node | null {
  return call.childForFieldName('arguments');
}

/** The value node of `name=` in a call, or null. */
export function kwarg(call: Node, name: string): Node | null {
  const args = argList(call);
  if (!args) return null;
  for (const a of kids(args)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value');
  }
  return null;
}

/** The keyword_argument node `name=…` of a call, or null. */
export function kwargNode(call: Node, name: string): Node | null {
  const args = argList(call);
  if (!args) return null;
  return kids(args).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) ?? null;
}

/** Positional arguments of a call. */
export function positional(call: Node): Node[] {
  const args = argList(call);
  if (!args) return [];
  return kids(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
}

/** A numeric literal's value (also `-x`, `1e-3`), else null. */
export function literalNumber(node: Node | null): number | null {
  if (!node) return null;
  if (node.type === 'integer' || node.type === 'float') {
    const v = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : null;
  }
  if (node.type === 'unary_operator' && node.text.startsWith('-')) {
    const arg = node.childForFieldName('argument');
    const v = literalNumber(arg);
    return v === null ? null : -v;
  }
  return null;
}

const cache = new WeakMap<Tree, Map<string, Node[]>>();

/**
 * Descendants of `node` with the given type, in document order (comments and strings hold none), cached per
 * tree: planners ask for the calls of the same tree several times.
 */
export function descendants(node: Node, type: string): readonly Node[] {
  let byKey = cache.get(node.tree);
  if (!byKey) cache.set(node.tree, (byKey = new Map()));
  const key = `${node.id}:${type}`;
  let found = byKey.get(key);
  if (!found) {
    found = [];
    const cursor = node.walk();
    let more = true;
    while (more) {
      if (cursor.nodeType === type) found.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
    }
    cursor.delete();
    byKey.set(key, found);
  }
  return found;
}

/** The statement that holds `node` directly inside a block or module (e.g. the expression_statement of an assignment). */
export function enclosingStatement(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Nearest ancestor of one of the given types. */
export function ancestor(node: Node, types: readonly string[]): Node | null {
  for (let n = node.parent; n; n = n.parent) if (types.includes(n.type)) return n;
  return null;
}

/** The leading whitespace of the line that holds offset `at`. */
export function lineIndent(text: string, at: number): string {
  const start = lineStart(text, at);
  return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
}

export function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The end of the line holding `at` (index of its '\r\n' / '\n', or the text's length). */
export function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  if (nl === -1) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** 0-based line number of an offset. */
export function lineOf(text: string, at: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The assignment's target text when `call` is the right-hand side of `x = call(...)`. */
export function assignedName(call: Node): string | null {
  const parent = call.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id) {
    return parent.childForFieldName('left')?.text ?? null;
  }
  return null;
}
