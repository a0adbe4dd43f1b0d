/**
 * CodeLens anchors in Python files. A cheap text scan proposes candidate offsets; the syntax tree confirms
 * each one (a real call, not a comment or a string) and names it. On a 2,000-line file the tree lookups
 * cost far less than walking every node.
 */
import type { Anchor, AnchorKind, Framework } from '../types';
import { detectPythonFramework } from './framework';
import { KERAS_OPTIMIZERS, kerasOptimizerPrefix } from './keras';
import { OPTAX_OPTIMIZERS } from './optax';
import { isTorchOptimizer } from './pytorch';
import { TORCH_OPTIMIZERS } from './torch-scheduler';
import { ancestor, assignedName, calleeName, kwarg, lastName, literalNumber, positional, type Node } from './syntax';

const SCHEDULERS = new Set(['OneCycleLR', 'CyclicLR', 'LambdaLR', 'LambdaLRWithMomentum', 'cosine_onecycle_schedule', 'linear_onecycle_schedule']);
const FIT_METHODS = new Set(['fit', 'fit_one_cycle', 'fit_flat_cos', 'fit_sgdr', 'fine_tune']);
/** Names whose calls may be anchors: the last identifier before `(`. */
const CANDIDATE = /\b([A-Za-z_]\w*)\s*\(|\bdef\s+(configure_optimizers)\b/g;

/** Anchors of `root` (the tree of `text`), in document order. */
export function detectPythonAnchors(root: Node, text: string): Anchor[] {
  const fileFramework = detectPythonFramework(root, text);
  const anchors: Anchor[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const word = m[1] ?? m[2]!;
    if (m[1] && !interesting(word)) continue;
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
    if (!call) continue;
    const found = classify(call, fileFramework);
    if (found) anchors.push(found);
  }
  return anchors;
}

function interesting(word: string): boolean {
  return FIT_METHODS.has(word) || SCHEDULERS.has(word) || OPTAX_OPTIMIZERS.has(word) || TORCH_OPTIMIZERS.has(word) || KERAS_OPTIMIZERS.has(word);
}

/** The call whose callee ends with `identifier` (`torch.optim.SGD(` for the `SGD` identifier). */
function callOf(identifier: Node): Node | null {
  let fn: Node = identifier;
  if (fn.parent?.type === 'attribute' && fn.parent.childForFieldName('attribute')?.id === fn.id) fn = fn.parent;
  const call = fn.parent;
  return call?.type === 'call' && call.childForFieldName('function')?.id === fn.id ? call : null;
}

function anchor(kind: AnchorKind, framework: Framework, node: Node, name?: string, maxLr?: number): Anchor {
  const a: Anchor = { kind, framework, start: node.startIndex, end: node.endIndex, line: node.startPosition.row };
  if (name !== undefined) a.name = name;
  if (maxLr !== undefined) a.maxLr = maxLr;
  return a;
}

function classify(call: Node, fileFramework: Framework): Anchor | null {
  const callee = calleeName(call);
  if (!callee) return null;
  const last = lastName(callee);
  if (SCHEDULERS.has(last)) {
    const framework: Framework = last.endsWith('_schedule') ? 'optax' : fileFramework === 'lightning' ? 'lightning' : 'pytorch';
    const maxNode = kwarg(call, 'max_lr') ?? kwarg(call, 'peak_value') ?? (last === 'OneCycleLR' ? positional(call)[1] : last.endsWith('_schedule') ? positional(call)[1] : null) ?? null;
    const maxLr = literalNumber(maxNode);
    return anchor('scheduler', framework, call, last, maxLr ?? undefined);
  }
  if (FIT_METHODS.has(last) && callee.includes('.')) {
    const receiver = callee.slice(0, -last.length - 1);
    const framework: Framework =
      last !== 'fit' || fileFramework === 'fastai' ? 'fastai' : receiver.endsWith('trainer') || fileFramework === 'lightning' ? 'lightning' : fileFramework === 'keras' ? 'keras' : fileFramework;
    return anchor('fit', framework, call, receiver);
  }
  if (isTorchOptimizer(callee) && (callee.includes('.') || fileFramework === 'pytorch' || fileFramework === 'lightning')) {
    const inLightning = fileFramework === 'lightning' || ancestor(call, ['function_definition'])?.childForFieldName('name')?.text === 'configure_optimizers';
    return anchor('optimizer', inLightning ? 'lightning' : 'pytorch', call, assignedName(call) ?? last);
  }
  if (kerasOptimizerPrefix(callee) !== null && (callee.includes('.') || fileFramework === 'keras')) {
    return anchor('optimizer', 'keras', call, assignedName(call) ?? last);
  }
  if (callee.startsWith('optax.') && OPTAX_OPTIMIZERS.has(last)) {
    return anchor('optimizer', 'optax', call, assignedName(call) ?? last);
  }
  return null;
}
