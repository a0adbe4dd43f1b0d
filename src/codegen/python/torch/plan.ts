/**
 * The PyTorch insertion: for every optimizer the script steps, the edit a PyTorch user would make by hand so
 * that the file trains under the spec over its own number of optimizer steps.
 *
 * - the scheduler is made where the count is known (before the outermost counted loop, or in place of the
 *   script's own scheduler when that is late enough), with `total_steps` from the loops;
 * - the script's own schedules are replaced: its schedulers (torch, Hugging Face, timm) and hand-written
 *   `param_groups[…]["lr"]` updates go, and so does every `.step()` of them at another cadence;
 * - exactly one `scheduler.step()` follows each optimizer step (`optimizer.step()`, `scaler.step(optimizer)`),
 *   wherever it is: the scheduler reaches other functions through a new parameter at every call, methods
 *   through `self.`;
 * - when the count cannot be told, `total_steps` is the spec's, a warning says what to edit, and the schedule
 *   holds its last value past the end (it never raises mid-training).
 */
import type { ScheduleSpec } from '../../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../../types';
import { scheduleEnd } from '../formulas';
import { importEdits } from '../imports';
import { requote } from '../requote';
import { detectStyle, reindent, type PythonStyle } from '../style';
import { calleeName, descendants, kids, lineEnd, lineIndent, lineOf, lineStart, positional, type Node, type Tree } from '../syntax';
import { isGenerated, torchScheduler, type MomentumSlot } from '../torch-scheduler';
import { countSteps, type StepCount } from './length';
import { trackOptimizers, type TrackedOptimizer } from './optimizers';
import { aliasesOf, existingSchedulers, handLrUpdates, nameIn, schedulerSteps, type ExistingScheduler } from './schedulers';
import { bindings, classOf, isModule, isParameter, moduleOf, namesIn, parameters, scopeLabel, scopeOf, statementOf } from './scopes';

/** A refusal: the file cannot be made to train under the schedule; the message says what to change. */
export class PlanRefusal extends Error {}

export function planPytorch(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const root = tree.rootNode;
  const { optimizers, untraced } = trackOptimizers(root);
  if (optimizers.length === 0) throw new PlanRefusal(noOptimizerMessage(root, untraced.map((u) => u.reason)));
  const manual = manualUpdate(root);
  if (manual) {
    throw new PlanRefusal(
      `the script also updates the parameters by hand (line ${manual.startPosition.row + 1}: \`${firstLine(statementOf(manual))}\`), so a schedule on the optimizer would not drive every run; make the optimizer the only update (e.g. drop the hand-written branch), then insert the schedule`,
    );
  }
  const out = new Edits(text, style);
  const summary: string[] = [];
  const warnings: string[] = [];
  for (const u of untraced) {
    warnings.push(`\`${u.site.optimizer}.step()\` on line ${lineOf(text, u.site.statement.startIndex) + 1} is left unscheduled: ${u.reason}`);
  }
  const taken = new Set<string>();
  const contexts = optimizers.map((opt) => analyse(root, text, opt, optimizers.length, taken));
  unify(contexts);
  contexts.sort((a, b) => position(a) - position(b));
  const counts: { expr: string; describe: string }[] = [];
  const imports = new Set<string>();
  const modules = new Set<string>();
  let updatesExisting = false;
  const sharedTotals = new Map<string, string>();
  for (const ctx of contexts) {
    const result = planOne(root, text, spec, ctx, sharedTotals, out);
    summary.push(...result.summary);
    warnings.push(...result.warnings);
    if (result.count) counts.push(result.count);
    imports.add(result.importName);
    for (const m of result.modules) modules.add(m);
    updatesExisting ||= result.updatesExisting;
  }
  const makers = new Set(contexts.flatMap((c) => c.existing.filter((e) => out.removed().some((r) => r.id === e.statement.id)).map((e) => e.maker)));
  const wanted = [...imports];
  out.push(...unusedImportEdits(root, makers, out.removed(), 'torch.optim.lr_scheduler', wanted));
  out.push(...importEdits(root, text, { modules: [...modules], names: wanted.map((name) => ({ module: 'torch.optim.lr_scheduler', name })) }, style));
  const plan: InsertionPlan = { framework: 'pytorch', edits: out.sorted(), summary, updatesExisting, warnings };
  if (counts.length > 0) plan.stepCount = counts[0]!;
  return plan;
}

