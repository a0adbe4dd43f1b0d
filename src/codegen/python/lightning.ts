/**
 * Lightning: the scheduler is made in `configure_optimizers` right after the optimizer (total steps from
 * `self.trainer.estimated_stepping_batches` for one-cycle flavors defined relative to their length) and
 * returned with `interval: "step"`, so Lightning steps it after every optimizer step. Re-applying replaces it
 * (and the definitions LR Scope generated before it) in place.
 */
import { hasRelativeLength } from '../../core/schedules/flavors/index';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../types';
import { type Steps } from './formulas';
import { importEdits } from './imports';
import { requote } from './requote';
import { detectStyle, reindent, type PythonStyle } from './style';
import { ancestor, assignedName, calleeName, descendants, enclosingStatement, kwarg, lastName, lineEnd, lineIndent, lineStart, literalNumber, positional, type Node, type Tree } from './syntax';
import { isGenerated, momentumSlot, TORCH_SCHEDULERS, torchScheduler, type MomentumSlot } from './torch-scheduler';
import { isTorchOptimizer } from './torch/optimizers';

export interface TorchOptimizer {
  call: Node;
  statement: Node;
  /** The variable it is assigned to (`optimizer`, `self.opt`), or null for `return torch.optim.SGD(...)`. */
  name: string | null;
  cls: string;
  slot: MomentumSlot;
}

export function findTorchOptimizers(scope: Node): TorchOptimizer[] {
  const found: TorchOptimizer[] = [];
  for (const call of descendants(scope, 'call')) {
    const callee = calleeName(call);
    if (!callee || !isTorchOptimizer(callee)) continue;
    const cls = lastName(callee);
    const m = kwarg(call, 'momentum');
    const momentum = m === null ? null : (literalNumber(m) ?? Number.NaN);
    found.push({ call, statement: enclosingStatement(call), name: assignedName(call), cls, slot: momentumSlot(cls, momentum) });
  }
  return found;
}

interface ExistingScheduler {
  name: string;
  statement: Node;
  /** Start of the replaced range: the first generated definition before the scheduler, else the statement's line. */
  from: number;
}

/** An assignment `<name> = <Scheduler>(<optimizer>, …)` inside `scope`. */
function findExistingScheduler(scope: Node, text: string, optimizer: string): ExistingScheduler | null {
  for (const call of descendants(scope, 'call')) {
    const callee = calleeName(call);
    if (!callee || !TORCH_SCHEDULERS.has(lastName(callee))) continue;
    if (positional(call)[0]?.text !== optimizer && kwarg(call, 'optimizer')?.text !== optimizer) continue;
    const name = assignedName(call);
    if (!name) continue;
    const statement = enclosingStatement(call);
    let first = statement;
    for (let prev = statement.previousNamedSibling; prev && isGenerated(prev); prev = prev.previousNamedSibling) first = prev;
    return { name, statement, from: lineStart(text, first.startIndex) };
  }
  return null;
}


function relative(spec: ScheduleSpec): boolean {
  return hasRelativeLength(spec);
}

interface Block {
  code: string;
  importName: string;
  modules: string[];
  description: string;
  spaced: boolean;
}

function schedulerBlock(spec: ScheduleSpec, opt: string, slot: MomentumSlot, sched: string, total: string | null): Block {
  const steps: Steps | null = total !== null && relative(spec) ? { expr: 'total_steps' } : null;
  const code = torchScheduler(spec, opt, slot, steps);
  const parts = [...(code.usesTotal ? [`total_steps = ${total}`] : []), ...code.defs, `${sched} = ${code.construct}`];
  // definitions get a blank line around them; a lone constructor sits right under the optimizer
  const spaced = code.defs.length > 0;
  return { code: parts.join(spaced ? '\n\n' : '\n'), importName: code.importName, modules: code.modules, description: code.description, spaced };
}

function render(block: Block, indent: string, style: PythonStyle): string {
  return requote(reindent(block.code, indent, style), style);
}

function slotNote(slot: MomentumSlot, cls: string): string | null {
  if (slot === 'none') return `${cls} has no momentum here: only the LR is scheduled`;
  if (slot === 'betas') return `${cls}: momentum is cycled through betas[0]`;
  return null;
}

