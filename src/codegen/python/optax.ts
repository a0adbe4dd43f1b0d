/**
 * optax: the schedule is passed as the optimizer's `learning_rate`. optax's own one-cycle schedules are used
 * where they are the spec (optax flavors, and Smith's 1cycle as `linear_onecycle_schedule`); anything else is
 * an exact `jnp` formula (traceable under `jit`).
 */
import { flavorCodeOf } from '../../core/schedules/flavors/code';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../types';
import { placeDefinitions } from './definitions';
import { formulasFor, scheduleEnd } from './formulas';
import { importEdits } from './imports';
import { insertArgument } from './keras';
import { detectStyle, pyFloat } from './style';
import { calleeName, descendants, kwarg, lastName, lineOf, literalNumber, positional, type Node, type Tree } from './syntax';

export const OPTAX_OPTIMIZERS: ReadonlySet<string> = new Set([
  'sgd', 'adam', 'adamw', 'adamax', 'adamaxw', 'nadam', 'nadamw', 'radam', 'rmsprop', 'adagrad', 'adadelta', 'adabelief',
  'adafactor', 'lamb', 'lars', 'lion', 'novograd', 'fromage', 'noisy_sgd', 'yogi', 'sm3', 'amsgrad', 'polyak_sgd', 'sign_sgd', 'rprop',
]);
export const OPTAX_DEFS: ReadonlySet<string> = new Set(['lr_schedule', 'momentum_schedule']);
/** The hyper-parameter that is momentum, per optax optimizer (sgd only when it was given one). */
const MOMENTUM_ARG: Record<string, string> = { sgd: 'momentum', rmsprop: 'momentum', adam: 'b1', adamw: 'b1', adamax: 'b1', adamaxw: 'b1', nadam: 'b1', nadamw: 'b1', radam: 'b1', lamb: 'b1', lion: 'b1', adabelief: 'b1', yogi: 'b1', amsgrad: 'b1', novograd: 'b1', lars: 'momentum' };

interface OptaxOptimizer {
  call: Node;
  /** `optax.adam` */
  name: string;
  /** Set when the call is `optax.inject_hyperparams(optax.adam)(…)`. */
  injected: boolean;
}

/** `optax.adam(...)` calls, and `optax.inject_hyperparams(optax.adam)(...)` ones (written by an earlier plan). */
export function findOptaxOptimizers(root: Node): OptaxOptimizer[] {
  const out: OptaxOptimizer[] = [];
  for (const call of descendants(root, 'call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'call' && calleeName(fn) === 'optax.inject_hyperparams') {
      const inner = positional(fn)[0]?.text ?? '';
      if (inner.startsWith('optax.') && OPTAX_OPTIMIZERS.has(lastName(inner))) out.push({ call, name: inner, injected: true });
      continue;
    }
    const callee = calleeName(call);
    if (callee?.startsWith('optax.') && callee.split('.').length === 2 && OPTAX_OPTIMIZERS.has(lastName(callee)) && !isInjectArgument(call)) {
      out.push({ call, name: callee, injected: false });
    }
  }
  return out;
}

function isInjectArgument(node: Node): boolean {
  const call = node.parent?.parent;
  return call?.type === 'call' && calleeName(call) === 'optax.inject_hyperparams';
}

/** The `learning_rate` value for `spec`: an optax schedule call, a literal, or null when a jnp formula is needed. */
export function optaxNative(spec: ScheduleSpec): string | null {
  if (spec.policy === 'constant') return pyFloat(spec.lr);
  if (spec.policy === 'range') return null;
  return flavorCodeOf(spec).optaxSchedule?.(spec) ?? null;
}

/** Plans the optax edit (see the module comment). Throws when the file constructs no optax optimizer. */
export function planOptax(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const root = tree.rootNode;
  const opt = findOptaxOptimizers(root)[0];
  if (!opt) throw new Error('no `optax.<optimizer>(…)` construction found (e.g. `optax.adam(learning_rate=…)`)');
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const line = lineOf(text, opt.call.startIndex) + 1;
  let value = optaxNative(spec);
  let updatesExisting = opt.injected;
  const formulas = formulasFor(spec, 'jnp');
  const momentumArg = MOMENTUM_ARG[lastName(opt.name)];
  const given = momentumArg ? kwarg(opt.call, momentumArg) : null;
  // sgd / rmsprop have momentum only when given one; the Adam family always has b1
  const cycle = formulas.momentum !== null && momentumArg !== undefined && (momentumArg === 'b1' || (given !== null && given.text !== 'None' && literalNumber(given) !== 0));
  const defs: string[] = [];
  const fn = (name: string, f: { title: string; lines: string[] }) =>
    [`def ${name}(step):`, `    # ${f.title}: the value at optimizer step \`step\` (exact, traceable).`, ...f.lines.map((l) => (l === '' ? '' : `    ${l}`))].join('\n');
  if (value === null) {
    defs.push(fn('lr_schedule', formulas.lr));
    value = 'lr_schedule';
  }
  if (cycle) defs.push(fn('momentum_schedule', formulas.momentum!));
  if (defs.length > 0) {
    const placed = placeDefinitions(root, text, opt.call, defs.join('\n\n'), OPTAX_DEFS, style);
    edits.push(placed.edit);
    updatesExisting ||= placed.replaced;
    summary.push(`${placed.replaced ? 'update' : 'define'} ${defs.map((d) => `\`${/def (\w+)/.exec(d)![1]}\``).join(' and ')} (${formulas.lr.title}, exact jnp formula)`);
  }
  if (value !== 'lr_schedule') summary.push(`use \`${value}\``);
  const lrNode = kwarg(opt.call, 'learning_rate') ?? positional(opt.call)[0] ?? null;
  if (lrNode) {
    if (/(onecycle_schedule|lr_schedule)/.test(lrNode.text)) updatesExisting = true;
    if (lrNode.text !== value) edits.push({ start: lrNode.startIndex, end: lrNode.endIndex, newText: value });
  } else {
    edits.push(insertArgument(opt.call, `learning_rate=${value}`));
  }
  summary.push(`pass it as \`learning_rate\` of \`${opt.name}\` (line ${line})`);
  if (cycle) {
    if (!opt.injected) {
      const callee = opt.call.childForFieldName('function')!;
      edits.push({ start: callee.startIndex, end: callee.endIndex, newText: `optax.inject_hyperparams(${opt.name})` });
    }
    if (given) {
      if (given.text !== 'momentum_schedule') edits.push({ start: given.startIndex, end: given.endIndex, newText: 'momentum_schedule' });
    } else {
      edits.push(insertArgument(opt.call, `${momentumArg}=momentum_schedule`));
    }
    summary.push(`schedule \`${momentumArg}\` too, through \`optax.inject_hyperparams(${opt.name})\``);
  } else if (formulas.momentum) {
    summary.push(`${opt.name} has no momentum here: only the LR is scheduled`);
  }
  const needsJnp = defs.length > 0;
  edits.push(...importEdits(root, text, { modules: [], names: [], aliases: needsJnp ? [{ module: 'jax.numpy', alias: 'jnp' }] : [] }, style));
  const length = scheduleEnd(spec);
  const warnings =
    length === null
      ? []
      : [`the schedule spans the spec's ${length} optimizer steps (LR Scope does not read a JAX training loop's length): set it to your number of steps (epochs × steps per epoch); past it the LR holds its last value`];
  return { framework: 'optax', edits: edits.sort((a, b) => a.start - b.start), summary, updatesExisting, warnings };
}