interface OneResult {
  summary: string[];
  warnings: string[];
  count: { expr: string; describe: string } | null;
  importName: string;
  modules: string[];
  updatesExisting: boolean;
}

interface Context {
  opt: TrackedOptimizer;
  existing: ExistingScheduler[];
  primary: ExistingScheduler | null;
  count: StepCount | null;
  unknown: string | null;
  driver: Node;
  optName: string;
  sched: string;
  placement: Placement;
  warnings: string[];
}

/** Where and how one optimizer's scheduler is made, before any edit is written. */
function analyse(root: Node, text: string, opt: TrackedOptimizer, optimizerCount: number, taken: Set<string>): Context {
  const warnings: string[] = [];
  const line = (n: Node) => lineOf(text, n.startIndex) + 1;
  const optAliases = aliasesOf(root, opt.home, opt.name);
  const existing = existingSchedulers(root, optAliases);
  const stepped = existing.filter((e) => schedulerSteps(root, aliasesOf(root, e.scope, e.name)).length > 0);
  const primary = stepped.find((e) => GENERATED_MAKERS.has(e.maker)) ?? stepped[0] ?? existing[0] ?? null;
  const site = opt.sites[0]!;
  const counted = countSteps(site.statement, [site.optimizer]);
  let count: StepCount | null = 'unknown' in counted ? null : counted;
  let unknown = 'unknown' in counted ? counted.unknown : null;
  if (count) {
    const missing = undefinedBefore(count, text);
    if (missing) {
      unknown = missing;
      count = null;
    }
  }
  for (const other of opt.sites.slice(1)) {
    const c = countSteps(other.statement, [other.optimizer]);
    if (count && !('unknown' in c) && c.expr !== count.expr) {
      warnings.push(`\`${opt.name}\` steps on line ${line(site.statement)} (${count.expr}) and line ${line(other.statement)} (${c.expr}); the schedule uses the first count`);
    }
  }
  const driver = count?.driver ?? opt.home;
  const optName = count ? count.carried[0]! : opt.name;
  const sched = primary && (scopeOf(primary.statement).id === driver.id || primary.name.startsWith('self.')) ? primary.name : schedulerName(optName, optimizerCount, driver, taken);
  taken.add(`${driver.id}:${sched}`);
  const placement = place(text, driver, count, opt, optName, primary);
  return { opt, existing, primary, count, unknown, driver, optName, sched, placement, warnings };
}

/**
 * Schedulers made before the same loop go together, after the latest point any of them needs (so a GAN's two
 * schedulers share one `total_steps`).
 */
function unify(contexts: Context[]): void {
  for (const c of contexts) {
    if (c.placement.replace || !c.count) continue;
    for (const d of contexts) {
      if (d === c || d.placement.replace || !d.count || d.count.loop.id !== c.count.loop.id) continue;
      if (d.placement.at > c.placement.at) c.placement = d.placement;
    }
  }
}

function position(c: Context): number {
  return c.placement.replace?.start ?? c.placement.at;
}

