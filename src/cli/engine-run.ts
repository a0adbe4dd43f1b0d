/**
 * The CLI runs experiments the way the extension does: in an engine child process (`src/host/`,
 * the same protocol and run manager), so an experiment that exits, runs out of memory, loops or
 * crashes takes down only that child — its run is saved as `crashed` with the points received —
 * and Ctrl-C always works: the run stops after its batch, or is killed after a grace period (at
 * once on a second Ctrl-C), its partial record saved either way.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc';
import type { RunRecord } from '../core/runs/record';
import { writeRecordFile } from '../engine/run-store';
import type { EngineEvents } from '../engine/run-types';
import { DescribeError, describeExperiment } from '../host/describe';
import { forkLauncher, type EngineLauncher } from '../host/engine-process';
import { RunManager, type RunOutcome, type Timers } from '../host/run-manager';
import { EngineErrorCode, type DescribeParams, type EngineErrorData, type ExperimentShape, type StartParams } from '../protocol/engine';
import { withInterrupt, exitCodeOf, type StopSignal } from './stop-signals';
import { UsageError } from './verb';

/** How long a stopped run may take to finish its batch before its engine is killed. */
export const STOP_GRACE_MS = 5000;

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Forks the engine: `engine.js` beside the bundled CLI (dist/), or — running from the sources
 * (tests, `node --import tsx src/cli/bin.ts`) — `src/engine/child/main.ts` through tsx.
 */
export function engineLauncher(cwd: string): EngineLauncher {
  const bundled = join(__dirname, 'engine.js');
  if (existsSync(bundled)) return forkLauncher({ enginePath: bundled, cwd });
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  return forkLauncher({ enginePath: join(__dirname, '..', 'engine', 'child', 'main.ts'), execArgv: ['--import', tsx], cwd });
}

/** Where the engine's own output goes: each line through `say`, minus V8's fatal-error dump (the crash message says it). */
function outputLines(say: (line: string) => void): (text: string) => void {
  let pending = '';
  let dumping = false;
  return (text) => {
    pending += text;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (/^<--- Last few GCs --->|^FATAL ERROR:|^#\s*Fatal error/.test(line)) dumping = true;
      if (!dumping && line.trim() !== '') say(line);
    }
  };
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

function newManager(cwd: string, say: (line: string) => void): RunManager {
  const print = outputLines(say);
  const launch = engineLauncher(cwd);
  return new RunManager({
    launch: (onOutput) => launch((text, stream) => {
      onOutput(text, stream);
      print(text);
    }),
    saveRecord: async (path, record) => {
      await writeRecordFile(path, record);
    },
    hashFile: sha256,
    timers,
    cancelGraceMs: STOP_GRACE_MS,
    now: () => new Date(),
    lrscopeVersion: process.env.LRSCOPE_VERSION ?? 'dev',
  });
}

/** How a run in the engine child ended, for the verb to report. */
export interface EngineRunResult {
  record: RunRecord;
  /** Where the record is. */
  recordPath: string;
  /** The exit code this ending calls for: 0 for a finished run (the verb may decide otherwise), 128+n when stopped by a signal, 1 for a crash. */
  code: number;
  /** One sentence when the engine died (the record is `crashed`). */
  crash?: string;
}

/** The engine's error answer as the CLI reports it: the user's mistakes exit 2, anything else 1. */
function failure(verb: string, outcome: Extract<RunOutcome, { kind: 'failed' }>): Error {
  const where = outcome.recordPath ? `\n(the failed run's record: ${outcome.recordPath})` : '';
  if (outcome.code === 'experiment' || outcome.code === 'backend') return new UsageError(`lrscope ${verb}: ${outcome.message}${where}`);
  return new Error(`${outcome.message}${outcome.recordPath ? `\n(the partial run's record: ${outcome.recordPath})` : ''}`);
}

/**
 * Runs `params` in an engine child with the engine's events, the stop signals routed to it
 * (`stopping` says what happens on the first), and waits until the child has exited.
 */
export async function runInEngine(
  verb: string,
  params: StartParams,
  events: EngineEvents,
  hooks: { cwd: string; say(line: string): void; stopping(signal: StopSignal): void },
): Promise<EngineRunResult> {
  const manager = newManager(hooks.cwd, hooks.say);
  try {
    const { outcome, stoppedBy } = await withInterrupt(
      {
        first: (signal) => {
          hooks.stopping(signal);
          manager.stop(`stopped by ${signal}`);
        },
        again: () => {
          hooks.say('stopping now: the points received so far are saved');
          manager.stopNow();
        },
      },
      async (interrupt) => {
        const ended = await manager.start(params, {
          started: (s) => events.onStart?.(s),
          point: (p) => events.onPoint?.(p),
          epoch: (e) => events.onEpoch?.(e),
          log: (l) => events.onLog?.(l),
        });
        return { outcome: ended, stoppedBy: interrupt.stoppedBy };
      },
    );
    const stopCode = exitCodeOf(stoppedBy ?? 'SIGINT');
    switch (outcome.kind) {
      case 'finished': {
        const record = outcome.record;
        const recordPath = join(params.runsDir, `${record.id}.json`);
        return { record, recordPath, code: record.status === 'cancelled' ? stopCode : record.status === 'crashed' ? 1 : 0 };
      }
      case 'failed':
        throw failure(verb, outcome);
      case 'killed':
        return { record: outcome.record, recordPath: outcome.recordPath, code: stopCode };
      case 'crashed': {
        const saved = outcome.saveError ? `; the partial run could not be saved: ${outcome.saveError}` : '';
        return { record: outcome.record, recordPath: outcome.recordPath, code: 1, crash: `${outcome.message}${saved}` };
      }
    }
  } finally {
    await manager.settled(STOP_GRACE_MS);
  }
}

/** Asks an engine child to describe the experiment (epochs, batch size, batches per epoch). */
export async function describeInEngine(verb: string, params: DescribeParams, cwd: string, say: (line: string) => void): Promise<ExperimentShape> {
  try {
    return await describeExperiment(engineLauncher(cwd), params, { onOutput: outputLines(say), killAfterMs: STOP_GRACE_MS });
  } catch (err) {
    if (err instanceof DescribeError && err.code !== 'internal') throw new UsageError(`lrscope ${verb}: ${err.message}`);
    throw err instanceof DescribeError ? new Error(err.message) : err;
  }
}
