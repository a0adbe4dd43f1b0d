/**
 * The probe's processes: the user's interpreter, or the user's launcher with the probe as its
 * worker (`torchrun … -m lrscope_probe … -- train.py args`), the probe package on PYTHONPATH.
 * Each probed process calls back over the run's link (`link.ts`); `ranks.ts` makes one probe of
 * them. The script's stdout/stderr are handed over line by line, untouched. The command leads its
 * own process group; a kill ends that group and every rank still connected (launchers such as
 * torchrun start their workers in sessions of their own), and a probe still running when this
 * process exits is killed with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { openProbeLink, type ProbeConnection } from './link';
import { Ranks } from './ranks';
import type { ControlMessage, ProbeEvent } from './wire';

const STDERR_TAIL_LINES = 20;
/** After the command exited, how long connections still open may take to deliver their last events. */
const DRAIN_MS = 2_000;

export interface ProbeLaunch {
  python: string;
  /** A launcher's words (`parseLauncher`); the probe's `-m lrscope_probe …` is appended. Absent: `python -m lrscope_probe …`. */
  launcher?: string[];
  probeDir: string;
  seed?: number;
  script: string;
  scriptArgs: string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface ProbeHandlers {
  onEvent(event: ProbeEvent): void;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  /** Something on the link that is not a probe's signed event (forged, stray, or a mismatched probe version). */
  onBadEvent(problem: string): void;
}

export interface ProbeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (ENOENT, EACCES …). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ProbeProcess {
  /** The command that was started (the interpreter, or the launcher's first word). */
  readonly command: string;
  /** Sends one control line to every probed process (ignored once they have gone). */
  send(message: ControlMessage): void;
  /** Kills the command's process group and every probed process still connected. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once the command has exited and the probed processes' last events are in. */
  readonly exited: Promise<ProbeExit>;
  /** The last lines the command wrote to stderr. */
  stderrTail(): string;
}

/** The folder holding `lrscope_probe`: beside the bundle (dist/python) or at the repository's root. */
export function defaultProbeDir(): string {
  const candidates = [join(__dirname, 'python'), join(__dirname, '..', 'python'), join(__dirname, '..', '..', '..', 'python')];
  return candidates.find((dir) => existsSync(join(dir, 'lrscope_probe', '__main__.py'))) ?? candidates[0]!;
}

/** Kills of the probes still running, for this process' own exit. */
const live = new Set<() => void>();
let exitHookInstalled = false;

/** Starts the probe (under the launcher, when given) and wires its link and output to `handlers`. */
export async function startProbeProcess(launch: ProbeLaunch, handlers: ProbeHandlers): Promise<ProbeProcess> {
  const args = ['-m', 'lrscope_probe'];
  if (launch.seed !== undefined) args.push('--seed', String(launch.seed));
  args.push('--', launch.script, ...launch.scriptArgs);
  const [command, ...launcherArgs] = launch.launcher ?? [launch.python];

  let ranks: Ranks;
  const link = await openProbeLink({
    onConnect: (connection) => ranks.connect(connection),
    onEvent: (_connection, event) => ranks.event(_connection, event),
    onClose: () => ranks.closed(),
    onBadEvent: handlers.onBadEvent,
  });
  ranks = new Ranks(launch.launcher ? null : 1, { onEvent: handlers.onEvent, onBadEvent: handlers.onBadEvent, onAllConnected: () => link.forgetKey() });

  const child = spawn(command!, [...launcherArgs, ...args], {
    cwd: launch.cwd,
    env: { ...probeEnv(launch), ...link.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const kill = (signal: NodeJS.Signals): void => {
    killGroup(child, signal);
    for (const connection of ranks.open()) killRank(connection, signal, child.pid);
  };
  const killAtExit = (): void => kill('SIGKILL');
  live.add(killAtExit);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const k of live) k();
    });
  }

  const stderrLines: string[] = [];
  const exited = new Promise<ProbeExit>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    const done = (exit: ProbeExit): void => {
      live.delete(killAtExit);
      link.close();
      resolve(exit);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
      if (child.pid === undefined) done({ code: null, signal: null, spawnError: err });
    });
    child.once('close', (code, signal) => {
      const exit = { code, signal, ...(spawnError ? { spawnError } : {}) };
      const drained = (): boolean => ranks.open().length === 0;
      if (drained()) return done(exit);
      const started = Date.now();
      const poll = setInterval(() => {
        if (!drained() && Date.now() - started < DRAIN_MS) return;
        clearInterval(poll);
        done(exit);
      }, 20);
    });
  });

  eachLine(child.stdout, (line) => handlers.onOutput('stdout', line));
  eachLine(child.stderr, (line) => {
    stderrLines.push(line);
    if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
    handlers.onOutput('stderr', line);
  });

  return {
    command: command!,
    send: (message) => ranks.send(message),
    kill(signal = 'SIGKILL') {
      kill(signal);
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
    // (Not PYTHONPYCACHEPREFIX: it makes Python pass over the byte code installed with torch and
    // compile torch's sources again — about 2 s more at every start, measured.)
    PYTHONUNBUFFERED: base.PYTHONUNBUFFERED ?? '1',
    PYTHONDONTWRITEBYTECODE: base.PYTHONDONTWRITEBYTECODE ?? '1',
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

/** A rank still connected (so still alive: its pid is its own), with its group when it leads one. */
function killRank(connection: ProbeConnection, signal: NodeJS.Signals, commandPid: number | undefined): void {
  if (connection.pid === commandPid) return; // the command itself: its group is killed already
  for (const target of process.platform !== 'win32' ? [-connection.pid, connection.pid] : [connection.pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // not a group leader, or gone already
    }
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