function planOne(root: Node, text: string, spec: ScheduleSpec, ctx: Context, sharedTotals: Map<string, string>, out: Edits): OneResult {
  const { opt, existing, primary, count, unknown, driver, optName, sched, placement } = ctx;
  const summary: string[] = [];
  const warnings: string[] = [...ctx.warnings];
  const line = (n: Node) => lineOf(text, n.startIndex) + 1;
  const optAliases = aliasesOf(root, opt.home, opt.name);

  // where the scheduler is made
  const shareKey = `${driver.id}:${count?.expr ?? `spec:${scheduleEnd(spec)}`}`;
  const reuse = sharedTotals.has(shareKey);
  const code = torchScheduler(spec, optName, opt.slot, scheduleEnd(spec) !== null ? { expr: 'total_steps' } : null, { native: count !== null });
  const lines: string[] = [];
  if (code.usesTotal && !reuse) {
    lines.push(count ? `total_steps = ${count.expr}` : `total_steps = ${scheduleEnd(spec)}  # set to the number of optimizer steps this script takes`);
    sharedTotals.set(shareKey, sched);
  }
  const spaced = code.defs.length > 0;
  const block = [...lines, ...code.defs, `${sched} = ${code.construct}`].join(spaced ? '\n\n' : '\n');
  const rendered = requote(reindent(block, placement.indent, out.style), out.style);
  if (placement.replace) {
    out.push({ start: placement.replace.start, end: placement.replace.end, newText: rendered });
    summary.push(`update \`${sched}\` (line ${line(primary!.statement)}): ${code.description}`);
  } else {
    const eol = out.style.eol;
    const newText = placement.before ? rendered + eol + (spaced ? eol : '') : eol + (spaced ? eol : '') + rendered;
    out.push({ start: placement.at, end: placement.at, newText });
    summary.push(`create ${code.description} ${placement.where}`);
  }
  // the script's own schedules go
  const removed = new Set<number>();
  for (const e of existing) {
    if (placement.replace && e === primary) continue;
    if (!e.sole) {
      if (e === primary) continue;
      warnings.push(`${e.maker} on line ${line(e.statement)} also binds other names: it stays, but is never stepped`);
      continue;
    }
    out.remove(e.statement);
    removed.add(e.statement.id);
    summary.push(`remove ${e.maker} \`${e.name}\` (line ${line(e.statement)}): the new schedule replaces it`);
  }
  for (const u of handLrUpdates(root, optAliases)) {
    for (const s of u.statements) out.remove(s);
    summary.push(`remove the hand-written LR update on line ${u.line}: the schedule sets the LR`);
  }
  // one scheduler.step() after each optimizer step
  const oldSteps = new Map<number, Node>();
  for (const e of existing) for (const s of schedulerSteps(root, aliasesOf(root, e.scope, e.name))) oldSteps.set(s.id, s);
  const threaded = new Set<number>();
  const kept = new Set<number>();
  for (const s of opt.sites) {
    const visible = visibleName(sched, driver, s.scope, existing, s.scope.type === 'function_definition' && isParameter(s.scope, s.optimizer));
    const atSite = visible ?? sched;
    const follower = nextSiblings(s.statement).find((n) => oldSteps.has(n.id) && receiverOf(n) === atSite);
    if (follower) {
      kept.add(follower.id);
      const call = kids(follower)[0]!;
      if (positional(call).length > 0 || (call.childForFieldName('arguments')?.text ?? '()') !== '()') {
        out.push({ start: follower.startIndex, end: follower.endIndex, newText: `${atSite}.step()` });
      }
      summary.push(`keep \`${atSite}.step()\` after the optimizer step on line ${line(s.statement)}`);
    } else {
      const at = lineEnd(text, s.statement.endIndex);
      out.push({ start: at, end: at, newText: `${out.style.eol}${lineIndent(text, s.statement.startIndex)}${atSite}.step()` });
      summary.push(`call \`${atSite}.step()\` after \`${s.statement.text}\` (line ${line(s.statement)})`);
    }
    if (visible === null && count) {
      for (const link of count.chain) {
        if (threaded.has(link.fn.id)) continue;
        threaded.add(link.fn.id);
        thread(text, link.fn, link.call, sched, out, summary);
      }
    } else if (visible === null) {
      throw new PlanRefusal(
        `\`${s.optimizer}.step()\` on line ${line(s.statement)} is in ${scopeLabel(s.scope)}, which cannot see the scheduler, and the file does not say how often that runs (${unknown}); make the optimizer and the loop in one function, or pass the scheduler in yourself`,
      );
    }
  }
  for (const [id, s] of oldSteps) {
    if (kept.has(id) || removed.has(statementOf(s).id)) continue;
    out.remove(s);
    summary.push(`remove \`${s.text}\` on line ${line(s)}: it stepped the old schedule ${cadence(s)}`);
  }
  // what the summary should say about the count and the momentum
  if (count) {
    summary.push(`total steps: ${count.expr} (${count.describe})`);
    warnings.push(...count.warnings);
    if (placement.replace === null && primary && primary.sole) {
      for (const ref of referencesBetween(root, primary.name, primary.statement, placement.at)) {
        warnings.push(`line ${line(ref)} uses \`${primary.name}\` before the new scheduler is made (line ${lineOf(text, placement.at) + 1}): move it below`);
      }
    }
  } else if (code.usesTotal) {
    warnings.push(
      `cannot tell how many optimizer steps this script takes (${unknown}): set \`total_steps\` (now the spec's ${scheduleEnd(spec)}) next to \`${sched}\`; past it the LR holds its last value`,
    );
  }
  const note = slotNote(opt.slot, opt.cls ?? optName);
  if (note) summary.push(note);
  return {
    summary,
    warnings,
    count: count ? { expr: count.expr, describe: count.describe } : null,
    importName: code.importName,
    modules: code.modules,
    updatesExisting: primary !== null,
  };
}

