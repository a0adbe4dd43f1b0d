/**
 * The probe's Python process: spawned with the user's interpreter, the probe package on PYTHONPATH,
 * events on fd 3 and control lines on fd 4. The script's stdout/stderr are handed over line by line,
 * untouched. The process leads its own process group so that a kill also ends the script's workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { encodeControl, parseProbeEvent, type ControlMessage, type ProbeEvent } from './wire';

const EVENTS_FD = 3;
const CONTROL_FD = 4;
const STDERR_TAIL_LINES = 20;

export interface ProbeLaunch {
  python: string;
  probeDir: string;
  mode: 'range' | 'schedule';
  seed?: number;
  script: string;
  scriptArgs: string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface ProbeHandlers {
  onEvent(event: ProbeEvent): void;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  /** A line on the events pipe that is not a probe event (a bug, or a mismatched probe version). */
  onBadEvent(problem: string): void;
}

export interface ProbeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the interpreter could not be started at all (ENOENT, EACCES …). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ProbeProcess {
  /** Sends one control line (ignored once the process has gone). */
  send(message: ControlMessage): void;
  /** Kills the process and its group. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once the process has exited and its pipes are drained. */
  readonly exited: Promise<ProbeExit>;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
}

/** The folder holding `lrscope_probe`: beside the bundle (dist/python) or at the repository's root. */
export function defaultProbeDir(): string {
  const candidates = [join(__dirname, 'python'), join(__dirname, '..', 'python'), join(__dirname, '..', '..', '..', 'python')];
  return candidates.find((dir) => existsSync(join(dir, 'lrscope_probe', '__main__.py'))) ?? candidates[0]!;
}

/** Starts `python -m lrscope_probe … -- script args` and wires its pipes to `handlers`. */
export function startProbeProcess(launch: ProbeLaunch, handlers: ProbeHandlers): ProbeProcess {
  const args = ['-m', 'lrscope_probe', '--mode', launch.mode, '--events-fd', String(EVENTS_FD), '--control-fd', String(CONTROL_FD)];
  if (launch.seed !== undefined) args.push('--seed', String(launch.seed));
  args.push('--', launch.script, ...launch.scriptArgs);

  const child = spawn(launch.python, args, {
    cwd: launch.cwd,
    env: probeEnv(launch),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const stderrLines: string[] = [];
  const control = child.stdio[CONTROL_FD] as Duplex | null;
  control?.on('error', () => undefined); // the process went away; its exit tells the rest
  control?.resume(); // nothing comes back on it, but its end must be read for 'close' to fire

  const exited = new Promise<ProbeExit>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
    });
    child.once('close', (code, signal) => resolve({ code, signal, ...(spawnError ? { spawnError } : {}) }));
  });

  eachLine(child.stdout, (line) => handlers.onOutput('stdout', line));
  eachLine(child.stderr, (line) => {
    stderrLines.push(line);
    if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
    handlers.onOutput('stderr', line);
  });
  eachLine(child.stdio[EVENTS_FD] as Readable | null, (line) => {
    if (line.trim() === '') return;
    let event: ProbeEvent;
    try {
      event = parseProbeEvent(line);
    } catch (err) {
      handlers.onBadEvent(err instanceof Error ? err.message : String(err));
      return;
    }
    handlers.onEvent(event);
  });

  return {
    send(message) {
      if (!control || control.destroyed || child.exitCode !== null || child.signalCode !== null) return;
      if (!control.writableCorked) {
        control.cork(); // the lines of one tick (a batch of judged steps) leave in one write
        process.nextTick(() => control.uncork());
      }
      control.write(encodeControl(message));
    },
    kill(signal = 'SIGKILL') {
      killGroup(child, signal);
    },
    exited,
    stderrTail: () => stderrLines.join('\n'),
  };
}

function probeEnv(launch: ProbeLaunch): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, ...launch.env };
  const original = base.PYTHONPATH ?? '';
  return {
    ...base,
    PYTHONPATH: original ? `${launch.probeDir}${delimiter}${original}` : launch.probeDir,
    LRSCOPE_ORIGINAL_PYTHONPATH: original,
    // The script's prints reach the log as they happen, and no __pycache__ lands beside anyone's sources.
    PYTHONUNBUFFERED: base.PYTHONUNBUFFERED ?? '1',
    PYTHONPYCACHEPREFIX: base.PYTHONPYCACHEPREFIX ?? join(tmpdir(), 'lrscope-pycache'),
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
}

/** Calls `onLine` for every line of `stream` (without its newline; a last unterminated line too). */
function eachLine(stream: Readable | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  stream.setEncoding('utf8');
  let rest = '';
  stream.on('data', (chunk: string) => {
    rest += chunk;
    let newline: number;
    while ((newline = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, newline);
      rest = rest.slice(newline + 1);
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  });
  stream.on('end', () => {
    if (rest !== '') onLine(rest);
    rest = '';
  });
  stream.on('error', () => undefined);
}
