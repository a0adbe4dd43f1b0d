/**
 * The flavor registry: every flavor is one module under src/core/schedules/flavors plus one line in the
 * registry, and nothing else names it; each registered flavor round-trips from a max LR through validation,
 * compilation and its own Python (run by real Python, numpy standing in for tf / jnp) and TS/JS emitters.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { formulasFor, pyFunction } from '../../src/codegen/python/formulas';
import { scheduleSource } from '../../src/codegen/typescript/schedule-source';
import { FRAMEWORKS } from '../../src/core/frameworks';
import { flavorCodeById, flavorCodeOf } from '../../src/core/schedules/flavors/code';
import {
  compileSchedule,
  FLAVORS,
  flavorById,
  flavorOf,
  ONE_CYCLE_FLAVORS,
  POLICIES,
  RecommendScheduleError,
  sampleSchedule,
  specLength,
  validateSpec,
  type FlavorSpec,
} from '../../src/core/schedules/index';
import { assertClose, runHarness } from '../codegen/python-helpers';

const root = resolve(__dirname, '..', '..');
const FLAVOR_DIR = join('src', 'core', 'schedules', 'flavors') + sep;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('flavor registry', () => {
  it('lists each flavor once, one-cycle flavors by their spec name, in the order pickers show', () => {
    const ids = FLAVORS.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, ['pytorch', 'fastai', 'optax-cosine', 'optax-linear', 'smith', 'cyclic']);
    assert.deepEqual(ONE_CYCLE_FLAVORS, ids.filter((id) => flavorById(id).policy === 'onecycle'));
    for (const f of FLAVORS) {
      assert.ok(f.label && f.description, `${f.id}: label and description for the pickers`);
      assert.ok(f.specFields.includes(f.lrField), `${f.id}: its LR field ${f.lrField} is a spec field`);
      for (const field of f.fields) assert.ok(f.specFields.includes(field.key), `${f.id}: form field ${field.key} is a spec field`);
    }
    for (const f of FLAVORS) assert.equal(flavorCodeById(f.id).id, f.id, `${f.id}: its code is joined to it`);
    assert.throws(() => flavorById('bogus'), /no schedule flavor "bogus" \(one of pytorch, fastai, optax-cosine, optax-linear, smith, cyclic\)/);
  });

  it('the extension setting offers exactly the one-cycle flavors (package.json is the one place outside src that lists them)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['lrScope.oneCycleFlavor'];
    assert.deepEqual(setting.enum, ONE_CYCLE_FLAVORS);
    assert.equal(setting.enumDescriptions.length, ONE_CYCLE_FLAVORS.length);
  });

  it('no source outside the flavor modules and the registry names a flavor', () => {
    // A flavor id that is also a framework or a policy name ('pytorch', 'fastai', 'cyclic') is looked for
    // only where it is used as a flavor: next to a `flavor` name (`flavor === 'x'`, `oneCycleFlavor: 'x'`).
    const shared = new Set<string>([...FRAMEWORKS, ...POLICIES]);
    const found: string[] = [];
    for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'webview'))]) {
      const rel = relative(root, file);
      if (rel.startsWith(FLAVOR_DIR)) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const f of FLAVORS) {
        const id = f.id.replace(/[-]/g, '\\-');
        const literal = `(?:'${id}'|"${id}"|\`${id}\`)`;
        const pattern = shared.has(f.id)
          ? new RegExp(`flavor\\w*\\s*(===|!==|:|\\?\\?|=)\\s*${literal}|${literal}\\s*(===|!==)\\s*[\\w.]*flavor`, 'i')
          : new RegExp(`(?<!":)${literal}|\\bcase ${literal}`);
        lines.forEach((line, k) => {
          if (pattern.test(line)) found.push(`${rel}:${k + 1}: ${f.id}: ${line.trim()}`);
        });
      }
    }
    assert.deepEqual(found, [], 'flavor ids outside src/core/schedules/flavors/ (read them from the registry instead)');
  });

  it('fromMaxLr: a valid spec peaking at the LR over epochs × steps per epoch; bad input refused by name', () => {
    for (const f of FLAVORS) {
      const spec = f.fromMaxLr(0.02, { epochs: 3, stepsPerEpoch: 20 });
      assert.deepEqual(validateSpec(spec), spec, f.id);
      assert.equal(flavorOf(validateSpec(spec) as FlavorSpec), f);
      assert.equal((spec as unknown as Record<string, number>)[f.lrField], 0.02, `${f.id}: ${f.lrField}`);
      assert.equal(specLength(spec), 60, `${f.id}: length`);
      assert.ok(Math.max(...sampleSchedule(spec).lr) <= 0.02 * (1 + 1e-12), `${f.id}: peaks at the LR`);
      assert.throws(() => f.fromMaxLr(0, { epochs: 3, stepsPerEpoch: 20 }), (e: unknown) => e instanceof RecommendScheduleError && /maxLr must be a finite number > 0/.test(e.message));
      assert.throws(() => f.fromMaxLr(0.02, { epochs: 0, stepsPerEpoch: 20 }), /epochs must be a whole number ≥ 1 \(got 0\)/);
      assert.throws(() => f.fromMaxLr(0.02, { epochs: 1, stepsPerEpoch: 1 }), /needs at least \d steps \(got 1\): raise epochs or stepsPerEpoch/);
      assert.throws(() => f.fromMaxLr(0.02, { epochs: 3, stepsPerEpoch: 20 }, { bogus: 1 }), new RegExp(`no tuning "bogus"`));
    }
  });

  it('an exact native equivalent, where a flavor has one, gives the same LR (and momentum when it cycles it)', () => {
    for (const f of FLAVORS) {
      const spec = f.fromMaxLr(0.3, { epochs: 4, stepsPerEpoch: 25 });
      const native = flavorCodeById(f.id).torchOneCycle?.(spec);
      if (!native) continue;
      const ours = sampleSchedule(spec);
      const torch = sampleSchedule(native.spec, ours.lr.length);
      assertClose(torch.lr, ours.lr, `${f.id} as ${native.description}`, 1e-12);
      if (native.spec.cycleMomentum) assertClose(torch.momentum!, ours.momentum!, `${f.id} momentum as ${native.description}`, 1e-12);
    }
  });
});

/** A value off the default for every field some flavor's form offers. */
const EDITS: Record<string, unknown> = {
  pctStart: 0.2,
  pctFinal: 0.6,
  divFactor: 10,
  finalDivFactor: 100,
  annealStrategy: 'linear',
  threePhase: true,
  baseMomentum: 0.8,
  maxMomentum: 0.9,
  div: 8,
  divFinal: 1e3,
  moms: [0.9, 0.8, 0.9],
  minLr: 0.004,
  stepSize: 18,
  finalLr: 1e-4,
  baseLr: 0.01,
  stepSizeUp: 7,
  stepSizeDown: 4,
  mode: 'exp_range',
};

