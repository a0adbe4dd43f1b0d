/**
 * Where probed processes call in: a TCP server on 127.0.0.1 (a launcher passes environment
 * variables to its workers, never file descriptors), the run's secret key in a file only this
 * user can read, and one authenticated connection per probed process. Each connection gets a
 * nonce; every event frame it sends must carry the next sequence number and the signature of
 * key, nonce, number and payload, so bytes the script writes anywhere (that socket included) are
 * never taken for an event. The key file is deleted as soon as every rank has connected — before
 * any script runs (the probe waits for the go-ahead).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeControl, openFrame, parseProbeFrame, type ControlMessage, type LinkMessage, type ProbeEvent } from './wire';

/** The environment variables that tell the probe where to call and where the key lies (`channel.py`). */
export const CONNECT_VARIABLE = 'LRSCOPE_PROBE_CONNECT';
export const KEY_VARIABLE = 'LRSCOPE_PROBE_KEY';

/** Lines that fail their signature before a connection is closed as not a probe's. */
const MAX_BAD_LINES_BEFORE_CONNECT = 4;

/** One probed process, once its first frame (`connect`) checked out. */
export interface ProbeConnection {
  readonly pid: number;
  readonly rank: number;
  readonly worldSize: number;
  /** False once the connection has ended (the process exited or closed it). */
  readonly open: boolean;
  send(message: ControlMessage | LinkMessage): void;
  close(): void;
}

export interface LinkHandlers {
  /** A connection authenticated itself with its `connect` frame. */
  onConnect(connection: ProbeConnection, event: Extract<ProbeEvent, { event: 'connect' }>): void;
  onEvent(connection: ProbeConnection, event: ProbeEvent): void;
  onClose(connection: ProbeConnection): void;
  /** Something arrived that is not a probe's signed event (forged, stray, or a version mismatch). */
  onBadEvent(problem: string): void;
}

export interface ProbeLink {
  /** The variables to add to the probed command's environment. */
  readonly env: Record<string, string>;
  /** Deletes the key file (every rank has it). */
  forgetKey(): void;
  /** Stops listening, ends every connection, removes the key's folder. */
  close(): void;
}

/** Opens the server and writes the key; resolves once it listens. */
export async function openProbeLink(handlers: LinkHandlers): Promise<ProbeLink> {
  const key = Buffer.from(randomBytes(32).toString('hex'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-probe-'));
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, key, { mode: 0o600 });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, key, handlers);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  return {
    env: { [CONNECT_VARIABLE]: `127.0.0.1:${port}`, [KEY_VARIABLE]: keyFile },
    forgetKey: () => rmSync(keyFile, { force: true }),
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function serveConnection(socket: Socket, key: Buffer, handlers: LinkHandlers): void {
  const nonce = randomBytes(16).toString('hex');
  let seq = 0;
  let bad = 0;
  let connection: (ProbeConnection & { ended: boolean }) | null = null;
  socket.setNoDelay(true);
  socket.on('error', () => undefined); // the process went away; its close tells the rest
  socket.write(encodeControl({ nonce }));

  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    rest += chunk;
    let newline: number;
    while ((newline = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, newline);
      rest = rest.slice(newline + 1);
      if (line.trim() !== '') take(line);
    }
  });
  socket.once('close', () => {
    if (!connection) return;
    connection.ended = true;
    handlers.onClose(connection);
  });

  function take(line: string): void {
    const payload = openFrame(key, nonce, seq, line);
    if (payload === null) {
      handlers.onBadEvent(`a line that is not a signed probe event was ignored: ${line.slice(0, 80).replace(/[\x00-\x1f]/g, '?')}`);
      if (!connection && ++bad >= MAX_BAD_LINES_BEFORE_CONNECT) socket.destroy();
      return;
    }
    seq++;
    let events: ProbeEvent[];
    try {
      events = parseProbeFrame(payload);
    } catch (err) {
      handlers.onBadEvent(err instanceof Error ? err.message : String(err));
      return;
    }
    for (const event of events) takeEvent(event);
  }

  function takeEvent(event: ProbeEvent): void {
    if (socket.destroyed) return;
    if (!connection) {
      if (event.event !== 'connect') {
        handlers.onBadEvent(`the first event of a connection is ${event.event}, not connect`);
        socket.destroy();
        return;
      }
      connection = {
        pid: event.pid,
        rank: event.rank,
        worldSize: event.worldSize,
        ended: false,
        get open() {
          return !this.ended && !socket.destroyed;
        },
        send(message) {
          if (socket.destroyed || !socket.writable) return;
          if (!socket.writableCorked) {
            socket.cork(); // the lines of one tick (a batch of judged steps) leave in one write
            process.nextTick(() => socket.uncork());
          }
          socket.write(encodeControl(message));
        },
        close: () => socket.destroy(),
      };
      handlers.onConnect(connection, event);
      return;
    }
    handlers.onEvent(connection, event);
  }
}
