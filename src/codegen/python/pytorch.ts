/**
 * Insertion planning for PyTorch scripts and Lightning modules: create the scheduler right after the
 * optimizer, step it right after `optimizer.step()` (inside the same block, so gradient accumulation is
 * respected), import it once; Lightning returns it from `configure_optimizers` with `interval: "step"`.
 * Re-applying replaces the scheduler (and the definitions LR Scope generated before it) in place.
 */
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../types';
import { type Steps } from './formulas';
import { importEdits } from './imports';
import { requote } from './requote';
import { detectStyle, reindent, type PythonStyle } from './style';
import {
  ancestor,
  assignedName,
  calleeName,
  descendants,
  enclosingStatement,
  kids,
  kwarg,
  lastName,
  lineEnd,
  lineIndent,
  lineOf,
  lineStart,
  literalNumber,
  positional,
  type Node,
  type Tree,
} from './syntax';
import { GENERATED_DEFS, momentumSlot, TORCH_OPTIMIZERS, TORCH_SCHEDULERS, torchScheduler, type MomentumSlot } from './torch-scheduler';

export interface TorchOptimizer {
  call: Node;
  statement: Node;
  /** The variable it is assigned to (`optimizer`, `self.opt`), or null for `return torch.optim.SGD(...)`. */
  name: string | null;
  cls: string;
  slot: MomentumSlot;
}

/** Whether a callee names a torch.optim optimizer (`torch.optim.SGD`, `optim.Adam`, or `SGD` imported from torch.optim). */
export function isTorchOptimizer(callee: string): boolean {
  if (!TORCH_OPTIMIZERS.has(lastName(callee))) return false;
  const prefix = callee.slice(0, callee.length - lastName(callee).length);
  return prefix === '' || prefix === 'torch.optim.' || prefix === 'optim.';
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

/** Statements LR Scope writes before a scheduler: `total_steps = …`, `def lr_at_step`, `class LambdaLRWithMomentum`. */
function isGenerated(n: Node): boolean {
  if (n.type === 'function_definition' || n.type === 'class_definition') return GENERATED_DEFS.has(n.childForFieldName('name')?.text ?? '');
  if (n.type === 'expression_statement') {
    const a = kids(n)[0];
    return a?.type === 'assignment' && GENERATED_DEFS.has(a.childForFieldName('left')?.text ?? '');
  }
  return false;
}

interface LoopInfo {
  /** The script's optimizer-step count, e.g. `epochs * len(train_loader)`, or null. */
  total: string | null;
  describe: string;
}

/** Steps per epoch from the batch loop over a DataLoader, epochs from the outer `range(...)`, accumulation from `% N == 0`. */
function loopTotal(stepCall: Node): LoopInfo {
  const loops: Node[] = [];
  for (let n = ancestor(stepCall, ['for_statement']); n; n = ancestor(n, ['for_statement'])) loops.push(n);
  const inner = loops[0];
  if (!inner) return { total: null, describe: 'no batch loop found' };
  const loader = iterated(inner.childForFieldName('right'));
  const outer = loops.slice(1).find((l) => l.childForFieldName('right')?.type === 'call' && calleeName(l.childForFieldName('right')!) === 'range');
  if (!loader || !outer) return { total: null, describe: 'no `for epoch in range(…)` / DataLoader loop found' };
  const rangeArgs = positional(outer.childForFieldName('right')!);
  const epochs = rangeArgs.length === 1 ? atom(rangeArgs[0]!.text) : rangeArgs.length === 2 ? `(${rangeArgs[1]!.text} - ${rangeArgs[0]!.text})` : null;
  if (!epochs) return { total: null, describe: 'the epoch loop has a step argument' };
  let accumulation: string | null = null;
  for (let n = stepCall.parent; n && n.id !== inner.id; n = n.parent) {
    if (n.type !== 'if_statement') continue;
    const m = /%\s*([A-Za-z_][\w.]*|\d+)\s*\)?\s*==\s*0\b/.exec(n.childForFieldName('condition')?.text ?? '');
    if (m) accumulation = m[1]!;
  }
  const perEpoch = accumulation ? `(len(${loader}) // ${accumulation})` : `len(${loader})`;
  return { total: `${epochs} * ${perEpoch}`, describe: `${epochs} × ${perEpoch} optimizer steps` };
}

/**
 * The statement after which the scheduler goes: the optimizer's, or a later sibling that assigns a name the
 * total-steps expression uses (`epochs = 3` written after the optimizer), as long as it comes before the loop.
 */
function lastDefinition(optimizer: Node, total: string, stepCall: Node): Node {
  const names = new Set((total.match(/[A-Za-z_]\w*/g) ?? []).filter((n) => n !== 'len'));
  let last = optimizer;
  for (let n = optimizer.nextNamedSibling; n; n = n.nextNamedSibling) {
    if (n.startIndex <= stepCall.startIndex && stepCall.endIndex <= n.endIndex) break;
    const a = kids(n)[0];
    if (n.type === 'expression_statement' && a?.type === 'assignment') {
      const targets = a.childForFieldName('left')?.text.split(/\s*,\s*/) ?? [];
      if (targets.some((t) => names.has(t))) last = n;
    }
  }
  return last;
}