interface Job {
  id: string;
  code: string;
  call: string;
  n: number;
  tensor: boolean;
  expected: number[];
}

describe('every registered flavor: fromMaxLr → validate → compile → its Python and TS/JS emitters', () => {
  const jobs: Job[] = [];
  const results = new Map<string, { values: number[]; error: string | null }>();
  const specs: { id: string; spec: FlavorSpec }[] = FLAVORS.flatMap((f) => [
    { id: `${f.id} (defaults)`, spec: f.fromMaxLr(0.05, { epochs: 5, stepsPerEpoch: 9 }) },
    { id: `${f.id} (every field edited)`, spec: edited(f.fromMaxLr(0.05, { epochs: 5, stepsPerEpoch: 9 })) },
  ]);

  before(() => {
    for (const { id, spec } of specs) {
      const n = specLength(spec)!;
      const expected = sampleSchedule(spec, n);
      for (const dialect of ['python', 'tf', 'jnp'] as const) {
        const f = formulasFor(spec, dialect);
        const code = [pyFunction('lr_at', f.lr), ...(f.momentum ? [pyFunction('momentum_at', f.momentum)] : [])].join('\n\n');
        const tensor = dialect !== 'python';
        jobs.push({ id: `${id} ${dialect} lr`, code, call: 'lr_at(step)', n, tensor, expected: expected.lr });
        if (expected.momentum) jobs.push({ id: `${id} ${dialect} momentum`, code, call: 'momentum_at(step)', n, tensor, expected: expected.momentum });
      }
      const optax = flavorCodeOf(spec).optaxSchedule?.(spec);
      if (optax) jobs.push({ id: `${id} optax native`, code: `schedule = ${optax}`, call: 'schedule(step)', n, tensor: true, expected: expected.lr });
    }
    for (const r of runHarness<{ id: string; values: number[]; error: string | null }>('eval_formulas.py', jobs)) results.set(r.id, r);
  });

  it('the Python formulas (plain, tf, jnp) and optax’s own schedules reproduce the compiled schedule at every step (rel. err ≤ 1e-9)', () => {
    assert.ok(jobs.length >= FLAVORS.length * 2 * 3, `${jobs.length} jobs`);
    for (const j of jobs) {
      const r = results.get(j.id);
      assert.equal(r?.error, null, `${j.id}:\n${r?.error}\n${j.code}`);
      assertClose(r!.values, j.expected, j.id);
    }
  });

  it('the TS and JS sources reproduce it too', () => {
    for (const { id, spec } of specs) {
      const n = specLength(spec)!;
      const schedule = compileSchedule(spec);
      for (const language of ['ts', 'js'] as const) {
        const source = scheduleSource(spec, language);
        assert.equal(source.cyclesMomentum, schedule.momentum !== null, `${id} ${language}: momentumAt exactly when the schedule cycles momentum`);
        const text = source.lines.join('\n');
        const js = language === 'ts' ? ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText : text;
        const context: Record<string, unknown> = {};
        vm.runInNewContext(`${js}\nthis.lrAt = lrAt;${source.cyclesMomentum ? '\nthis.momentumAt = momentumAt;' : ''}`, context);
        const steps = Array.from({ length: n }, (_, i) => i);
        assertClose(steps.map(context.lrAt as (i: number) => number), steps.map(schedule.lr), `${id} ${language} lrAt`);
        if (schedule.momentum) assertClose(steps.map(context.momentumAt as (i: number) => number), steps.map(schedule.momentum), `${id} ${language} momentumAt`);
      }
    }
  });
});

/** The spec with every field the form offers moved off its default, still valid (so every emitter branch runs). */
function edited(spec: FlavorSpec): FlavorSpec {
  const out = { ...spec } as Record<string, unknown>;
  for (const field of flavorOf(spec).fields) {
    const v = EDITS[field.key];
    if (v !== undefined) out[field.key] = v;
  }
  if (out.mode === 'exp_range') out.gamma = 0.97;
  return validateSpec(out) as FlavorSpec;
}

