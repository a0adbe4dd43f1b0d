/**
 * CodeLens anchors in Python files, read from the tree-sitter syntax tree (re-parsed incrementally as the
 * document changes): a cheap text scan proposes candidate offsets; the syntax tree confirms each one (a
 * real call, not a comment or a string) and names it.
 */
import type { Anchor, AnchorKind, Framework } from '../types';
import { detectPythonFramework } from './framework';
import { KERAS_OPTIMIZERS, kerasOptimizerPrefix } from './keras';
import { OPTAX_OPTIMIZERS } from './optax';
import { isTorchOptimizer } from './torch/optimizers';
import { TORCH_OPTIMIZERS } from './torch-scheduler';
import { ancestor, assignedName, calleeName, kwarg, lastName, literalNumber, positional, type Node } from './syntax';

const SCHEDULERS = new Set(['OneCycleLR', 'CyclicLR', 'LambdaLR', 'LambdaLRWithMomentum', 'cosine_onecycle_schedule', 'linear_onecycle_schedule']);
const FIT_METHODS = new Set(['fit', 'fit_one_cycle', 'fit_flat_cos', 'fit_sgdr', 'fine_tune']);
/** Names whose calls may be anchors: the last identifier before `(`. */
const CANDIDATE = /\b([A-Za-z_]\w*)\s*\(|\bdef\s+(configure_optimizers)\b/g;

/** Whether a call whose callee ends with the name `word` can be an anchor (the only calls worth a closer look). */
export function isAnchorName(word: string): boolean {
  return FIT_METHODS.has(word) || SCHEDULERS.has(word) || OPTAX_OPTIMIZERS.has(word) || TORCH_OPTIMIZERS.has(word) || KERAS_OPTIMIZERS.has(word);
}

/**
 * What a detector reads around one call, asked only when the rules need it. `Arg` is the
 * detector's handle on an argument (a syntax node, a token range).
 */
export interface CallSite<Arg> {
  /** The value of the first keyword argument `name=…`, or null. */
  keyword(name: string): Arg | null;
  /** The `index`-th positional argument (keyword arguments and `*`/`**` unpackings skipped), or null. */
  positional(index: number): Arg | null;
  /** The value of a number literal, also negated (`-1e-3`), else null. */
  literalNumber(arg: Arg | null): number | null;
  /** The target's text when the call is the whole right-hand side of `target = call(…)`, else null. */
  assignedName(): string | null;
  /** Whether the nearest function definition around the call is named `configure_optimizers`. */
  inConfigureOptimizers(): boolean;
}

/** An anchor's fields other than its position. */
export interface CallAnchor {
  kind: AnchorKind;
  framework: Framework;
  name: string;
  maxLr?: number;
}

/**
 * Whether the call of `callee` (a dotted name as written, `torch.optim.SGD`) is an anchor in a
 * file that trains with `fileFramework`, and which: an existing scheduler (with its literal max
 * LR), a fit call (named by its receiver) or an optimizer construction (named by its variable).
 */
export function classifyCall<Arg>(callee: string, fileFramework: Framework, site: CallSite<Arg>): CallAnchor | null {
  const last = lastName(callee);
  if (SCHEDULERS.has(last)) {
    const framework: Framework = last.endsWith('_schedule') ? 'optax' : fileFramework === 'lightning' ? 'lightning' : 'pytorch';
    const maxArg =
      site.keyword('max_lr') ?? site.keyword('peak_value') ?? (last === 'OneCycleLR' || last.endsWith('_schedule') ? site.positional(1) : null);
    const maxLr = site.literalNumber(maxArg);
    return maxLr === null ? { kind: 'scheduler', framework, name: last } : { kind: 'scheduler', framework, name: last, maxLr };
  }
  if (FIT_METHODS.has(last) && callee.includes('.')) {
    const receiver = callee.slice(0, -last.length - 1);
    const framework: Framework =
      last !== 'fit' || fileFramework === 'fastai' ? 'fastai' : receiver.endsWith('trainer') || fileFramework === 'lightning' ? 'lightning' : fileFramework === 'keras' ? 'keras' : fileFramework;
    return { kind: 'fit', framework, name: receiver };
  }
  if (isTorchOptimizer(callee) && (callee.includes('.') || fileFramework === 'pytorch' || fileFramework === 'lightning')) {
    const inLightning = fileFramework === 'lightning' || site.inConfigureOptimizers();
    return { kind: 'optimizer', framework: inLightning ? 'lightning' : 'pytorch', name: site.assignedName() ?? last };
  }
  if (kerasOptimizerPrefix(callee) !== null && (callee.includes('.') || fileFramework === 'keras')) {
    return { kind: 'optimizer', framework: 'keras', name: site.assignedName() ?? last };
  }
  if (callee.startsWith('optax.') && OPTAX_OPTIMIZERS.has(last)) {
    return { kind: 'optimizer', framework: 'optax', name: site.assignedName() ?? last };
  }
  return null;
}

/** Anchors of `root` (the tree of `text`), in document order. */
export function detectPythonAnchorsInTree(root: Node, text: string): Anchor[] {
  return anchorsBetween(root, text, detectPythonFramework(root, text), 0, text.length);
}

/**
 * The anchors whose candidate word starts in [from, to), for a file that trains with `fileFramework`
 * (`line` is left for the caller to fill in when it moves anchors around).
 */
export function anchorsBetween(root: Node, text: string, fileFramework: Framework, from: number, to: number): Anchor[] {
  const anchors: Anchor[] = [];
  CANDIDATE.lastIndex = from;
  for (let m = CANDIDATE.exec(text); m && m.index < to; m = CANDIDATE.exec(text)) {
    const word = m[1] ?? m[2]!;
    if (m[1] && !isAnchorName(word)) continue;
    const at = m.index + m[0].indexOf(word);
    const node = root.descendantForIndex(at, at + word.length);
    if (!node || node.type !== 'identifier') continue;
    if (m[2]) {
      const fn = node.parent;
      if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.id === node.id) {
        anchors.push(anchor('configure-optimizers', 'lightning', fn, 'configure_optimizers'));
      }
      continue;
    }
    const call = callOf(node);
    const callee = call && calleeName(call);
    if (!call || !callee) continue;
    const found = classifyCall(callee, fileFramework, treeSite(call));
    if (found) anchors.push(anchor(found.kind, found.framework, call, found.name, found.maxLr));
  }
  return anchors;
}

/** The call whose callee ends with `identifier` (`torch.optim.SGD(` for the `SGD` identifier). */
function callOf(identifier: Node): Node | null {
  let fn: Node = identifier;
  if (fn.parent?.type === 'attribute' && fn.parent.childForFieldName('attribute')?.id === fn.id) fn = fn.parent;
  const call = fn.parent;
  return call?.type === 'call' && call.childForFieldName('function')?.id === fn.id ? call : null;
}

function treeSite(call: Node): CallSite<Node> {
  return {
    keyword: (name) => kwarg(call, name),
    positional: (index) => positional(call)[index] ?? null,
    literalNumber,
    assignedName: () => assignedName(call),
    inConfigureOptimizers: () => ancestor(call, ['function_definition'])?.childForFieldName('name')?.text === 'configure_optimizers',
  };
}

function anchor(kind: AnchorKind, framework: Framework, node: Node, name?: string, maxLr?: number): Anchor {
  const a: Anchor = { kind, framework, start: node.startIndex, end: node.endIndex, line: node.startPosition.row };
  if (name !== undefined) a.name = name;
  if (maxLr !== undefined) a.maxLr = maxLr;
  return a;
}
