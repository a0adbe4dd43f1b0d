/**
 * Keras: the schedule becomes the optimizer's `learning_rate` — a `LearningRateSchedule` subclass holding the
 * exact formula in TensorFlow ops (traceable inside `fit`), or the plain number for a constant LR — and, when
 * the spec cycles momentum, a callback that sets the optimizer's momentum (beta_1 for Adam) before each batch.
 */
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { InsertionPlan, TextEdit } from '../types';
import { placeDefinitions } from './definitions';
import { formulaImports, formulasFor, scheduleEnd, type Steps } from './formulas';
import { importEdits } from './imports';
import { detectStyle, pyFloat } from './style';
import { argList, calleeName, descendants, kids, kwarg, kwargNode, lastName, lineOf, literalNumber, positional, type Node, type Tree } from './syntax';

export const KERAS_OPTIMIZERS: ReadonlySet<string> = new Set(['SGD', 'Adam', 'AdamW', 'Adamax', 'Nadam', 'RMSprop', 'Adagrad', 'Adadelta', 'Ftrl', 'Lion', 'Adafactor']);
const BETA1 = new Set(['Adam', 'AdamW', 'Adamax', 'Nadam', 'Lion', 'Adafactor']);
export const KERAS_DEFS: ReadonlySet<string> = new Set(['total_steps', 'OneCycleSchedule', 'CyclicSchedule', 'RangeSchedule', 'momentum_at_step', 'MomentumSchedule']);

/** `keras.optimizers.SGD`, `tf.keras.optimizers.Adam`, `optimizers.SGD`, or a bare class name. */
export function kerasOptimizerPrefix(callee: string): string | null {
  const cls = lastName(callee);
  if (!KERAS_OPTIMIZERS.has(cls)) return null;
  const prefix = callee.slice(0, callee.length - cls.length);
  if (prefix === '') return 'keras';
  if (prefix.endsWith('optimizers.') && !prefix.includes('torch')) return prefix === 'optimizers.' ? 'keras' : prefix.slice(0, -'.optimizers.'.length);
  return null;
}

export function findKerasOptimizers(root: Node): { call: Node; keras: string; cls: string }[] {
  const out: { call: Node; keras: string; cls: string }[] = [];
  for (const call of descendants(root, 'call')) {
    const callee = calleeName(call);
    const keras = callee ? kerasOptimizerPrefix(callee) : null;
    if (callee && keras) out.push({ call, keras, cls: lastName(callee) });
  }
  return out;
}

function className(spec: ScheduleSpec): string {
  return spec.policy === 'onecycle' ? 'OneCycleSchedule' : spec.policy === 'cyclic' ? 'CyclicSchedule' : 'RangeSchedule';
}

