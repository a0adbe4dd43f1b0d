/**
 * Judges one corpus entry (corpus-entries.ts) against the real CLI and real torch:
 *
 * 1. the untransformed folder runs under the recorder and every optimizer the entry names takes
 *    steps (else the harness itself is wrong);
 * 2. per spec, on a fresh copy (the transformed file chmod 755 first):
 *    `node bin/lrscope.js snippet --spec spec.json --into FILE --write`, exit code and stderr;
 *    exit 2 passes only where the entry accepts a refusal and stderr names the words it must;
 * 3. after exit 0: a second identical run exits 0 and changes nothing; the file keeps mode 755;
 * 4. the written folder runs under the recorder and, per scheduled optimizer and param group,
 *    the LR (and the momentum / beta1 where the spec cycles it and the optimizer has one) of every
 *    recorded step equals the spec compiled with its length set to the number of steps taken
 *    (relative tolerance 1e-9); static-only entries get static_check.py's checks instead.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileSchedule, type ScheduleSpec } from '../../src/core/schedules/index';
import type { CorpusEntry } from './corpus-entries';

export const ROOT = resolve(__dirname, '..', '..');
export const CORPUS_DIR = join(__dirname, 'corpus');
export const PYTHON = '/usr/bin/python3';
const CLI = join(ROOT, 'bin', 'lrscope.js');
const RECORDER = join(CORPUS_DIR, 'recorder.py');
const STATIC_CHECK = join(CORPUS_DIR, 'static_check.py');
const RELATIVE_TOLERANCE = 1e-9;
/** A guard against a transformed script that never ends; not a measurement. */
const RUN_LIMIT_MS = 300_000;

export interface OptimizerRecord {
  index: number;
  class: string;
  groups: number;
  lr: number[][];
  momentum: (number | null)[][];
}

export interface Recording {
  status: string;
  error: string | null;
  optimizers: OptimizerRecord[];
}

export interface RunResult {
  ok: boolean;
  recording: Recording | null;
  /** Why the run did not give a recording: the interpreter's own failure, or the script's. */
  failure: string | null;
}

export interface OptimizerVerdict {
  label: string;
  steps: number;
  exact: boolean;
  /** "exact", "exact (lr; momentum n/a: Adadelta has none)" or the first mismatch. */
  detail: string;
}

export interface SpecOutcome {
  spec: string;
  exitCode: number;
  stderr: string;
  /** Exit 2 that the entry accepts (words present). */
  acceptedRefusal: boolean;
  /** After exit 0: second application exit code 0 and no change. */
  idempotent: boolean | null;
  /** After exit 0: mode 755 kept. */
  modeKept: boolean | null;
  ran: RunResult | null;
  optimizers: OptimizerVerdict[];
  checks: { check: string; ok: boolean; detail: string }[];
  pass: boolean;
  /** The first reason this spec does not pass. */
  reason: string;
}

export interface EntryOutcome {
  entry: CorpusEntry;
  /** The untransformed folder under the recorder (null for static-only entries). */
  original: RunResult | null;
  /** Harness sanity: the original ran and its named optimizers stepped. */
  originalOk: boolean;
  originalReason: string;
  specs: SpecOutcome[];
  pass: boolean;
}

export function cliIsBuilt(): boolean {
  return existsSync(join(ROOT, 'dist', 'cli.js'));
}