/** Scheduler classes LR Scope writes: when one is there, it is the one re-applying updates. */
const GENERATED_MAKERS = new Set(['OneCycleLR', 'CyclicLR', 'LambdaLR', 'LambdaLRWithMomentum']);


function slotNote(slot: MomentumSlot, cls: string): string | null {
  if (slot === 'none') return `${cls} has no momentum here: only the LR is scheduled`;
  if (slot === 'betas') return `${cls}: momentum is cycled through betas[0]`;
  if (slot === 'unknown') return `\`${cls}\` is not made with torch.optim in this file: momentum (or Adam's beta1) is cycled when the optimizer has it`;
  return null;
}

/** A free name for the scheduler of `optName` in `scope`: `scheduler`, `schedulerD` for `optimizerD`, `self.scheduler`. */
function schedulerName(optName: string, optimizerCount: number, scope: Node, taken: Set<string>): string {
  const self = optName.startsWith('self.') ? 'self.' : '';
  const base = optName.slice(self.length);
  const derived =
    optimizerCount === 1
      ? 'scheduler'
      : base.replace(/optimizer/i, 'scheduler') !== base
        ? base.replace(/optimizer/i, 'scheduler')
        : base.replace(/optim|opt/i, 'sched') !== base
          ? base.replace(/optim|opt/i, 'sched')
          : `${base}_scheduler`;
  for (const candidate of [derived, `lr_${derived}`, `${base}_lr_scheduler`]) {
    const name = self + candidate;
    if (taken.has(`${scope.id}:${name}`)) continue;
    if (bindings(scope, name).length === 0 && !(scope.type === 'function_definition' && isParameter(scope, name))) return name;
  }
  return `${self}${base}_lr_scheduler`;
}

interface Placement {
  /** Insertion offset (or the start of the replaced range). */
  at: number;
  /** Insert the block before `at` (before a loop) rather than after the line ending at `at`. */
  before: boolean;
  indent: string;
  /** The range of the script's own scheduler when the new one takes its place. */
  replace: { start: number; end: number } | null;
  where: string;
}

/**
 * Where the scheduler goes: in place of the script's own scheduler when that is in the driver's block after
 * everything the count reads, else right after the last statement that binds one of those names (or the
 * optimizer), else right before the loop. Without a count, after the optimizer is made.
 */
