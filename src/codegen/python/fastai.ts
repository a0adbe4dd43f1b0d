/**
 * fastai: `learn.fit(n, lr)` becomes `learn.fit_one_cycle(n, lr_max=…, …)` for the fastai flavor (native, exact);
 * any other schedule keeps `fit` and adds a `ParamScheduler` whose functions evaluate the exact formula at the
 * step fastai is on (pos · total steps).
 */
import { flavorCodeOf } from '../../core/schedules/flavors/code';
import { hasRelativeLength } from '../../core/schedules/flavors/index';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../types';
import { placeDefinitions } from './definitions';
import { formulaImports, formulasFor } from './formulas';
import { importEdits } from './imports';
import { requote } from './requote';
import { detectStyle, pyNum } from './style';
import { argList, calleeName, descendants, kids, kwarg, lineOf, positional, type Node, type Tree } from './syntax';

export const FASTAI_DEFS: ReadonlySet<string> = new Set(['total_steps', 'lr_at_step', 'momentum_at_step', 'lr_at_pos', 'momentum_at_pos']);
const FIT = /^(.+)\.(fit|fit_one_cycle|fit_flat_cos|fit_sgdr|fine_tune)$/;
/** Arguments fit_one_cycle takes over from the schedule (dropped from the user's call). */
const SCHEDULE_ARGS = new Set(['lr', 'lr_max', 'div', 'div_final', 'pct_start', 'moms', 'n_epoch']);

export function findFastaiFits(root: Node): { call: Node; learner: string; method: string }[] {
  const out: { call: Node; learner: string; method: string }[] = [];
  for (const call of descendants(root, 'call')) {
    const m = FIT.exec(calleeName(call) ?? '');
    if (m && m[1] !== 'model' && m[1] !== 'trainer') out.push({ call, learner: m[1]!, method: m[2]! });
  }
  return out;
}

/** Plans the fastai edit (see the module comment). Throws when the file has no `learn.fit…(…)` call. */
export function planFastai(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const root = tree.rootNode;
  const fits = findFastaiFits(root);
  const fit = fits.find((f) => f.method === 'fit_one_cycle') ?? fits.find((f) => f.method === 'fit') ?? fits[0];
  if (!fit) throw new Error('no `learn.fit(...)` / `learn.fit_one_cycle(...)` call found');
  const { call, learner } = fit;
  const epochs = (kwarg(call, 'n_epoch') ?? positional(call)[0])?.text;
  if (!epochs) throw new Error(`\`${calleeName(call)}\` has no epoch count`);
  const kept = kids(argList(call)!).filter(
    (a) => a.type === 'keyword_argument' && !SCHEDULE_ARGS.has(a.childForFieldName('name')?.text ?? '') && a.childForFieldName('name')?.text !== 'cbs',
  );
  const line = lineOf(text, call.startIndex) + 1;
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  let updatesExisting = fit.method !== 'fit';

  const oneCycle = spec.policy === 'onecycle' ? flavorCodeOf(spec).fitOneCycle?.(spec) : undefined;
  if (oneCycle) {
    const args = [epochs, `lr_max=${pyNum(oneCycle.lrMax)}`];
    if (oneCycle.div !== 25) args.push(`div=${pyNum(oneCycle.div)}`);
    if (oneCycle.divFinal !== 1e5) args.push(`div_final=${pyNum(oneCycle.divFinal)}`);
    if (oneCycle.pctStart !== 0.25) args.push(`pct_start=${pyNum(oneCycle.pctStart)}`);
    if (oneCycle.moms.join() !== '0.95,0.85,0.95') args.push(`moms=(${oneCycle.moms.map(pyNum).join(', ')})`);
    const cbs = kwarg(call, 'cbs');
    const rest = [...kept.map((k) => k.text), ...(cbs && !cbs.text.includes('ParamScheduler') ? [`cbs=${cbs.text}`] : [])];
    edits.push({ start: call.startIndex, end: call.endIndex, newText: `${learner}.fit_one_cycle(${[...args, ...rest].join(', ')})` });
    summary.push(`${fit.method === 'fit_one_cycle' ? 'update' : 'turn'} \`${calleeName(call)}\` (line ${line}) ${fit.method === 'fit_one_cycle' ? 'to' : 'into'} \`${learner}.fit_one_cycle(${args.join(', ')})\``);
    summary.push(`fit_one_cycle spans ${epochs} epochs × len(${learner}.dls.train) steps (the spec: ${oneCycle.totalSteps})`);
    return { framework: 'fastai', edits, summary, updatesExisting };
  }

  const relative = hasRelativeLength(spec); // else its phases are absolute step counts (Smith's)
  const formulas = formulasFor(spec, 'python', relative ? { expr: 'total_steps' } : null);
  const defs = [
    ['def lr_at_step(step):', `    # ${formulas.lr.title}`, ...indent(formulas.lr.lines)].join('\n'),
    ['def lr_at_pos(pos):', '    # ParamScheduler passes the fraction of training done', '    return lr_at_step(round(pos * total_steps))'].join('\n'),
  ];
  const scheds = ['"lr": lr_at_pos'];
  if (formulas.momentum) {
    defs.push(
      ['def momentum_at_step(step):', `    # ${formulas.momentum.title}`, ...indent(formulas.momentum.lines)].join('\n'),
      ['def momentum_at_pos(pos):', '    return momentum_at_step(round(pos * total_steps))'].join('\n'),
    );
    scheds.push('"mom": momentum_at_pos');
  }
  const block = `total_steps = ${epochs} * len(${learner}.dls.train)\n\n\n${defs.join('\n\n\n')}`;
  const placed = placeDefinitions(root, text, call, block, FASTAI_DEFS, style);
  edits.push(placed.edit);
  updatesExisting ||= placed.replaced;
  const scheduler = `ParamScheduler({${scheds.join(', ')}})`;
  const cbs = kwarg(call, 'cbs');
  if (fit.method !== 'fit' || !cbs || !cbs.text.includes('ParamScheduler')) {
    const args = [epochs, ...kept.map((k) => k.text)];
    const userCbs = cbs && !cbs.text.includes('ParamScheduler') ? cbs : null;
    args.push(userCbs ? (userCbs.type === 'list' ? `cbs=[${[...kids(userCbs).map((k) => k.text), scheduler].join(', ')}]` : `cbs=[${userCbs.text}, ${scheduler}]`) : `cbs=${scheduler}`);
    edits.push({ start: call.startIndex, end: call.endIndex, newText: requote(`${learner}.fit(${args.join(', ')})`, style) });
  }
  summary.push(`${placed.replaced ? 'update' : 'define'} the exact ${formulas.lr.title} schedule and pass it to \`${learner}.fit\` as a ParamScheduler (line ${line})`);
  edits.push(...importEdits(root, text, { modules: formulaImports(formulas.lr, formulas.momentum), names: [{ module: 'fastai.callback.schedule', name: 'ParamScheduler' }] }, style));
  return { framework: 'fastai', edits: edits.sort((a, b) => a.start - b.start), summary, updatesExisting };
}

function indent(lines: string[]): string[] {
  return lines.map((l) => (l === '' ? '' : `    ${l}`));
}

