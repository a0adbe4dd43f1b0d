/**
 * One probe run, shared by the range test and the schedule trial: start the interpreter on the
 * script, answer each optimizer step with the next step's values (or a stop), turn steps into
 * points, keep the run record, and say clearly how it ended.
 *
 * The probe takes one control line for each optimizer step, and reports its steps in batches. LR
 * Scope keeps the values of the next steps on their way (`lookahead.ts`): a range test as many as
 * cover ~0.2 s of steps — one (lock-step: a stop lands before the very next update) when a step takes
 * 0.2 s or more; a schedule trial 64. A stop (stop rule, steps done, cancel) overtakes the queued
 * values; steps the script made after it are not recorded, so the record holds what was judged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultPythonCommand } from '../../core/python-command';
import { RUN_RECORD_VERSION, type RunKind, type RunRecord, type StepPoint } from '../../core/runs/record';
import { specLength } from '../../core/schedules/compile';
import type { Schedule } from '../../core/schedules/schedule';
import type { ScheduleSpec } from '../../core/schedules/spec';
import { newRunId, runRecordPath, RunRecordWriter, writeRunRecord } from '../run-store';
import type { EngineEvents } from '../run-types';
import { locationText, nanAtStartError, noLauncherError, noLossError, noPythonError, noStepError, noTorchError, ProbeError, scriptFailedError } from './errors';
import { parseLauncher } from './launcher';
import { Lookahead } from './lookahead';
import { defaultProbeDir, startProbeProcess, type ProbeExit } from './process';
import type { PythonRunTarget } from './types';
import { PROBE_PROTOCOL, type ProbeEvent } from './wire';

export const DEFAULT_PYTHON = defaultPythonCommand(process.platform);
export const DEFAULT_FIRST_STEP_TIMEOUT_MS = 300_000;
export const DEFAULT_GRACE_MS = 5_000;
/** How many suppressed checkpoint paths the final note lists by name. */
const LISTED_PATHS = 10;

/** What the run does with each step. */
export interface Verdict {
  /** The point to record and stream (null: nothing to plot, e.g. a non-finite loss in a range test). */
  point: StepPoint | null;
  /** End the run after this step. */
  stop?: { status: 'completed' | 'diverged'; detail?: string };
}

export interface ProbePlan {
  kind: RunKind;
  mode: 'range' | 'schedule';
  spec: ScheduleSpec;
  schedule: Schedule;
  /** Planned optimizer steps; null: as many as the script makes. */
  steps: number | null;
  /** Options to record. */
  options: Record<string, unknown>;
  /** Notes known before the run (ignored options …). */
  notes: string[];
  seed?: number;
  /** Judges step `step` (its loss is finite, or not for the stop rule to see). */
  judge(step: number, lr: number, loss: number, momentum: number | undefined): Verdict;
  /** Completes the record once the run is over (analysis); called when it has points. */
  finish?(record: RunRecord): void;
  /**
   * How the run ends when the script raises (or exits non-zero) after `steps` optimizer steps, the last
   * one at `lastLr`: a stop to record instead of a failure (a range test that ran into its script's own
   * error at a high LR), or null for a failure.
   */
  raised?(steps: number, lastLr: number | null, failure: ScriptFailure): Verdict['stop'] | null;
}

/** What the probe reported of a script that raised or exited with a non-zero status. */
export type ScriptFailure = Extract<ProbeEvent, { event: 'error' }>;

type Decision = { status: 'completed' | 'diverged' | 'cancelled' | 'failed'; detail?: string; error?: ProbeError };

/**
 * Runs `plan` on `target`'s script and resolves with the saved record; rejects with a
 * `ProbeError` (carrying the saved record when there is one) for every failure of issue 5 §3.
 */