function place(text: string, driver: Node, count: StepCount | null, opt: TrackedOptimizer, optName: string, primary: ExistingScheduler | null): Placement {
  const lineNo = (n: Node) => lineOf(text, n.startIndex) + 1;
  const replaceRange = (e: ExistingScheduler) => {
    let first = e.statement;
    for (let prev = first.previousNamedSibling; prev && (isGenerated(prev) || prev.type === 'comment'); prev = prev.previousNamedSibling) {
      if (prev.type !== 'comment') first = prev;
    }
    return { start: lineStart(text, first.startIndex), end: e.statement.endIndex };
  };
  if (!count) {
    if (primary && primary.sole && scopeOf(primary.statement).id === driver.id) {
      return { at: primary.statement.startIndex, before: false, indent: lineIndent(text, primary.statement.startIndex), replace: replaceRange(primary), where: '' };
    }
    const after = primary && !primary.sole ? primary.statement : opt.creation;
    return { at: lineEnd(text, after.endIndex), before: false, indent: lineIndent(text, after.startIndex), replace: null, where: `after \`${firstLine(after)}\` (line ${lineNo(after)})` };
  }
  const block = count.loop.parent!;
  const statements = kids(block).filter((k) => k.type !== 'comment');
  const loopIndex = statements.findIndex((s) => s.id === count.loop.id);
  const needed = new Set([...namesIn(count.expr), ...namesIn(optName)].filter((n) => n !== 'self'));
  let last = -1;
  for (let i = 0; i < loopIndex; i++) {
    const s = statements[i]!;
    if (opt.home.id === driver.id && (s.id === opt.creation.id || contains(s, opt.creation))) last = i;
    if (optName.startsWith('self.') && bindings(driver, optName).some((b) => scopeOf(b.statement).id === driver.id && (b.statement.id === s.id || contains(s, b.statement)))) last = i;
    // a name's first binding defines it; later ones (`model, optimizer = accelerator.prepare(…)`) only wrap it
    for (const name of needed) {
      const first = bindings(driver, name)[0];
      if (first && (contains(s, first.statement) || first.statement.id === s.id)) last = i;
    }
  }
  const primaryIndex = primary ? statements.findIndex((s) => s.id === primary.statement.id) : -1;
  if (primary && primaryIndex >= last && primaryIndex >= 0 && primaryIndex < loopIndex) {
    if (primary.sole) {
      return { at: primary.statement.startIndex, before: false, indent: lineIndent(text, primary.statement.startIndex), replace: replaceRange(primary), where: '' };
    }
    last = primaryIndex;
  }
  if (last >= 0) {
    const after = statements[last]!;
    return { at: lineEnd(text, after.endIndex), before: false, indent: lineIndent(text, count.loop.startIndex), replace: null, where: `after \`${firstLine(after)}\` (line ${lineNo(after)})` };
  }
  let top: Node = count.loop;
  for (let prev = top.previousSibling; prev?.type === 'comment' && prev.endPosition.row + 1 === top.startPosition.row; prev = prev.previousSibling) top = prev;
  return { at: lineStart(text, top.startIndex), before: true, indent: lineIndent(text, count.loop.startIndex), replace: null, where: `before the loop on line ${lineNo(count.loop)}` };
}

/** A name the count reads that is not bound before the loop in the driver (nor a parameter or a global), as a reason; else null. */
function undefinedBefore(count: StepCount, text: string): string | null {
  const driver = count.driver;
  for (const name of namesIn(count.expr)) {
    if (name === 'self') continue;
    if (driver.type === 'function_definition' && isParameter(driver, name)) continue;
    const own = bindings(driver, name);
    if (own.some((b) => b.statement.startIndex < count.loop.startIndex)) continue;
    if (own.length > 0) return `\`${name}\` is set inside or after the loop on line ${lineOf(text, count.loop.startIndex) + 1}`;
    if (!isModule(driver) && bindings(moduleOf(driver), name).length > 0) continue;
    if (importsName(moduleOf(driver), name)) continue;
    return `\`${name}\` is not defined before the loop on line ${lineOf(text, count.loop.startIndex) + 1}`;
  }
  return null;
}

function importsName(root: Node, name: string): boolean {
  return kids(root).some((s) => (s.type === 'import_statement' || s.type === 'import_from_statement') && new RegExp(`\\b${name}\\b`).test(s.text));
}

/** The scheduler's name at `scope`: the same name in the driver, `self.` in its class, a global, or the parameter it is passed as; null when it must be passed in. */
function visibleName(sched: string, driver: Node, scope: Node, existing: ExistingScheduler[], passedIn: boolean): string | null {
  if (scope.id === driver.id) return sched;
  if (sched.startsWith('self.')) return classOf(scope) && classOf(driver) && classOf(scope)!.id === classOf(driver)!.id ? sched : null;
  for (const e of existing) {
    if (e.name !== sched) continue;
    const alias = nameIn(aliasesOf(moduleOf(scope), e.scope, e.name), scope);
    if (alias) return alias;
  }
  if (scope.type === 'function_definition' && isParameter(scope, sched)) return sched;
  // a module-level scheduler is a global there, unless the function takes its optimizer as a parameter:
  // then the scheduler is passed in beside it
  if (isModule(driver) && !passedIn && bindings(scope, sched).length === 0) return sched;
  return null;
}

