/**
 * The optimizers a PyTorch script steps, found by what is stepped: `opt.step()` on anything that is also
 * zeroed, made by `torch.optim`, passed to a scheduler or scaler, or named like an optimizer, and
 * `scaler.step(opt)` (AMP). Each is traced back to the statement that makes it, across function
 * parameters (`train(…, optimizer, …)`), methods (`self.optimizer`), and any maker call
 * (`model.configure_optimizers(...)`, a factory).
 */
import { calleeName, descendants, kids, kwarg, lastName, literalNumber, positional, type Node } from '../syntax';
import { momentumSlot, TORCH_OPTIMIZERS, type MomentumSlot } from '../torch-scheduler';
import { argumentFor, bindings, callSites, isModule, isParameter, moduleOf, scopeLabel, scopeOf, statementOf, targetNames } from './scopes';
import { isSchedulerMaker } from './schedulers';

/** One place where the optimizer takes a step. */
export interface StepSite {
  /** The expression statement of the step call (`optimizer.step()`, `scaler.step(optimizer)`). */
  statement: Node;
  /** The optimizer as the site names it (`optimizer`, `self.optimizer`, `optimizerD`). */
  optimizer: string;
  scaler: string | null;
  scope: Node;
}

export interface TrackedOptimizer {
  /** The scope where it is made, and its name there. */
  home: Node;
  name: string;
  /** The statement that first binds it there. */
  creation: Node;
  /** The `torch.optim` class when the file makes it with one, else null. */
  cls: string | null;
  slot: MomentumSlot;
  sites: StepSite[];
}

/** A step whose optimizer could not be traced: it is left alone, and the reason is reported. */
export interface UntracedStep {
  site: StepSite;
  reason: string;
}

/** Whether a callee names a torch.optim optimizer (`torch.optim.SGD`, `optim.Adam`, or `SGD` imported from torch.optim). */
export function isTorchOptimizer(callee: string): boolean {
  if (!TORCH_OPTIMIZERS.has(lastName(callee))) return false;
  const prefix = callee.slice(0, callee.length - lastName(callee).length);
  return prefix === '' || prefix === 'torch.optim.' || prefix === 'optim.';
}

const SCALER = /scaler$/i;

/** Every optimizer step statement of the file. */
export function stepSites(root: Node): StepSite[] {
  const sites: StepSite[] = [];
  const evidence = optimizerEvidence(root);
  for (const call of descendants(root, 'call')) {
    const callee = calleeName(call);
    if (!callee?.endsWith('.step')) continue;
    const statement = call.parent;
    if (statement?.type !== 'expression_statement') continue;
    const receiver = callee.slice(0, -'.step'.length);
    const args = positional(call);
    if (SCALER.test(lastName(receiver)) || evidence.scalers.has(receiver)) {
      const opt = args[0];
      if (opt && /^[\w.]+$/.test(opt.text)) sites.push({ statement, optimizer: opt.text, scaler: receiver, scope: scopeOf(call) });
      continue;
    }
    if (args.length > 0 && !(args.length === 1 && kwarg(call, 'closure'))) continue;
    if (/sched/i.test(lastName(receiver)) || evidence.schedulers.has(receiver)) continue;
    if (!evidence.optimizers.has(receiver) && !/^opt/i.test(lastName(receiver)) && !/optim/i.test(lastName(receiver))) continue;
    sites.push({ statement, optimizer: receiver, scaler: null, scope: scopeOf(call) });
  }
  return sites;
}

/** Names the file treats as optimizers (zeroed, made by torch.optim, given to a scaler) or as schedulers and scalers. */
function optimizerEvidence(root: Node): { optimizers: Set<string>; schedulers: Set<string>; scalers: Set<string> } {
  const optimizers = new Set<string>();
  const schedulers = new Set<string>();
  const scalers = new Set<string>();
  for (const call of descendants(root, 'call')) {
    const callee = calleeName(call);
    if (!callee) continue;
    if (callee.endsWith('.zero_grad')) optimizers.add(callee.slice(0, -'.zero_grad'.length));
    const target = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left')?.text : undefined;
    if (!target) continue;
    if (isTorchOptimizer(callee)) optimizers.add(target);
    else if (isSchedulerMaker(callee)) schedulers.add(target);
    else if (lastName(callee) === 'GradScaler') scalers.add(target);
  }
  return { optimizers, schedulers, scalers };
}

type Trace = { home: Node; name: string; creation: Node } | { error: string };