/** Plans the Keras edit (see the module comment). Throws when the file constructs no Keras optimizer. */
export function planKeras(tree: Tree, text: string, spec: ScheduleSpec): InsertionPlan {
  const style = detectStyle(text);
  const root = tree.rootNode;
  const constructed = findKerasOptimizers(root)[0];
  const named = constructed ? null : stringOptimizer(root, text);
  if (!constructed && !named) {
    throw new Error('no Keras optimizer found: pass one to `model.compile` (`optimizer="adam"` or `keras.optimizers.Adam(…)`), then insert the schedule');
  }
  const { call, keras, cls } = constructed ?? named!;
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const warnings: string[] = [];
  const line = lineOf(text, call.startIndex) + 1;
  const length = fitLength(root, call);
  if (scheduleEnd(spec) !== null && !length.steps) warnings.push(`cannot tell how many optimizer steps \`fit\` takes (${length.why}): the schedule spans the spec's ${scheduleEnd(spec)} steps and holds its last LR after them`);
  const steps: Steps | null = scheduleEnd(spec) !== null && length.steps ? { expr: 'total_steps' } : null;
  const formulas = formulasFor(spec, 'tf', steps);
  const momentumArg = BETA1.has(cls) ? 'beta_1' : 'momentum';
  const momentumLiteral = literalNumber(kwarg(call, 'momentum'));
  const hasMomentum = BETA1.has(cls) || (cls === 'SGD' || cls === 'RMSprop' ? kwarg(call, 'momentum') !== null && momentumLiteral !== 0 : false);
  const cycleMomentum = formulas.momentum !== null && hasMomentum;

  let lrValue: string;
  const defs: string[] = [];
  let modules: string[] = [];
  if (spec.policy === 'constant') {
    lrValue = pyFloat(spec.lr);
  } else {
    const name = className(spec);
    defs.push(
      [
        `class ${name}(${keras}.optimizers.schedules.LearningRateSchedule):`,
        `    # ${formulas.lr.title}: the LR of optimizer step \`step\` (exact formula in TensorFlow ops).`,
        '    def __call__(self, step):',
        ...formulas.lr.lines.map((l) => (l === '' ? '' : `        ${l}`)),
        '',
        '    def get_config(self):',
        '        return {}',
      ].join('\n'),
    );
    lrValue = `${name}()`;
    modules = formulaImports(formulas.lr);
  }
  if (cycleMomentum) {
    const py = formulasFor(spec, 'python', steps);
    defs.push(
      ['def momentum_at_step(step):', `    # ${py.momentum!.title}`, ...py.momentum!.lines.map((l) => (l === '' ? '' : `    ${l}`))].join('\n'),
      [
        `class MomentumSchedule(${keras}.callbacks.Callback):`,
        `    # Sets the optimizer's ${momentumArg} before every batch, as the schedule says.`,
        '    def on_train_batch_begin(self, batch, logs=None):',
        '        step = int(self.model.optimizer.iterations.numpy())',
        `        self.model.optimizer.${momentumArg} = momentum_at_step(step)`,
      ].join('\n'),
    );
    modules = [...new Set([...modules, ...formulaImports(py.momentum)])];
  }
  let replaced = false;
  if (steps && length.steps) defs.unshift(`total_steps = ${length.steps}`);
  if (defs.length > 0) {
    const placed = placeDefinitions(root, text, call, defs.join('\n\n\n'), KERAS_DEFS, style);
    edits.push(placed.edit);
    replaced = placed.replaced;
    const what = [spec.policy === 'constant' ? null : `\`${lrValue}\` (${formulas.lr.title})`, cycleMomentum ? '`MomentumSchedule`' : null].filter(Boolean);
    summary.push(`${replaced ? 'update' : 'define'} ${what.join(' and ')}`);
  }
  if (named) {
    // `optimizer="adam"` becomes the optimizer object that takes the schedule
    edits.push({ start: named.string.startIndex, end: named.string.endIndex, newText: `${keras}.optimizers.${cls}(learning_rate=${lrValue})` });
    summary.push(`replace \`${named.string.text}\` with \`${keras}.optimizers.${cls}(learning_rate=${lrValue})\` in \`compile\` (line ${line})`);
  }
  if (length.steps && steps) summary.push(`total steps: ${length.steps} (from \`fit\`: epochs × batches per epoch)`);
  // learning_rate=…
  const lrNode = named ? null : (kwarg(call, 'learning_rate') ?? kwarg(call, 'lr') ?? positional(call)[0] ?? null);
  if (named) {
    // written above
  } else if (lrNode) {
    if (lrNode.text !== lrValue) edits.push({ start: lrNode.startIndex, end: lrNode.endIndex, newText: lrValue });
  } else {
    edits.push(insertArgument(call, `learning_rate=${lrValue}`));
  }
  if (!named) summary.push(`pass \`learning_rate=${lrValue}\` to ${keras}.optimizers.${cls} (line ${line})`);
  if (cycleMomentum) {
    const fit = [...descendants(root, 'call')].find((c) => /\.fit$/.test(calleeName(c) ?? ''));
    if (fit && !fit.text.includes('MomentumSchedule()')) {
      edits.push(addCallback(fit, 'MomentumSchedule()'));
      summary.push(`add \`MomentumSchedule()\` to \`${calleeName(fit)}(callbacks=…)\` (line ${lineOf(text, fit.startIndex) + 1})`);
      summary.push(`note: Keras 3 / tf.keras ≥ 2.11 optimizers read \`${momentumArg}\` when the train step is compiled; the callback takes effect with \`model.compile(…, run_eagerly=True)\` (or a legacy optimizer)`);
    } else if (!fit) {
      summary.push('no `model.fit(...)` found: pass `callbacks=[MomentumSchedule()]` to it');
    }
  } else if (formulas.momentum !== null) {
    summary.push(`${cls} has no momentum here: only the LR is scheduled`);
  }
  const needsTf = defs.some((d) => d.includes('tf.'));
  edits.push(...importEdits(root, text, { modules, names: [], aliases: needsTf ? [{ module: 'tensorflow', alias: 'tf' }] : [] }, style));
  const plan: InsertionPlan = { framework: 'keras', edits: edits.sort((a, b) => a.start - b.start), summary, updatesExisting: replaced, warnings };
  if (length.steps && steps) plan.stepCount = { expr: length.steps, describe: 'epochs × batches per epoch of `fit`' };
  return plan;
}