/** Passes the scheduler into `fn` (a new last parameter) at its call `call` (`name=name`). */
function thread(text: string, fn: Node, call: Node, name: string, out: Edits, summary: string[]): void {
  const params = parameters(fn);
  const list = fn.childForFieldName('parameters')!;
  if (!params.some((p) => p.name === name)) {
    const kwargs = params.find((p) => p.star === 'kwargs');
    const needsDefault = params.some((p) => p.hasDefault) && !params.some((p) => p.star === 'args' || p.star === 'marker');
    const param = needsDefault ? `${name}=None` : name;
    if (kwargs) out.push({ start: kwargs.node.startIndex, end: kwargs.node.startIndex, newText: `${param}, ` });
    else {
      const items = params.filter((p) => p.node.type !== 'comment');
      const lastItem = items[items.length - 1];
      const at = lastItem ? lastItem.node.endIndex : list.startIndex + 1;
      out.push({ start: at, end: at, newText: lastItem ? `, ${param}` : param });
    }
    summary.push(`add the parameter \`${name}\` to ${scopeLabel(fn)} (line ${lineOf(text, fn.startIndex) + 1})`);
  }
  const args = call.childForFieldName('arguments')!;
  const passes = kids(args).some((a) => a.text === name || (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name));
  if (!passes) {
    const items = kids(args).filter((a) => a.type !== 'comment');
    const lastArg = items[items.length - 1];
    const at = lastArg ? lastArg.endIndex : args.startIndex + 1;
    out.push({ start: at, end: at, newText: lastArg ? `, ${name}=${name}` : `${name}=${name}` });
    summary.push(`pass \`${name}\` to \`${calleeName(call)}(…)\` on line ${lineOf(text, call.startIndex) + 1}`);
  }
}

/** A hand-written parameter update (`p.data.add_(p.grad, alpha=-lr)`), else null. */
function manualUpdate(root: Node): Node | null {
  return (
    descendants(root, 'call').find((c) => {
      const callee = calleeName(c) ?? '';
      return /\.(data\.)?(add_|sub_)$/.test(callee) && !/\bgrad\b/.test(callee) && /\.grad\b/.test(c.childForFieldName('arguments')?.text ?? '');
    }) ?? null
  );
}

function noOptimizerMessage(root: Node, reasons: string[]): string {
  if (reasons.length > 0) return `cannot tell which optimizer the step belongs to: ${reasons.join('; ')}`;
  const manual = manualUpdate(root);
  if (manual) {
    return `the script updates the parameters by hand (line ${manual.startPosition.row + 1}: \`${firstLine(statementOf(manual))}\`), not with a torch.optim optimizer: make one (e.g. \`optimizer = torch.optim.SGD(model.parameters(), lr=lr)\` and \`optimizer.step()\`), then insert the schedule`;
  }
  return 'no optimizer step found (`optimizer.step()` or `scaler.step(optimizer)`): create a torch.optim optimizer and step it in the training loop, then insert the schedule';
}


function nextSiblings(statement: Node): Node[] {
  const out: Node[] = [];
  for (let n = statement.nextNamedSibling; n; n = n.nextNamedSibling) out.push(n);
  return out;
}

function receiverOf(statement: Node): string {
  const callee = calleeName(kids(statement)[0]!) ?? '';
  return callee.slice(0, callee.lastIndexOf('.'));
}

function cadence(step: Node): string {
  const loop = descendantsUp(step).find((n) => n.type === 'for_statement' || n.type === 'while_statement');
  return loop ? `once per iteration of the loop on line ${loop.startPosition.row + 1}` : 'at another cadence';
}