/** Follows `name` in `scope` back to the statement that makes it. */
function trace(name: string, scope: Node, depth = 0): Trace {
  if (depth > 6) return { error: `\`${name}\` is passed through too many functions to follow` };
  // `self.optimizer = None` in __init__ holds a place: the optimizer is made where a value is bound
  const own = bindings(scope, name).filter((b) => b.assignment?.childForFieldName('right')?.type !== 'none');
  if (own.length > 0) {
    const first = own[0]!;
    return { home: scopeOf(first.statement), name, creation: first.statement };
  }
  if (!isModule(scope) && isParameter(scope, name)) {
    const calls = callSites(scope);
    if (calls.length === 0) return { error: `\`${name}\` is a parameter of ${scopeLabel(scope)}, which this file never calls` };
    let found: Trace | null = null;
    for (const call of calls) {
      const arg = argumentFor(scope, call, name);
      if (!arg || !/^[\w.]+$/.test(arg.text)) return { error: `the call of ${scopeLabel(scope)} on line ${call.startPosition.row + 1} does not pass \`${name}\` as a plain name` };
      const next = trace(arg.text, scopeOf(call), depth + 1);
      if ('error' in next) return next;
      if (found && !('error' in found) && found.creation.id !== next.creation.id) {
        return { error: `${scopeLabel(scope)} is called with different optimizers (lines ${found.creation.startPosition.row + 1} and ${next.creation.startPosition.row + 1})` };
      }
      found = next;
    }
    return found!;
  }
  if (!isModule(scope) && !name.includes('.')) return trace(name, moduleOf(scope), depth + 1);
  return { error: `cannot find where \`${name}\` is made` };
}

/** The optimizers the file steps, each with its step sites, and the steps that could not be traced. */
export function trackOptimizers(root: Node): { optimizers: TrackedOptimizer[]; untraced: UntracedStep[] } {
  const byCreation = new Map<number, TrackedOptimizer>();
  const untraced: UntracedStep[] = [];
  for (const site of stepSites(root)) {
    const t = trace(site.optimizer, site.scope);
    if ('error' in t) {
      untraced.push({ site, reason: t.error });
      continue;
    }
    let tracked = byCreation.get(t.creation.id);
    if (!tracked) {
      const { cls, slot } = makerOf(t.creation, t.name);
      if (cls === 'scheduler') {
        continue;
      }
      tracked = { home: t.home, name: t.name, creation: t.creation, cls, slot, sites: [] };
      byCreation.set(t.creation.id, tracked);
    }
    tracked.sites.push(site);
  }
  return { optimizers: [...byCreation.values()].sort((a, b) => a.creation.startIndex - b.creation.startIndex), untraced };
}

/**
 * The torch.optim class (and momentum slot) the statement binding `name` makes, followed through the file:
 * `name = torch.optim.X(…)`, `self.opt = opt` (an `__init__` parameter: its callers' argument),
 * `a, opt = make()` and `opt = model.configure_optimizers(…)` (what the function or method defined in this
 * file returns). 'scheduler' when the statement makes a scheduler; unknown when the maker is elsewhere.
 */
function makerOf(statement: Node, name: string, depth = 0): { cls: string | null; slot: MomentumSlot } {
  const unknown = { cls: null, slot: 'unknown' as MomentumSlot };
  if (depth > 5) return unknown;
  const assignment = descendants(statement, 'assignment').find((a) => statementOf(a).id === statement.id && targetNames(a.childForFieldName('left')).includes(name));
  if (!assignment) return unknown;
  const left = assignment.childForFieldName('left')!;
  const right = assignment.childForFieldName('right');
  if (!right) return unknown;
  const index = left.text === name ? null : targetNames(left).indexOf(name);
  if (index === null && right.type === 'call') {
    const callee = calleeName(right);
    if (callee && isSchedulerMaker(callee)) return { cls: 'scheduler', slot: 'none' };
    if (callee && isTorchOptimizer(callee)) {
      const cls = lastName(callee);
      const m = kwarg(right, 'momentum');
      return { cls, slot: momentumSlot(cls, m === null ? null : (literalNumber(m) ?? Number.NaN)) };
    }
  }
  const scope = scopeOf(statement);
  if (index === null && /^[\w.]+$/.test(right.text)) {
    // a name: where it comes from (a parameter: the callers' argument)
    const from = trace(right.text, scope, depth + 1);
    if (!('error' in from) && from.creation.id !== statement.id) return makerOf(from.creation, from.name, depth + 1);
    return unknown;
  }
  const call = right.type === 'call' ? right : null;
  const callee = call ? calleeName(call) : null;
  if (!callee) return unknown;
  const fn = descendants(moduleOf(statement), 'function_definition').find((f) => f.childForFieldName('name')?.text === lastName(callee));
  if (!fn) return unknown;
  for (const ret of descendants(fn, 'return_statement')) {
    if (scopeOf(ret).id !== fn.id) continue;
    const value = kids(ret)[0];
    const item = index === null ? value : value && ['expression_list', 'tuple'].includes(value.type) ? kids(value)[index] : undefined;
    if (!item) continue;
    if (item.type === 'call' && calleeName(item) && isTorchOptimizer(calleeName(item)!)) {
      const cls = lastName(calleeName(item)!);
      const m = kwarg(item, 'momentum');
      return { cls, slot: momentumSlot(cls, m === null ? null : (literalNumber(m) ?? Number.NaN)) };
    }
    if (/^[\w.]+$/.test(item.text)) {
      const inner = trace(item.text, fn, depth + 1);
      if (!('error' in inner)) return makerOf(inner.creation, inner.name, depth + 1);
    }
  }
  return unknown;
}