/** The function a node is in, or null at module level. */
function functionOf(node: Node): Node | null {
  return ancestor(node, ['function_definition']);
}

function atom(expr: string): string {
  return /^[\w.]+$/.test(expr) ? expr : `(${expr})`;
}

/** The loader a batch loop iterates: `loader`, `enumerate(loader)`, `tqdm(loader)`, `enumerate(tqdm(loader))`. */
function iterated(right: Node | null): string | null {
  if (!right) return null;
  if (right.type === 'identifier' || right.type === 'attribute') return right.text;
  if (right.type === 'call') {
    const callee = calleeName(right);
    if (callee && ['enumerate', 'tqdm', 'tqdm.tqdm', 'iter'].includes(callee)) return iterated(positional(right)[0] ?? null);
  }
  return null;
}

/** `<optimizer>.step()` expression statements inside `scope`. */
function optimizerSteps(scope: Node, optimizer: string): Node[] {
  return [...descendants(scope, 'call')].filter(
    (c) => calleeName(c) === `${optimizer}.step` && c.parent?.type === 'expression_statement',
  );
}

function hasCall(scope: Node, callee: string): boolean {
  for (const c of descendants(scope, 'call')) if (calleeName(c) === callee) return true;
  return false;
}

function relative(spec: ScheduleSpec): boolean {
  return spec.policy === 'onecycle' && spec.flavor !== 'smith';
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
 * Plans the PyTorch edit: the scheduler after the optimizer assignment, `scheduler.step()` after each
 * `optimizer.step()`, the import. Throws when the file has no `torch.optim` optimizer assignment.
 */
export function planPytorch(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const root = tree.rootNode;
  const opt = findTorchOptimizers(root).find((o) => o.name !== null);
  if (!opt || !opt.name) throw new Error('no `optimizer = torch.optim.…(…)` assignment found: create the optimizer first, then insert the schedule');
  const optName = opt.name;
  const scope = functionOf(opt.statement);
  const allSteps = optimizerSteps(root, optName);
  // the scheduler is visible where the optimizer is: the same function, anywhere for a module-level one, the
  // whole class for `self.…`
  const cls = optName.startsWith('self.') ? ancestor(opt.statement, ['class_definition']) : null;
  const steps = allSteps.filter((c) => scope === null || functionOf(c)?.id === scope.id || (cls !== null && ancestor(c, ['class_definition'])?.id === cls.id));
  const sameScope = steps.filter((c) => functionOf(c)?.id === scope?.id);
  const loop = sameScope[0] ? loopTotal(sameScope[0]) : { total: null, describe: 'the batch loop is in another function' };
  const existing = findExistingScheduler(root, text, optName);
  const sched = existing?.name ?? (optName.startsWith('self.') ? 'self.scheduler' : 'scheduler');
  const block = schedulerBlock(spec, optName, opt.slot, sched, loop.total);
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  for (const hidden of allSteps.filter((c) => !steps.includes(c))) {
    summary.push(`\`${optName}.step()\` on line ${lineOf(text, hidden.startIndex) + 1} is in another function: call \`${sched}.step()\` after it there (pass the scheduler in)`);
  }

  if (existing) {
    const indent = lineIndent(text, existing.statement.startIndex);
    edits.push({ start: existing.from, end: existing.statement.endIndex, newText: render(block, indent, style) });
    summary.push(`update \`${sched}\` (line ${lineOf(text, existing.statement.startIndex) + 1}): ${block.description}`);
  } else {
    const after = block.code.includes('total_steps') && loop.total ? lastDefinition(opt.statement, loop.total, sameScope[0]!) : opt.statement;
    const at = lineEnd(text, after.endIndex);
    const indent = lineIndent(text, opt.statement.startIndex);
    edits.push({ start: at, end: at, newText: style.eol + (block.spaced ? style.eol : '') + render(block, indent, style) });
    const where = after === opt.statement ? `\`${optName} = …\`` : `\`${after.text.split(/\r?\n/)[0]}\``;
    summary.push(`create ${block.description} after ${where} (line ${lineOf(text, after.startIndex) + 1})`);
  }
  if (!hasCall(root, `${sched}.step`)) {
    for (const call of steps) {
      const statement = call.parent!;
      const at = lineEnd(text, statement.endIndex);
      edits.push({ start: at, end: at, newText: `${style.eol}${lineIndent(text, statement.startIndex)}${sched}.step()` });
      summary.push(`call \`${sched}.step()\` after \`${optName}.step()\` (line ${lineOf(text, statement.startIndex) + 1})`);
    }
    if (allSteps.length === 0) summary.push(`no \`${optName}.step()\` found: call \`${sched}.step()\` after every optimizer step`);
  }
  if (loop.total && block.code.includes('total_steps')) summary.push(`total steps: ${loop.describe}`);
  const note = slotNote(opt.slot, opt.cls);
  if (note) summary.push(note);
  edits.push(...importEdits(root, text, { modules: block.modules, names: [{ module: 'torch.optim.lr_scheduler', name: block.importName }] }, style));
  return { framework: 'pytorch', edits: edits.sort((a, b) => a.start - b.start), summary, updatesExisting: existing !== null };
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
  const returnsScheduler = ret !== undefined && /lr_scheduler/.test(ret.text);
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