function descendantsUp(n: Node): Node[] {
  const out: Node[] = [];
  for (let p = n.parent; p; p = p.parent) out.push(p);
  return out;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function firstLine(n: Node): string {
  return n.text.split(/\r?\n/)[0]!;
}

/** Uses of `name` after `from` and before offset `to` (in the same scope). */
function referencesBetween(root: Node, name: string, from: Node, to: number): Node[] {
  const scope = scopeOf(from);
  return descendants(root, 'attribute').filter(
    (a) => a.childForFieldName('object')?.text === name && a.startIndex > from.endIndex && a.startIndex < to && scopeOf(a).id === scope.id,
  );
}

/**
 * Drops the imports of scheduler makers nothing uses any more (`StepLR` once its scheduler is replaced). A sole
 * name imported from `module` becomes the first of `adding` (taken from that list), so the import line stays.
 */
function unusedImportEdits(root: Node, makers: ReadonlySet<string>, removed: Node[], module: string, adding: string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const used = (name: string) =>
    descendants(root, 'identifier').some(
      (id) => id.text === name && !removed.some((r) => contains(r, id)) && !['import_from_statement', 'import_statement', 'aliased_import'].includes(id.parent?.parent?.type ?? '') && id.parent?.type !== 'aliased_import' && id.parent?.parent?.type !== 'import_from_statement',
    );
  for (const statement of kids(root).filter((k) => k.type === 'import_from_statement')) {
    const names = kids(statement).slice(1).filter((k) => k.type === 'dotted_name' || k.type === 'aliased_import');
    for (const [i, n] of names.entries()) {
      const local = n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? '') : n.text;
      if (!makers.has(n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text) || used(local)) continue;
      if (names.length === 1) {
        const fromModule = statement.childForFieldName('module_name')?.text;
        if (fromModule === module && adding.length > 0) edits.push({ start: n.startIndex, end: n.endIndex, newText: adding.shift()! });
        else edits.push({ start: statement.startIndex, end: statement.endIndex, newText: '' });
      } else if (i < names.length - 1) {
        edits.push({ start: n.startIndex, end: names[i + 1]!.startIndex, newText: '' });
      } else {
        edits.push({ start: names[i - 1]!.endIndex, end: n.endIndex, newText: '' });
      }
    }
  }
  return edits;
}

/** Edits against the original text: insertions, replacements, and whole-statement removals that leave a `pass` in a block they would empty. */
class Edits {
  private readonly edits: TextEdit[] = [];
  private readonly removals = new Map<number, Node>();

  constructor(
    private readonly text: string,
    readonly style: PythonStyle,
  ) {}

  push(...edits: TextEdit[]): void {
    this.edits.push(...edits);
  }

  remove(statement: Node): void {
    this.removals.set(statement.id, statement);
  }

  /** Removed statements, as ranges of the original text. */
  removed(): Node[] {
    return [...this.removals.values()];
  }

  sorted(): TextEdit[] {
    const edits = [...this.edits];
    const group = () => {
      const byBlock = new Map<number, Node[]>();
      for (const s of this.removals.values()) {
        const block = s.parent!;
        byBlock.set(block.id, [...(byBlock.get(block.id) ?? []), s]);
      }
      return byBlock;
    };
    // an `if` left with nothing to do (`if scheduler is not None:` around a removed step) goes too
    for (let changed = true; changed; ) {
      changed = false;
      for (const removed of group().values()) {
        const block = removed[0]!.parent!;
        const owner = block.parent;
        const remaining = kids(block).filter((k) => k.type !== 'comment' && !removed.some((r) => r.id === k.id));
        if (remaining.length > 0 || owner?.type !== 'if_statement' || owner.childForFieldName('alternative')) continue;
        for (const r of removed) this.removals.delete(r.id);
        this.removals.set(owner.id, owner);
        changed = true;
      }
    }
    const byBlock = group();
    for (const removed of byBlock.values()) {
      const block = removed[0]!.parent!;
      const remaining = kids(block).filter((k) => k.type !== 'comment' && !removed.some((r) => r.id === k.id));
      removed.sort((a, b) => a.startIndex - b.startIndex);
      removed.forEach((s, i) => {
        const start = lineStart(this.text, s.startIndex);
        const end = lineEnd(this.text, s.endIndex);
        if (remaining.length === 0 && i === 0 && block.type === 'block') {
          edits.push({ start: s.startIndex, end, newText: 'pass' });
        } else {
          const next = this.text.startsWith('\r\n', end) ? end + 2 : this.text.startsWith('\n', end) ? end + 1 : end;
          edits.push({ start, end: next, newText: '' });
        }
      });
    }
    edits.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < edits.length; i++) {
      const [a, b] = [edits[i - 1]!, edits[i]!];
      if (b.start < a.end) {
        // an insertion inside a removed range (e.g. a step after a removed statement) is dropped with it
        if (b.start === b.end) edits.splice(i--, 1);
        else if (a.start === a.end && a.start >= b.start) edits.splice(--i, 1);
        else throw new PlanRefusal('the changes this file needs overlap; insert the schedule by hand (see the snippet)');
      }
    }
    return edits;
  }
}

