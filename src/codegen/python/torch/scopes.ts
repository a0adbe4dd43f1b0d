/**
 * Where names live in a Python file, as much as a schedule insertion needs: the function (or module) a node
 * runs in, the class a method belongs to, a function's parameters, the statement that first binds a name,
 * the calls of a function, and how an expression in a function reads at one of its call sites.
 */
import { ancestor, calleeName, descendants, kids, kwarg, positional, type Node, type Tree } from '../syntax';

/**
 * Answers per tree: a planner asks the same questions of the same nodes many times, and each walk up a
 * tree-sitter tree is a call into the parser's wasm.
 */
const memo = new WeakMap<Tree, Map<string, unknown>>();
function remember<T>(node: Node, key: string, compute: () => T): T {
  let byKey = memo.get(node.tree);
  if (!byKey) memo.set(node.tree, (byKey = new Map()));
  const k = `${key}:${node.id}`;
  if (byKey.has(k)) return byKey.get(k) as T;
  const value = compute();
  byKey.set(k, value);
  return value;
}

/** The function a node runs in, else the module. */
export function scopeOf(node: Node): Node {
  return remember(node, 'scope', () => ancestor(node, ['function_definition']) ?? moduleOf(node));
}

export function moduleOf(node: Node): Node {
  return node.tree.rootNode;
}

export function isModule(scope: Node): boolean {
  return scope.type === 'module';
}

export function functionName(fn: Node): string {
  return fn.childForFieldName('name')?.text ?? '';
}

/** The class whose body defines `fn` directly (a method), else null. */
export function classOf(fn: Node): Node | null {
  if (fn.type !== 'function_definition') return null;
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const block = holder.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : null;
}

/** Where a scope describes itself in messages: "`train()`", "`Trainer._run_batch()`", "module level". */
export function scopeLabel(scope: Node): string {
  if (isModule(scope)) return 'module level';
  const cls = classOf(scope);
  return `\`${cls ? `${cls.childForFieldName('name')?.text}.` : ''}${functionName(scope)}()\``;
}

export interface Parameter {
  name: string;
  node: Node;
  hasDefault: boolean;
  /** `*args`, `**kwargs`, a bare `*` or `/`. */
  star: 'none' | 'args' | 'kwargs' | 'marker';
}

export function parameters(fn: Node): Parameter[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  return kids(list)
    .filter((p) => p.type !== 'comment')
    .map((p): Parameter => {
      switch (p.type) {
        case 'identifier':
          return { name: p.text, node: p, hasDefault: false, star: 'none' };
        case 'typed_parameter': {
          const inner = kids(p)[0];
          if (inner?.type === 'list_splat_pattern') return { name: kids(inner)[0]?.text ?? '', node: p, hasDefault: false, star: 'args' };
          if (inner?.type === 'dictionary_splat_pattern') return { name: kids(inner)[0]?.text ?? '', node: p, hasDefault: false, star: 'kwargs' };
          return { name: inner?.text ?? '', node: p, hasDefault: false, star: 'none' };
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          return { name: p.childForFieldName('name')?.text ?? '', node: p, hasDefault: true, star: 'none' };
        case 'list_splat_pattern':
          return { name: kids(p)[0]?.text ?? '', node: p, hasDefault: false, star: 'args' };
        case 'dictionary_splat_pattern':
          return { name: kids(p)[0]?.text ?? '', node: p, hasDefault: false, star: 'kwargs' };
        default:
          return { name: '', node: p, hasDefault: false, star: 'marker' };
      }
    });
}

/** The names an assignment target binds (`a`, `a, b`, `(a, [b, c])`, `self.x`). */
export function targetNames(target: Node | null): string[] {
  if (!target) return [];
  if (target.type === 'identifier' || target.type === 'attribute' || target.type === 'subscript') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
    return kids(target).flatMap((k) => targetNames(k.type === 'list_splat_pattern' ? kids(k)[0] ?? null : k));
  }
  return [];
}

/** A statement binding a name, and the whole assignment when it is one. */
export interface Binding {
  statement: Node;
  assignment: Node | null;
  /** True when the name is the only target (`x = …`), false for `a, x = …`, a `for` target, `with … as x`. */
  sole: boolean;
}

/**
 * The statements of `scope` (not of functions nested in it) that bind `name`, in document order. For `self.x`
 * in a method, every method of the class counts.
 */
export function bindings(scope: Node, name: string): Binding[] {
  return remember(scope, `bindings:${name}`, () => findBindings(scope, name));
}

