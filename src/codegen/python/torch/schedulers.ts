/**
 * What already sets an optimizer's learning rate in a script: torch's schedulers, Hugging Face's
 * `get_*_schedule*` / `get_scheduler`, timm's `create_scheduler`, and hand-written updates of
 * `param_groups[…]["lr"]`. The insertion replaces all of them, so only the new schedule drives the LR.
 */
import { calleeName, descendants, kids, kwarg, lastName, positional, type Node, type Tree } from '../syntax';
import { TORCH_SCHEDULERS } from '../torch-scheduler';
import { bindings, classOf, functionName, isParameter, moduleOf, parameters, scopeOf, statementOf, targetNames } from './scopes';

const OTHER_MAKERS = new Set(['ReduceLROnPlateau', 'ChainedScheduler', 'CosineAnnealingWarmRestarts', 'create_scheduler', 'create_scheduler_v2', 'get_scheduler']);

/** Whether a callee makes an LR scheduler (torch, Hugging Face, timm, LR Scope's own). */
export function isSchedulerMaker(callee: string): boolean {
  const name = lastName(callee);
  return TORCH_SCHEDULERS.has(name) || OTHER_MAKERS.has(name) || /^get_\w*schedule\w*$/.test(name);
}

/** A scheduler the script makes for the optimizer. */
export interface ExistingScheduler {
  /** The name it is bound to (`scheduler`, `lr_scheduler`). */
  name: string;
  statement: Node;
  call: Node;
  maker: string;
  /** False for `lr_scheduler, num_epochs = create_scheduler(…)`: the statement binds other names too. */
  sole: boolean;
  scope: Node;
}

/** An object's name in each scope it reaches: where it is made, and the parameters it is passed as. */
export type Aliases = Map<number, { scope: Node; name: string }>;

/**
 * The names `name` (in `scope`) goes by in the functions it is passed to, transitively: `train(…, optimizer)`
 * with `def train(…, opt)` gives `opt` in `train`. `self.x` reaches every method of the class.
 */
export function aliasesOf(root: Node, scope: Node, name: string, into: Aliases = new Map()): Aliases {
  if (into.has(scope.id) && into.get(scope.id)!.name === name) return into;
  into.set(scope.id, { scope, name });
  if (name.startsWith('self.')) return into;
  const defs = new Map<string, Node>();
  for (const fn of descendants(root, 'function_definition')) defs.set(functionName(fn), fn);
  for (const call of descendants(scope, 'call')) {
    if (scopeOf(call).id !== scope.id) continue;
    const callee = calleeName(call);
    const fn = callee ? defs.get(callee.startsWith('self.') ? callee.slice(5) : callee) : undefined;
    if (!fn || fn.id === scope.id) continue;
    const params = parameters(fn).filter((p) => p.star === 'none');
    const offset = callee!.startsWith('self.') && params[0]?.name === 'self' ? 1 : 0;
    positional(call).forEach((arg, i) => {
      const param = params[i + offset];
      if (arg.text === name && param) aliasesOf(root, fn, param.name, into);
    });
    const args = call.childForFieldName('arguments');
    for (const a of args ? kids(args) : []) {
      if (a.type === 'keyword_argument' && a.childForFieldName('value')?.text === name) {
        const param = params.find((p) => p.name === a.childForFieldName('name')?.text);
        if (param) aliasesOf(root, fn, param.name, into);
      }
    }
  }
  return into;
}

/**
 * The name an object has in `scope`: its alias there, else the module's name for it when the function
 * reads it as a global (does not bind or take a parameter of that name), else a `self.` name in a method.
 */
export function nameIn(aliases: Aliases, scope: Node): string | null {
  const own = aliases.get(scope.id);
  if (own) return own.name;
  const self = [...aliases.values()].find((a) => a.name.startsWith('self.'));
  if (self && classOf(scope) && classOf(self.scope) && classOf(scope)!.id === classOf(self.scope)!.id) return self.name;
  if (scope.type !== 'function_definition') return null;
  const global = aliases.get(moduleOf(scope).id);
  if (!global || isParameter(scope, global.name) || bindings(scope, global.name).length > 0) return null;
  return global.name;
}