export async function runProbe(target: PythonRunTarget, plan: ProbePlan, events: EngineEvents, signal?: AbortSignal): Promise<RunRecord> {
  const script = resolve(target.scriptPath);
  if (!existsSync(script) || !statSync(script).isFile()) throw new ProbeError(`${script}: no such file`, 'script-not-found');
  const python = target.python ?? DEFAULT_PYTHON;
  const launcher = target.launcher === undefined ? undefined : parseLauncher(target.launcher);
  /** What was started: the interpreter, or the launcher's command. */
  const command = launcher ? launcher[0]! : python;
  const timeoutMs = target.firstStepTimeoutMs ?? DEFAULT_FIRST_STEP_TIMEOUT_MS;
  const graceMs = target.graceMs ?? DEFAULT_GRACE_MS;
  for (const [name, value] of [['firstStepTimeoutMs', timeoutMs], ['graceMs', graceMs]] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new ProbeError(`${name} must be a number of milliseconds ≥ 0, got ${value}`, 'options');
  }

  const record: RunRecord = {
    version: RUN_RECORD_VERSION,
    id: target.runId ?? newRunId(plan.kind),
    kind: plan.kind,
    status: 'running',
    startedAt: new Date().toISOString(),
    experiment: { path: script, sha256: createHash('sha256').update(readFileSync(script)).digest('hex') },
    environment: { backend: 'pytorch', libraryVersion: '', runtime: '', threads: 0, lrscopeVersion: process.env.LRSCOPE_VERSION ?? 'dev' },
    schedule: plan.spec,
    options: { ...plan.options, python, scriptArgs: target.scriptArgs ?? [], ...(launcher ? { launcher: target.launcher } : {}) },
    points: [],
    epochs: [],
    ...(plan.notes.length > 0 ? { notes: [...plan.notes] } : {}),
  };
  const recordPath = runRecordPath(target.runsDir, record.id);
  const log = (level: 'info' | 'warn' | 'error', message: string): void => events.onLog?.({ level, message });
  const note = (text: string): void => {
    (record.notes ??= []).push(text);
    log('info', text);
  };

  let hello = false;
  let written: Promise<unknown> = Promise.resolve();
  const saving: { writer: Promise<RunRecordWriter> | null } = { writer: null };
  let decision: Decision | null = null;
  let scriptEnd: Extract<ProbeEvent, { event: 'stop' }> | null = null;
  let scriptError: Extract<ProbeEvent, { event: 'error' }> | null = null;
  let stepsSeen = 0;
  let skipped = 0;
  let processesStarted = 0;
  const suppressed: string[] = [];
  let firstStepTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  /** Index of the next step whose values have not been sent yet. */
  let nextToSend = 0;
  /** Sends the values of every step up to `last` (never past the planned steps). */
  const sendValuesThrough = (last: number): void => {
    const bound = plan.steps === null ? last : Math.min(last, plan.steps - 1);
    for (; nextToSend <= bound; nextToSend++) {
      const lr = plan.schedule.lr(nextToSend);
      const momentum = plan.schedule.momentum?.(nextToSend);
      probe.send(momentum === undefined ? { lr } : { lr, momentum });
    }
  };
  const lookahead = new Lookahead(plan.mode);

  /** Decides how the run ends (first decision wins), tells the probe to stop, and kills it if it lingers. */
  const end = (outcome: Decision, now: 'stop' | 'terminate' = 'stop'): void => {
    if (decision) return;
    decision = outcome;
    clearTimeout(firstStepTimer);
    probe.send({ stop: outcome.status });
    if (now === 'terminate') probe.kill('SIGTERM');
    killTimer = setTimeout(() => probe.kill('SIGKILL'), graceMs);
  };

  const onStep = (event: Extract<ProbeEvent, { event: 'step' }>): void => {
    if (decision) return; // a step already under way when the run was stopped
    clearTimeout(firstStepTimer);
    const step = stepsSeen++;
    if (event.loss === null) return end({ status: 'failed', error: noLossError(script, step, event.lossProblem ?? { kind: 'no-backward' }) });
    if (step === 0 && !Number.isFinite(event.loss)) return end({ status: 'failed', error: nanAtStartError(script, event.loss) });
    const lr = plan.schedule.lr(step);
    const verdict = plan.judge(step, lr, event.loss, event.momentum);
    if (verdict.point) {
      record.points.push(verdict.point);
      events.onPoint?.(verdict.point);
      void saving.writer?.then((w) => w.changed(), () => undefined);
    }
    if (decision) return; // cancelled from inside onPoint
    if (verdict.stop) return end(verdict.stop);
    if (plan.steps !== null && step + 1 >= plan.steps) return end({ status: 'completed' });
    sendValuesThrough(step + lookahead.after(step, performance.now()));
  };

  const onEvent = (event: ProbeEvent): void => {
    switch (event.event) {
      case 'hello':
        hello = true;
        record.environment = { ...record.environment, libraryVersion: event.torch, runtime: `python ${event.python}`, threads: event.threads };
        record.options.python = event.executable || python;
        if (event.worldSize !== undefined) {
          record.options.ranks = event.worldSize;
          note(`${event.worldSize} ranks under ${command}: each step's LR is the same on every rank, its loss the mean over the ranks`);
        }
        // the record grows on disk as the run goes (a hard kill loses at most the last second)
        saving.writer = RunRecordWriter.open(target.runsDir, record, { onSaveError: (message) => log('warn', message) });
        written = saving.writer;
        events.onStart?.({
          runId: record.id,
          recordPath,
          backend: record.environment,
          totalSteps: plan.steps ?? specLength(plan.spec) ?? 0,
          schedule: record.schedule,
          notes: record.notes ?? [],
        });
        if (event.protocol !== PROBE_PROTOCOL) {
          const which = `${target.probeDir ?? defaultProbeDir()} speaks protocol ${event.protocol}, this LR Scope ${PROBE_PROTOCOL}`;
          return end({ status: 'failed', error: new ProbeError(`The LR Scope probe does not match this LR Scope (${which}): reinstall LR Scope.`, 'probe-failed') }, 'terminate');
        }
        if (!decision) {
          firstStepTimer = setTimeout(() => end({ status: 'failed', error: noStepError(script, timeoutMs, processesStarted) }, 'terminate'), timeoutMs);
        }
        return;
      case 'step':
        return onStep(event);
      case 'skip':
        skipped++;
        return;
      case 'suppressed':
        suppressed.push(event.path);
        log('info', `${event.writer}: ${event.path} not written (LR Scope writes no checkpoint while probing)`);
        return;
      case 'note':
        return note(event.text);
      case 'processes':
        processesStarted = event.started;
        return;
      case 'connect':
        return;
      case 'stop':
        scriptEnd = event;
        return;
      case 'error':
        scriptError = event;
        return;
    }
  };

  const probe = await startProbeProcess(
    {
      python,
      ...(launcher ? { launcher } : {}),
      probeDir: target.probeDir ?? defaultProbeDir(),
      ...(plan.seed !== undefined ? { seed: plan.seed } : {}),
      script,
      scriptArgs: target.scriptArgs ?? [],
      cwd: target.cwd ? resolve(target.cwd) : dirname(script),
      ...(target.env ? { env: target.env } : {}),
    },
    {
      onEvent,
      onOutput: (stream, line) => log(stream === 'stderr' ? 'warn' : 'info', line),
      onBadEvent: (problem) => log('warn', `LR Scope probe: ignored a bad event (${problem})`),
    },
  );
  const onAbort = (): void => end({ status: 'cancelled', detail: `cancelled after ${stepsSeen} steps` });
  if (signal?.aborted) onAbort();
  else {
    sendValuesThrough(lookahead.initial - 1);
    signal?.addEventListener('abort', onAbort, { once: true });
  }

  const exit = await probe.exited;
  clearTimeout(firstStepTimer);
  clearTimeout(killTimer);
  signal?.removeEventListener('abort', onAbort);
  await written;
  log('info', `${command} ${exitText(exit)} after ${stepsSeen} optimizer step${stepsSeen === 1 ? '' : 's'}`);

  // Nothing was said before torch was imported: no record, only the reason.
  const ended = decision as Decision | null;
  if (!hello && ended?.status !== 'cancelled') {
    if (exit.spawnError) throw launcher ? noLauncherError(target.launcher!, exit.spawnError.code) : noPythonError(python, exit.spawnError.code);
    const failure = scriptError as Extract<ProbeEvent, { event: 'error' }> | null;
    if (failure?.kind === 'no-torch') throw noTorchError(python, failure.executable ?? '', `${failure.type}: ${failure.message}`);
    const stderr = probe.stderrTail();
    throw new ProbeError(`The LR Scope probe did not start under ${command} (it ${exitText(exit)})${stderr ? `:\n${stderr}` : '.'}`, 'probe-failed');
  }

  let error: ProbeError | null = null;
  const failure = scriptError as Extract<ProbeEvent, { event: 'error' }> | null;
  const finished = scriptEnd as Extract<ProbeEvent, { event: 'stop' }> | null;
  const raisedStop = failure && failure.kind !== 'no-torch' && stepsSeen > 0 ? (plan.raised?.(stepsSeen, record.points.at(-1)?.lr ?? null, failure) ?? null) : null;
  if (ended) {
    record.status = ended.status;
    error = ended.error ?? null;
    if (ended.detail) record.statusDetail = ended.detail;
    else if (error) record.statusDetail = error.message;
  } else if (raisedStop && failure) {
    record.status = raisedStop.status;
    if (raisedStop.detail) record.statusDetail = raisedStop.detail;
    note(`${raisedStop.detail ?? 'the script raised'}${failure.where ? ` (at ${locationText(failure.where, script)})` : ''}`);
  } else if (failure) {
    error = scriptFailedError(script, stepsSeen, failure);
    record.status = stepsSeen === 0 ? 'failed' : 'crashed';
    record.statusDetail = error.message;
  } else if (finished) {
    if (stepsSeen === 0) {
      error = noStepError(script, null, processesStarted);
      record.status = 'failed';
      record.statusDetail = error.message;
    } else {
      record.status = 'completed';
      if (plan.steps !== null && stepsSeen < plan.steps) {
        record.statusDetail = `the script ended after ${stepsSeen} of ${plan.steps} planned steps: the curve is partial`;
        note(record.statusDetail);
      }
    }
  } else {
    const stderr = probe.stderrTail();
    error = new ProbeError(
      `${command} ${exitText(exit)} after ${stepsSeen} optimizer steps, without a word from the probe${stderr ? `:\n${stderr}` : ''}`,
      'crashed',
    );
    record.status = 'crashed';
    record.statusDetail = error.message;
  }
  if (skipped > 0) note(`GradScaler skipped ${skipped} update${skipped === 1 ? '' : 's'} (inf/NaN gradients): not counted as steps`);
  if (suppressed.length > 0) {
    const listed = suppressed.slice(0, LISTED_PATHS).join(', ');
    const more = suppressed.length > LISTED_PATHS ? ` and ${suppressed.length - LISTED_PATHS} more` : '';
    note(`checkpoint writes suppressed while probing — not written: ${listed}${more}`);
  }

  if (record.points.length > 0 && plan.finish) {
    try {
      plan.finish(record);
    } catch (err) {
      (record.notes ??= []).push(`analysis failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  record.endedAt = new Date().toISOString();
  const open = saving.writer ? await saving.writer.catch(() => null) : null;
  if (open) await open.close();
  else await writeRunRecord(target.runsDir, record);
  if (error) {
    error.recordPath = recordPath;
    error.record = record;
    throw error;
  }
  return record;
}

function exitText(exit: ProbeExit): string {
  if (exit.spawnError) return `could not be started (${exit.spawnError.code ?? exit.spawnError.message})`;
  if (exit.signal) return `was killed (${exit.signal})`;
  return `exited with status ${exit.code}`;
}