/** Keras' optimizer names for `compile(optimizer="…")`. */
const STRING_OPTIMIZERS: Record<string, string> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  adamax: 'Adamax',
  nadam: 'Nadam',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  ftrl: 'Ftrl',
  lion: 'Lion',
  adafactor: 'Adafactor',
};

/** `model.compile(optimizer="adam", …)` (or the string as the first argument): the call, the string, the class and how the file reaches Keras. */
function stringOptimizer(root: Node, text: string): { call: Node; string: Node; keras: string; cls: string } | null {
  for (const call of descendants(root, 'call')) {
    if (!/(^|\.)compile$/.test(calleeName(call) ?? '')) continue;
    const value = kwarg(call, 'optimizer') ?? positional(call)[0] ?? null;
    if (value?.type !== 'string') continue;
    const cls = STRING_OPTIMIZERS[value.text.slice(1, -1).toLowerCase()];
    if (!cls) continue;
    const keras = /^\s*(from\s+tensorflow\s+import\s+[^\n]*\bkeras\b|import\s+keras\b)/m.test(text) ? 'keras' : 'tf.keras';
    return { call, string: value, keras, cls };
  }
  return null;
}


/**
 * The optimizer steps of the file's `fit(x, y, epochs=E, batch_size=B, validation_split=v)`: E × ⌈n / B⌉ with
 * n = ⌊len(x) × (1 − v)⌋ (Keras' own split), B = 32 when not given; written before the optimizer, so only
 * when every name it reads is bound before `before`.
 */
function fitLength(root: Node, before: Node): { steps: string | null; why: string } {
  const fit = descendants(root, 'call').find((c) => /(^|\.)fit$/.test(calleeName(c) ?? '') && !/fit_one_cycle/.test(calleeName(c) ?? ''));
  if (!fit) return { steps: null, why: 'no `model.fit(…)` found' };
  const x = kwarg(fit, 'x') ?? positional(fit)[0];
  const epochs = kwarg(fit, 'epochs') ?? positional(fit)[4] ?? null;
  const batch = kwarg(fit, 'batch_size') ?? positional(fit)[2] ?? null;
  if (!x || !/^[\w.]+$/.test(x.text)) return { steps: null, why: '`fit` is not given an array `x` by name' };
  if (kwarg(fit, 'steps_per_epoch')) return { steps: null, why: '`fit` sets `steps_per_epoch`' };
  if (!epochs) return { steps: null, why: '`fit` has no `epochs=`' };
  const split = kwarg(fit, 'validation_split');
  const n = split ? `int(len(${x.text}) * (1 - ${split.text}))` : `len(${x.text})`;
  const b = batch?.text ?? '32';
  const atom = (e: string) => (/^[\w.]+$/.test(e) ? e : `(${e})`);
  const expr = `${atom(epochs.text)} * ((${n} + ${atom(b)} - 1) // ${atom(b)})`;
  for (const name of new Set(expr.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? [])) {
    if (['int', 'len'].includes(name)) continue;
    const bound = descendants(root, 'assignment').some((a) => a.startIndex < before.startIndex && new RegExp(`(^|[^\\w.])${name}([^\\w]|$)`).test(a.childForFieldName('left')?.text ?? ''));
    const imported = descendants(root, 'import_from_statement').some((i) => i.startIndex < before.startIndex && new RegExp(`\\b${name}\\b`).test(i.text));
    if (!bound && !imported) return { steps: null, why: `\`${name}\` is set after the optimizer is made` };
  }
  return { steps: expr, why: '' };
}

/** An edit adding `arg` as the call's last argument. */
export function insertArgument(call: Node, arg: string): TextEdit {
  const args = argList(call)!;
  const items = kids(args).filter((k) => k.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) return { start: args.startIndex + 1, end: args.startIndex + 1, newText: arg };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${arg}` };
}

/** Adds a callback to `fit(callbacks=[…])` (or `cbs=` for fastai). */
export function addCallback(call: Node, callback: string, keyword = 'callbacks'): TextEdit {
  const node = kwargNode(call, keyword);
  const value = node?.childForFieldName('value');
  if (!node || !value) return insertArgument(call, `${keyword}=[${callback}]`);
  if (value.type === 'list') {
    const items = kids(value).filter((k) => k.type !== 'comment');
    const last = items[items.length - 1];
    if (!last) return { start: value.startIndex + 1, end: value.startIndex + 1, newText: callback };
    return { start: last.endIndex, end: last.endIndex, newText: `, ${callback}` };
  }
  return { start: value.startIndex, end: value.endIndex, newText: `[*${value.text}, ${callback}]` };
}