function copyEntry(entry: CorpusEntry, into: string): string {
  const dir = join(into, entry.dir);
  cpSync(join(CORPUS_DIR, entry.dir), dir, { recursive: true });
  for (const d of entry.run?.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  for (const script of entry.run?.prepare ?? []) {
    const r = spawnSync(PYTHON, [script], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${entry.name}: prepare ${script} failed: ${r.stderr || r.error?.message}`);
  }
  return dir;
}

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs `entry.run.script` in `dir` under the recorder. */
export function record(entry: CorpusEntry, dir: string): RunResult {
  const run = entry.run;
  if (run === undefined) throw new Error(`${entry.name} is static-only`);
  const out = join(dir, '.lrscope-record.json');
  rmSync(out, { force: true });
  const r = spawnSync(PYTHON, [RECORDER, run.script, ...run.args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, LRSCOPE_RECORD: out, PYTHONDONTWRITEBYTECODE: '1' },
    timeout: RUN_LIMIT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) {
    return { ok: false, recording: null, failure: `${PYTHON} ${run.script}: ${r.error.message}` };
  }
  if (!existsSync(out)) {
    return { ok: false, recording: null, failure: `no recording (exit ${r.status}): ${tail(r.stderr)}` };
  }
  const recording = JSON.parse(readFileSync(out, 'utf8')) as Recording;
  if (recording.status !== 'ok') {
    return { ok: false, recording, failure: `${recording.status}: ${tail(recording.error ?? r.stderr)}` };
  }
  return { ok: true, recording, failure: null };
}

/** The spec with its length set to `n` steps (bounded policies); unbounded ones unchanged. */
export function withLength(spec: ScheduleSpec, n: number): ScheduleSpec {
  switch (spec.policy) {
    case 'range':
      return { ...spec, steps: n };
    case 'constant':
    case 'cyclic':
      return spec;
    case 'onecycle':
      switch (spec.flavor) {
        case 'pytorch':
        case 'fastai':
        case 'smith':
          return { ...spec, totalSteps: n };
        case 'optax-cosine':
        case 'optax-linear':
          return { ...spec, transitionSteps: n };
      }
  }
}

function close(expected: number, got: number): boolean {
  return Math.abs(got - expected) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), Number.MIN_VALUE);
}

/** Compares every recorded step of one optimizer with the spec over that many steps. */
export function compareOptimizer(spec: ScheduleSpec, rec: OptimizerRecord, label: string): OptimizerVerdict {
  const n = rec.lr.length;
  if (n === 0) return { label, steps: 0, exact: false, detail: `${label} (${rec.class}) took no step` };
  let schedule;
  try {
    schedule = compileSchedule(withLength(spec, n));
  } catch (err) {
    return { label, steps: n, exact: false, detail: `the spec over ${n} steps is invalid: ${(err as Error).message}` };
  }
  const momentum = schedule.momentum;
  const group = (g: number) => (rec.groups > 1 ? ` group ${g}` : '');
  const lrWrong: string[] = [];
  const momentumWrong: string[] = [];
  let momentumNa = false;
  // LR Scope does not add momentum to an optimizer made without it (SGD, RMSprop with momentum 0): there
  // only the LR is scheduled, and the momentum must stay 0 at every step
  const noMomentum = momentum !== null && rec.momentum.every((row) => row.every((m) => m === 0));
  for (let i = 0; i < n; i++) {
    const want = schedule.lr(i);
    const badLr = rec.lr[i]!.findIndex((got) => !close(want, got));
    if (badLr >= 0) lrWrong.push(`step ${i}${group(badLr)}: expected ${want}, got ${rec.lr[i]![badLr]}`);
    if (momentum === null || noMomentum) continue;
    const wantM = momentum(i);
    const row = rec.momentum[i]!;
    if (row.some((m) => m === null)) momentumNa = true;
    const badM = row.findIndex((m) => m !== null && !close(wantM, m));
    if (badM >= 0) momentumWrong.push(`step ${i}${group(badM)}: expected ${wantM}, got ${row[badM]}`);
  }
  if (lrWrong.length > 0 || momentumWrong.length > 0) {
    const parts = [];
    if (lrWrong.length > 0) parts.push(`lr wrong at ${lrWrong.length}/${n} steps, first ${lrWrong[0]}`);
    if (momentumWrong.length > 0) parts.push(`momentum wrong at ${momentumWrong.length}/${n} steps, first ${momentumWrong[0]}`);
    return { label, steps: n, exact: false, detail: parts.join('; ') };
  }
  const what = momentum === null ? 'lr' : noMomentum ? `lr; momentum stays 0: ${rec.class} made without momentum` : momentumNa ? `lr; momentum n/a: ${rec.class} has none` : 'lr + momentum';
  return { label, steps: n, exact: true, detail: `exact (${what}, ${n} steps)` };
}

function runCli(dir: string, into: string): { code: number; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'snippet', '--spec', 'lrscope-spec.json', '--into', into, '--write'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: RUN_LIMIT_MS,
  });
  if (r.error) throw new Error(`node ${CLI}: ${r.error.message}`);
  return { code: r.status ?? -1, stderr: r.stderr };
}

function staticChecks(original: string, written: string, checks: string[]): { check: string; ok: boolean; detail: string }[] {
  const r = spawnSync(PYTHON, [STATIC_CHECK, original, written, ...checks], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`static_check.py failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as { check: string; ok: boolean; detail: string }[];
}

function judgeSpec(entry: CorpusEntry, label: string, spec: ScheduleSpec, work: string): SpecOutcome {
  const outcome: SpecOutcome = {
    spec: label,
    exitCode: -1,
    stderr: '',
    acceptedRefusal: false,
    idempotent: null,
    modeKept: null,
    ran: null,
    optimizers: [],
    checks: [],
    pass: false,
    reason: '',
  };
  const dir = copyEntry(entry, mkdtempSync(join(work, `${label}-`)));
  const file = join(dir, entry.into);
  const original = readFileSync(file, 'utf8');
  chmodSync(file, 0o755);
  writeFileSync(join(dir, 'lrscope-spec.json'), JSON.stringify(spec));

  const first = runCli(dir, entry.into);
  outcome.exitCode = first.code;
  outcome.stderr = first.stderr.trim();
  if (first.code === 2) {
    const words = entry.refusal?.words ?? [];
    const lower = outcome.stderr.toLowerCase();
    const missing = words.filter((w) => !lower.includes(w.toLowerCase()));
    const unchanged = readFileSync(file, 'utf8') === original;
    outcome.acceptedRefusal = entry.refusal !== undefined && missing.length === 0 && outcome.stderr !== '' && unchanged;
    outcome.pass = outcome.acceptedRefusal;
    outcome.reason = outcome.pass
      ? 'refused as accepted'
      : entry.refusal === undefined
        ? `refused, but this script can be scheduled: ${firstLine(outcome.stderr)}`
        : !unchanged
          ? 'refused but the file was changed'
          : `refusal does not name ${missing.map((w) => `'${w}'`).join(', ')}: ${firstLine(outcome.stderr)}`;
    return outcome;
  }
  if (first.code !== 0) {
    outcome.reason = `exit ${first.code}: ${firstLine(outcome.stderr)}`;
    return outcome;
  }
  const written = readFileSync(file, 'utf8');
  outcome.modeKept = (statSync(file).mode & 0o777) === 0o755;
  const second = runCli(dir, entry.into);
  outcome.idempotent = second.code === 0 && readFileSync(file, 'utf8') === written;
  const reasons: string[] = [];
  if (entry.mustRefuse) reasons.push('exit 0, but only a refusal is right here (nothing to schedule)');
  for (const word of entry.warns ?? []) {
    const warned = outcome.stderr.split('\n').some((l) => l.startsWith('warning:') && l.toLowerCase().includes(word.toLowerCase()));
    if (!warned) reasons.push(`no \`warning:\` line names '${word}' (the length the file does not tell)`);
  }
  if (entry.run !== undefined) {
    outcome.ran = record(entry, dir);
    if (!outcome.ran.ok) {
      reasons.push(`transformed run failed: ${firstLine(outcome.ran.failure ?? '')}`);
    } else {
      for (const opt of entry.scheduled) {
        const rec = outcome.ran.recording!.optimizers[opt.index];
        const verdict = rec
          ? compareOptimizer(spec, rec, opt.label)
          : { label: opt.label, steps: 0, exact: false, detail: `${opt.label}: no optimizer #${opt.index} was created` };
        outcome.optimizers.push(verdict);
        if (!verdict.exact) reasons.push(`${opt.label}: ${verdict.detail}`);
      }
    }
  }
  if (entry.checks !== undefined) {
    const originalCopy = join(dir, '.lrscope-original.py');
    writeFileSync(originalCopy, original);
    outcome.checks = staticChecks(originalCopy, file, entry.checks);
    for (const c of outcome.checks) if (!c.ok) reasons.push(`${c.check}: ${c.detail}`);
  }
  // Training under the wrong schedule is the worst failure, so it is named first.
  if (!outcome.idempotent) reasons.push(second.code === 0 ? 'not idempotent: the second run changed the file' : `second run exit ${second.code}: ${firstLine(second.stderr)}`);
  if (!outcome.modeKept) reasons.push(`mode not kept: ${(statSync(file).mode & 0o777).toString(8)} after --write, 755 before`);
  outcome.pass = reasons.length === 0;
  outcome.reason = outcome.pass ? 'ok' : reasons.length > 1 ? `${reasons[0]!} (+${reasons.length - 1} more: ${reasons.slice(1).join('; ')})` : reasons[0]!;
  return outcome;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no message)';
}

/** Judges one entry; `keep` leaves the temporary folders in place (their path is returned). */
export function runEntry(entry: CorpusEntry, options: { keep?: boolean } = {}): EntryOutcome & { work: string } {
  const work = mkdtempSync(join(tmpdir(), `lrscope-corpus-${entry.name}-`));
  try {
    let original: RunResult | null = null;
    let originalOk = true;
    let originalReason = entry.staticOnly !== undefined ? `static-only: ${entry.staticOnly}` : 'ok';
    if (entry.run !== undefined) {
      original = record(entry, copyEntry(entry, mkdtempSync(join(work, 'original-'))));
      if (!original.ok) {
        originalOk = false;
        originalReason = `the original does not run: ${original.failure}`;
      } else {
        for (const opt of entry.scheduled) {
          const rec = original.recording!.optimizers[opt.index];
          if (!rec || rec.lr.length === 0) {
            originalOk = false;
            originalReason = `the original's ${opt.label} (optimizer #${opt.index}) recorded no step`;
          }
        }
      }
    }
    const specs = Object.entries(entry.specs).map(([label, spec]) => judgeSpec(entry, label, spec, work));
    return { entry, original, originalOk, originalReason, specs, pass: originalOk && specs.every((s) => s.pass), work };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}
