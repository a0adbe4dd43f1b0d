/**
 * The engine child process seen from its host — the extension host or the CLI, which share this
 * folder (`src/host/`): `child_process.fork` of `dist/engine.js`, typed JSON-RPC over the IPC
 * channel (never stdout), stdout/stderr handed to a callback as log text. No vscode here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import {
  cancelNotification,
  describeRequest,
  epochNotification,
  logNotification,
  pointNotification,
  startedNotification,
  startRequest,
  type DescribeParams,
  type ExperimentShape,
  type LogParams,
  type StartedParams,
  type StartParams,
} from '../protocol/engine';
import type { EpochPoint, RunRecord, StepPoint } from '../core/runs/record';

/** How the child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Typed engine notifications. */
export interface EngineEvents {
  started(params: StartedParams): void;
  point(point: StepPoint): void;
  epoch(epoch: EpochPoint): void;
  log(line: LogParams): void;
}

/** One engine process, running at most one `start` request. */
export interface EngineChild {
  /** Sends `start`; resolves with the final record or rejects with the engine's ResponseError. */
  start(params: StartParams, events: EngineEvents): Promise<RunRecord>;
  /** Sends `describe`: the experiment's epochs, batch size and batches per epoch (rejects with the engine's ResponseError). */
  describe(params: DescribeParams): Promise<ExperimentShape>;
  /** Asks the engine to stop after the current batch. */
  cancel(reason?: string): void;
  /**
   * Resolves once the process has exited, its output is closed and every message it sent before
   * has been dispatched (so the last points reach `events` before this settles).
   */
  readonly closed: Promise<ChildExit>;
  /**
   * Resolves once the process has exited (its output may still be draining). After `disconnect`
   * wait on this one: Node emits no `close` for a child whose channel the parent ended.
   */
  readonly exited: Promise<ChildExit>;
  /** Ends the IPC channel; the engine exits by itself when its parent disconnects. */
  disconnect(): void;
  /** Kills the process (SIGKILL: a stuck tfjs kernel ignores SIGTERM). */
  kill(): void;
}

export type OutputStream = 'stdout' | 'stderr';

/** Starts an engine child; `onOutput` receives its stdout/stderr text as it comes. */
export type EngineLauncher = (onOutput: (text: string, stream: OutputStream) => void) => EngineChild;

export interface ForkOptions {
  /** Absolute path of `dist/engine.js` (or a stand-in in tests). */
  enginePath: string;
  /** `lrScope.nodePath` when set; else the current runtime with ELECTRON_RUN_AS_NODE=1. */
  nodePath?: string;
  cwd?: string;
  /** Extra environment for the child (on top of the host's). */
  env?: Record<string, string>;
  /** Node flags for the child; none by default (never the host's own inspector flags). */
  execArgv?: string[];
}

/** The `fork` options for an engine child; exported for tests. */
export function forkSettings(options: ForkOptions, hostExecPath: string = process.execPath): {
  execPath: string;
  env: NodeJS.ProcessEnv;
} {
  const execPath = options.nodePath && options.nodePath.trim() !== '' ? options.nodePath : hostExecPath;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (execPath === hostExecPath) env.ELECTRON_RUN_AS_NODE = '1';
  else delete env.ELECTRON_RUN_AS_NODE;
  return { execPath, env };
}

/** A launcher that forks `options.enginePath`. */
export function forkLauncher(options: ForkOptions): EngineLauncher {
  return (onOutput) => {
    const { execPath, env } = forkSettings(options);
    const child = fork(options.enginePath, [], {
      execPath,
      execArgv: options.execArgv ?? [],
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    return new ForkedEngine(child, onOutput);
  };
}

/**
 * vscode-jsonrpc's connection, loaded with the first engine child rather than at import: the
 * extension host imports this module at activation, and the connection (~50 KB) is for runs only.
 * The extension bundle leaves the package out (dist/node_modules holds it), so its message classes,
 * loaded at activation by src/protocol/engine.ts, are the ones the connection uses.
 */
function jsonRpc(): typeof import('vscode-jsonrpc/node') {
  return require('vscode-jsonrpc/node') as typeof import('vscode-jsonrpc/node');
}

const NOTIFICATIONS = new Set<string>([
  startedNotification.method,
  pointNotification.method,
  epochNotification.method,
  logNotification.method,
]);

class ForkedEngine implements EngineChild {
  readonly closed: Promise<ChildExit>;
  readonly exited: Promise<ChildExit>;
  private readonly connection: MessageConnection;
  private events: EngineEvents | undefined;
  /** Raw messages seen on the channel vs. dispatched by the connection (it queues them). */
  private notificationsSeen = 0;
  private notificationsDispatched = 0;
  private responseSeen = false;
  private responseSettled = false;
  private disposed = false;

  constructor(private readonly child: ChildProcess, onOutput: (text: string, stream: OutputStream) => void) {
    child.stdout?.setEncoding('utf8').on('data', (t: string) => onOutput(t, 'stdout'));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => onOutput(t, 'stderr'));
    child.on('message', (message: unknown) => this.countRaw(message));
    const { createMessageConnection, IPCMessageReader, IPCMessageWriter } = jsonRpc();
    this.connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    this.connection.onNotification((method, params) => {
      this.notificationsDispatched++;
      this.dispatch(method, params);
    });
    this.connection.onError(() => undefined); // a write to a dead child: the exit path reports it
    this.connection.listen();
    const exited = new Promise<ChildExit>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal }));
      child.on('error', (err) => {
        onOutput(`${err.message}\n`, 'stderr');
        resolve({ code: null, signal: null });
      });
    });
    this.exited = new Promise<ChildExit>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      void exited.then(resolve);
    });
    this.closed = exited.then(async (exit) => {
      await this.drain();
      this.dispose();
      return exit;
    });
  }

  start(params: StartParams, events: EngineEvents): Promise<RunRecord> {
    this.events = events;
    const response = this.connection.sendRequest(startRequest, params);
    return response.finally(() => {
      this.responseSettled = true;
    });
  }

  describe(params: DescribeParams): Promise<ExperimentShape> {
    return this.connection.sendRequest(describeRequest, params).finally(() => {
      this.responseSettled = true;
    });
  }

  cancel(reason?: string): void {
    if (this.disposed || !this.child.connected) return;
    void this.connection.sendNotification(cancelNotification, reason === undefined ? {} : { reason }).catch(() => undefined);
  }

  disconnect(): void {
    if (this.child.connected) this.child.disconnect();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private countRaw(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { method?: unknown; id?: unknown };
    if (typeof m.method === 'string' && m.id === undefined && NOTIFICATIONS.has(m.method)) this.notificationsSeen++;
    else if (m.method === undefined && m.id !== undefined) this.responseSeen = true;
  }

  private dispatch(method: string, params: unknown): void {
    const events = this.events;
    if (!events) return;
    switch (method) {
      case startedNotification.method:
        return events.started(params as StartedParams);
      case pointNotification.method:
        return events.point(params as StepPoint);
      case epochNotification.method:
        return events.epoch(params as EpochPoint);
      case logNotification.method:
        return events.log(params as LogParams);
    }
  }

  /** Lets the connection's queue hand over what the child sent before it went away. */
  private async drain(): Promise<void> {
    for (let turn = 0; turn < 100_000; turn++) {
      const pending = this.notificationsDispatched < this.notificationsSeen || (this.responseSeen && !this.responseSettled);
      if (!pending) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.connection.dispose();
  }
}