/** The schedulers made for the optimizer (any of its aliases as an argument of a scheduler maker). */
export function existingSchedulers(root: Node, optimizer: Aliases): ExistingScheduler[] {
  const found: ExistingScheduler[] = [];
  for (const call of schedulerMakers(root)) {
    const callee = calleeName(call)!;
    const scope = scopeOf(call);
    const alias = nameIn(optimizer, scope);
    if (!alias) continue;
    const args = [...positional(call), ...(kwarg(call, 'optimizer') ? [kwarg(call, 'optimizer')!] : [])];
    if (!args.some((a) => a.text === alias)) continue;
    const assignment = call.parent?.type === 'assignment' ? call.parent : null;
    const names = targetNames(assignment?.childForFieldName('left') ?? null);
    if (!assignment || names.length === 0) continue;
    const name = names.find((n) => /sched/i.test(n)) ?? names[0]!;
    found.push({ name, statement: statementOf(call), call, maker: lastName(callee), sole: names.length === 1, scope });
  }
  return found;
}

/** The calls of the file that make schedulers (found once per tree). */
function schedulerMakers(root: Node): Node[] {
  let found = makers.get(root.tree);
  if (!found) makers.set(root.tree, (found = descendants(root, 'call').filter((c) => isSchedulerMaker(calleeName(c) ?? ''))));
  return found;
}
const makers = new WeakMap<Tree, Node[]>();

/** `<name>.step(…)` and `<name>.step_update(…)` statements of a scheduler (in every scope it reaches). */
export function schedulerSteps(root: Node, scheduler: Aliases): Node[] {
  const out: Node[] = [];
  for (const call of descendants(root, 'call')) {
    const callee = calleeName(call);
    if (!callee || !/\.(step|step_update)$/.test(callee)) continue;
    const receiver = callee.slice(0, callee.lastIndexOf('.'));
    if (nameIn(scheduler, scopeOf(call)) === receiver && call.parent?.type === 'expression_statement') out.push(call.parent);
  }
  return out;
}

/** A hand-written LR update of the optimizer: a `for g in opt.param_groups:` loop setting `g["lr"]`, or `opt.param_groups[i]["lr"] = …`. */
export interface HandLrUpdate {
  /** The statements to remove. */
  statements: Node[];
  /** When removing them leaves a block empty, the block's owner keeps a `pass`. */
  line: number;
}

export function handLrUpdates(root: Node, optimizer: Aliases): HandLrUpdate[] {
  const out: HandLrUpdate[] = [];
  const { loops, assignments } = lrWrites(root);
  for (const loop of loops) {
    const alias = nameIn(optimizer, scopeOf(loop));
    if (!alias || loop.childForFieldName('right')?.text !== `${alias}.param_groups`) continue;
    const group = loop.childForFieldName('left')?.text ?? '';
    const body = kids(loop.childForFieldName('body')!).filter((k) => k.type !== 'comment');
    const setsLr = body.filter((s) => isLrAssignment(s, group));
    if (setsLr.length === 0) continue;
    out.push({ statements: setsLr.length === body.length ? [loop] : setsLr, line: loop.startPosition.row + 1 });
  }
  for (const a of assignments) {
    const alias = nameIn(optimizer, scopeOf(a));
    const left = a.childForFieldName('left')?.text ?? '';
    if (alias && new RegExp(`^${escape(alias)}\\.param_groups\\[[^\\]]+\\]\\[\\s*["']lr["']\\s*\\]$`).test(left)) {
      out.push({ statements: [statementOf(a)], line: a.startPosition.row + 1 });
    }
  }
  return out;
}

/** The loops over `….param_groups` and the assignments to `….param_groups[…]` of the file (found once per tree). */
function lrWrites(root: Node): { loops: Node[]; assignments: Node[] } {
  let found = writes.get(root.tree);
  if (!found) {
    const groups = /\.param_groups\b/.test(root.text);
    found = {
      loops: groups ? descendants(root, 'for_statement').filter((l) => l.childForFieldName('right')?.text.endsWith('.param_groups')) : [],
      assignments: groups ? descendants(root, 'assignment').filter((x) => x.childForFieldName('left')?.text.includes('.param_groups[')) : [],
    };
    writes.set(root.tree, found);
  }
  return found;
}
const writes = new WeakMap<Tree, { loops: Node[]; assignments: Node[] }>();

function isLrAssignment(statement: Node, group: string): boolean {
  if (statement.type !== 'expression_statement') return false;
  const a = kids(statement)[0];
  if (a?.type !== 'assignment' && a?.type !== 'augmented_assignment') return false;
  return new RegExp(`^${escape(group)}\\[\\s*["']lr["']\\s*\\]$`).test(a.childForFieldName('left')?.text ?? '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