/**
 * Plans the Lightning edit inside `configure_optimizers`: the scheduler after the optimizer (total steps from
 * `self.trainer.estimated_stepping_batches` for one-cycle flavors defined relative to their length), and the
 * return value `{"optimizer": …, "lr_scheduler": {"scheduler": …, "interval": "step"}}`.
 */
export function planLightning(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const fn = [...descendants(tree.rootNode, 'function_definition')].find((f) => f.childForFieldName('name')?.text === 'configure_optimizers');
  if (!fn) throw new Error('no `def configure_optimizers(self)` found in this LightningModule');
  const body = fn.childForFieldName('body')!;
  const opt = findTorchOptimizers(body)[0];
  if (!opt) throw new Error('`configure_optimizers` creates no torch.optim optimizer');
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const total = 'self.trainer.estimated_stepping_batches';
  const indent = lineIndent(text, opt.statement.startIndex);
  const returned = (optimizer: string, scheduler = 'scheduler') =>
    `return {"optimizer": ${optimizer}, "lr_scheduler": {"scheduler": ${scheduler}, "interval": "step"}}`;

  if (!opt.name) {
    // `return torch.optim.X(...)`: name it, then create the scheduler and return both.
    if (opt.statement.type !== 'return_statement') throw new Error('`configure_optimizers` must assign or return its optimizer');
    const block = schedulerBlock(spec, 'optimizer', opt.slot, 'scheduler', total);
    const code = [`optimizer = ${opt.call.text}`, block.code, returned('optimizer')].join('\n');
    edits.push({ start: lineStart(text, opt.statement.startIndex), end: opt.statement.endIndex, newText: requote(reindent(code, indent, style), style, opt.call) });
    summary.push(`create ${block.description} in \`configure_optimizers\` and return it with \`interval: "step"\``);
    edits.push(...importEdits(tree.rootNode, text, { modules: block.modules, names: [{ module: 'torch.optim.lr_scheduler', name: block.importName }] }, style));
    return { framework: 'lightning', edits, summary: withNote(summary, opt), updatesExisting: false };
  }
  const existing = findExistingScheduler(body, text, opt.name);
  const sched = existing?.name ?? 'scheduler';
  const block = schedulerBlock(spec, opt.name, opt.slot, sched, total);
  if (existing) {
    edits.push({ start: existing.from, end: existing.statement.endIndex, newText: render(block, lineIndent(text, existing.statement.startIndex), style) });
    summary.push(`update \`${sched}\` in \`configure_optimizers\`: ${block.description}`);
  } else {
    const at = lineEnd(text, opt.statement.endIndex);
    edits.push({ start: at, end: at, newText: style.eol + render(block, indent, style) });
    summary.push(`create ${block.description} after \`${opt.name} = …\` in \`configure_optimizers\``);
  }
  const ret = [...descendants(body, 'return_statement')].find((r) => ancestor(r, ['function_definition'])?.id === fn.id);
  // the scheduler must be returned for a per-step interval: `"interval": "epoch"` (or none: Lightning's default
  // is per epoch) would step it at the wrong cadence
  const returnsScheduler = ret !== undefined && /lr_scheduler/.test(ret.text) && /["']interval["']\s*:\s*["']step["']/.test(ret.text) && ret.text.includes(sched);
  if (ret && !returnsScheduler) {
    edits.push({ start: ret.startIndex, end: ret.endIndex, newText: requote(returned(opt.name, sched), style) });
    summary.push('return the scheduler with `interval: "step"` (stepped after every optimizer step)');
  } else if (!ret) {
    const at = lineEnd(text, fn.endIndex);
    edits.push({ start: at, end: at, newText: style.eol + requote(reindent(returned(opt.name, sched), indent, style), style) });
  }
  edits.push(...importEdits(tree.rootNode, text, { modules: block.modules, names: [{ module: 'torch.optim.lr_scheduler', name: block.importName }] }, style));
  return { framework: 'lightning', edits: edits.sort((a, b) => a.start - b.start), summary: withNote(summary, opt), updatesExisting: existing !== null };
}

function withNote(summary: string[], opt: TorchOptimizer): string[] {
  const note = slotNote(opt.slot, opt.cls);
  return note ? [...summary, note] : summary;
}