function findBindings(scope: Node, name: string): Binding[] {
  const scopes = name.startsWith('self.') && classOf(scope) ? methodsOf(classOf(scope)!) : [scope];
  const found: Binding[] = [];
  for (const s of scopes) {
    for (const a of descendants(s, 'assignment')) {
      if (scopeOf(a).id !== s.id) continue;
      const names = targetNames(a.childForFieldName('left'));
      if (!names.includes(name)) continue;
      const statement = statementOf(a);
      found.push({ statement, assignment: a, sole: names.length === 1 && a.childForFieldName('left')?.text === name });
    }
    for (const loop of descendants(s, 'for_statement')) {
      if (scopeOf(loop).id !== s.id) continue;
      if (targetNames(loop.childForFieldName('left')).includes(name)) found.push({ statement: loop, assignment: null, sole: false });
    }
    for (const item of descendants(s, 'as_pattern')) {
      if (scopeOf(item).id !== s.id) continue;
      if (kids(item).slice(1).some((k) => targetNames(kids(k)[0] ?? k).includes(name))) found.push({ statement: statementOf(item), assignment: null, sole: false });
    }
  }
  return found.sort((a, b) => a.statement.startIndex - b.statement.startIndex);
}

/** The statement holding `node` directly in a block or the module. */
export function statementOf(node: Node): Node {
  return remember(node, 'statement', () => findStatement(node));
}

function findStatement(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

export function methodsOf(cls: Node): Node[] {
  return descendants(cls, 'function_definition').filter((f) => classOf(f)?.id === cls.id);
}

/** Whether `name` is a parameter of `fn`. */
export function isParameter(fn: Node, name: string): boolean {
  return fn.type === 'function_definition' && parameters(fn).some((p) => p.name === name && p.star === 'none');
}

/**
 * The calls of function `fn` in the file: `fn(...)` for functions, `self.fn(...)` inside its class for methods,
 * `Cls(...)` for `Cls.__init__`.
 */
export function callSites(fn: Node): Node[] {
  return remember(fn, 'calls', () => findCallSites(fn));
}

function findCallSites(fn: Node): Node[] {
  const name = functionName(fn);
  const cls = classOf(fn);
  const root = moduleOf(fn);
  const clsName = cls?.childForFieldName('name')?.text;
  return descendants(root, 'call').filter((c) => {
    const callee = calleeName(c);
    if (!callee) return false;
    if (cls && name === '__init__') return callee === clsName || callee.endsWith(`.${clsName}`);
    if (cls) return callee === `self.${name}` && ancestor(c, ['class_definition'])?.id === cls.id;
    return callee === name;
  });
}

/** The argument a call passes for parameter `name` of `fn` (keyword, else by position; `self` skipped for methods), or null. */
export function argumentFor(fn: Node, call: Node, name: string): Node | null {
  const byKeyword = kwarg(call, name);
  if (byKeyword) return byKeyword;
  const params = parameters(fn).filter((p) => p.star === 'none');
  const offset = classOf(fn) && params[0]?.name === 'self' ? 1 : 0;
  const index = params.findIndex((p) => p.name === name) - offset;
  if (index < 0) return null;
  const args = positional(call);
  return args[index] ?? null;
}

const IDENTIFIER = /(?<![\w.])([A-Za-z_]\w*)/g;

/** The plain names an expression reads (not attributes after a dot, not keywords or builtins we know). */
export function namesIn(expr: string): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(IDENTIFIER)) if (!BUILTINS.has(m[1]!)) out.add(m[1]!);
  return [...out];
}

const BUILTINS = new Set(['len', 'range', 'int', 'float', 'min', 'max', 'math', 'None', 'True', 'False', 'and', 'or', 'not', 'is', 'in']);

/**
 * How `expr`, written inside `fn`, reads at call site `call`: each parameter of `fn` it uses becomes the
 * argument passed there. Null when a parameter it needs is not passed (defaults, `*args`).
 */
export function atCallSite(expr: string, fn: Node, call: Node): string | null {
  let failed = false;
  const out = expr.replace(IDENTIFIER, (whole, name: string) => {
    if (!isParameter(fn, name) || name === 'self') return whole;
    const arg = argumentFor(fn, call, name);
    if (!arg) {
      failed = true;
      return whole;
    }
    return /^[\w.]+$/.test(arg.text) ? arg.text : `(${arg.text})`;
  });
  return failed ? null : out;
}
