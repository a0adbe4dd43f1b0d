/**
 * The probe's line protocol (python/README.md), over one loopback TCP connection per probed
 * process: signed event frames from Python (one per event, one per batch of steps), JSON-line
 * control messages to Python — one control line per optimizer step, sent ahead of the step.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ScriptLocation } from './errors';

/** Version of the protocol this side speaks (`PROTOCOL` in `lrscope_probe/__init__.py`). */
export const PROBE_PROTOCOL = 3;

/** Starts every event frame (`lrscope_probe/channel.py`'s FRAME_MARK). */
const FRAME_MARK = '\x1e';
const MAC_CHARS = 32;

export type ProbeEvent =
  /** The first frame of a connection: which process, and where it stands in a launcher's job. */
  | { event: 'connect'; pid: number; rank: number; worldSize: number; localRank: number }
  /** `worldSize`: set by LR Scope on the merged hello of several ranks. */
  | { event: 'hello'; protocol: number; python: string; torch: string; threads: number; executable: string; worldSize?: number }
  /**
   * One optimizer step. `loss` is null when no scalar loss was back-propagated before it:
   * `lossProblem` says why (`shape`: the non-scalar tensor's).
   */
  | { event: 'step'; step: number; lr: number; loss: number | null; lossProblem?: LossProblem; momentum?: number }
  /** GradScaler skipped an update (inf/NaN gradients); it is not a step. */
  | { event: 'skip'; step: number }
  | { event: 'note'; text: string }
  /** The script started a process of its own (multiprocessing); `started`: how many so far. */
  | { event: 'processes'; started: number }
  /** A checkpoint write that was not done (once per path). */
  | { event: 'suppressed'; writer: string; path: string }
  /** The script ended by itself (`script-ended`) or because it was told to stop (`stopped`). */
  | { event: 'stop'; reason: 'stopped' | 'script-ended'; detail?: string; steps: number }
  | {
      event: 'error';
      /** `no-torch`: torch cannot be imported; `script`: the script raised; `exit`: it called sys.exit(non-zero). */
      kind: 'no-torch' | 'script' | 'exit';
      type: string;
      message: string;
      steps?: number;
      where?: ScriptLocation | null;
      traceback?: string;
      executable?: string;
    };

export type LossProblem = { kind: 'no-backward' } | { kind: 'non-scalar'; shape: number[] };

/**
 * What LR Scope tells the probe before each optimizer step. A stop with `at` (several ranks) is
 * obeyed right before step `at`, so that every rank stops at the same step.
 */
export type ControlMessage = { lr: number; momentum?: number } | { stop: string; at?: number };

/** What LR Scope tells a connection before any step: its nonce first, the go-ahead once every rank is there. */
export type LinkMessage = { nonce: string } | { go: true };

export function encodeControl(message: ControlMessage | LinkMessage): string {
  return JSON.stringify(message) + '\n';
}

/** A frame's signature: HMAC-SHA256 over the connection's nonce, the sequence number and the payload. */
export function signFrame(key: Buffer, nonce: string, seq: number, payload: string): string {
  return createHmac('sha256', key).update(`${nonce}\n${seq}\n${payload}`, 'utf8').digest('hex').slice(0, MAC_CHARS);
}

/** `\x1e<seq> <mac> <json>`, as the probe writes it (for tests and tools). */
export function encodeFrame(key: Buffer, nonce: string, seq: number, payload: string): string {
  return `${FRAME_MARK}${seq} ${signFrame(key, nonce, seq, payload)} ${payload}\n`;
}

/**
 * The payload of a frame line when it is signed with `key` for this connection's `nonce` and is
 * the next one (`seq`); null otherwise. Bytes before the frame's mark (stray writes on the same
 * connection) are skipped.
 */
export function openFrame(key: Buffer, nonce: string, seq: number, line: string): string | null {
  const at = line.lastIndexOf(FRAME_MARK);
  if (at < 0) return null;
  const frame = line.slice(at + 1);
  const first = frame.indexOf(' ');
  const second = frame.indexOf(' ', first + 1);
  if (first < 0 || second < 0 || frame.slice(0, first) !== String(seq)) return null;
  const mac = Buffer.from(frame.slice(first + 1, second), 'utf8');
  const payload = frame.slice(second + 1);
  const expected = Buffer.from(signFrame(key, nonce, seq, payload), 'utf8');
  return mac.length === expected.length && timingSafeEqual(mac, expected) ? payload : null;
}

/**
 * Parses one frame's payload into its events: one event, or the step events of a `steps` batch
 * (`{"event": "steps", "steps": [[step, lr, loss, momentum?], …]}`, in order). Throws an Error naming
 * the payload when it is not a probe's.
 */
export function parseProbeFrame(line: string): ProbeEvent[] {
  const value = parseJson(line);
  if (value.event !== 'steps') return [eventOf(value, line)];
  if (!Array.isArray(value.steps)) throw new Error(`event steps: bad steps in ${line.slice(0, 200)}`);
  return value.steps.map((row: unknown) => {
    const [step, lr, loss, momentum] = Array.isArray(row) ? (row as unknown[]) : [];
    const event = { event: 'step', step, lr, loss, ...(momentum === undefined ? {} : { momentum }) };
    if (!Array.isArray(row) || row.length < 3 || row.length > 4 || loss === null) throw new Error(`event steps: bad row ${JSON.stringify(row)?.slice(0, 200)}`);
    return eventOf(event, line);
  });
}

/** Parses one event line; throws an Error naming the line when it is not a probe event. */
export function parseProbeEvent(line: string): ProbeEvent {
  return eventOf(parseJson(line), line);
}

function parseJson(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`not JSON: ${line.slice(0, 200)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not an event: ${line.slice(0, 200)}`);
  return value as Record<string, unknown>;
}

function eventOf(v: Record<string, unknown>, line: string): ProbeEvent {
  const bad = (field: string): never => {
    throw new Error(`event ${String(v.event)}: bad ${field} in ${line.slice(0, 200)}`);
  };
  const num = (field: string): number => (typeof v[field] === 'number' ? (v[field] as number) : bad(field));
  const str = (field: string): string => (typeof v[field] === 'string' ? (v[field] as string) : bad(field));
  switch (v.event) {
    case 'connect':
      return { event: 'connect', pid: num('pid'), rank: num('rank'), worldSize: num('worldSize'), localRank: num('localRank') };
    case 'processes':
      return { event: 'processes', started: num('started') };
    case 'hello':
      return { event: 'hello', protocol: num('protocol'), python: str('python'), torch: str('torch'), threads: num('threads'), executable: str('executable') };
    case 'step': {
      const event: ProbeEvent = { event: 'step', step: num('step'), lr: num('lr'), loss: wireNumber(v.loss) };
      if (v.loss !== null && event.loss === null) bad('loss');
      if (v.lossProblem === 'no-backward') event.lossProblem = { kind: 'no-backward' };
      if (v.lossProblem === 'non-scalar') {
        const shape = Array.isArray(v.shape) && v.shape.every((n) => typeof n === 'number') ? (v.shape as number[]) : bad('shape');
        event.lossProblem = { kind: 'non-scalar', shape };
      }
      if (typeof v.momentum === 'number') event.momentum = v.momentum;
      return event;
    }
    case 'skip':
      return { event: 'skip', step: num('step') };
    case 'note':
      return { event: 'note', text: str('text') };
    case 'suppressed':
      return { event: 'suppressed', writer: str('writer'), path: str('path') };
    case 'stop': {
      const reason = v.reason === 'stopped' || v.reason === 'script-ended' ? v.reason : bad('reason');
      return { event: 'stop', reason, steps: num('steps'), ...(typeof v.detail === 'string' ? { detail: v.detail } : {}) };
    }
    case 'error': {
      const kind = v.kind === 'no-torch' || v.kind === 'script' || v.kind === 'exit' ? v.kind : bad('kind');
      return {
        event: 'error',
        kind,
        type: str('type'),
        message: str('message'),
        ...(typeof v.steps === 'number' ? { steps: v.steps } : {}),
        ...(isLocation(v.where) ? { where: v.where } : {}),
        ...(typeof v.traceback === 'string' ? { traceback: v.traceback } : {}),
        ...(typeof v.executable === 'string' ? { executable: v.executable } : {}),
      };
    }
    default:
      throw new Error(`unknown event: ${line.slice(0, 200)}`);
  }
}

/** A number from the wire: JSON numbers, or the strings Python uses for non-finite floats; null otherwise. */
function wireNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return null;
}

function isLocation(value: unknown): value is ScriptLocation {
  if (value === null || typeof value !== 'object') return false;
  const w = value as Record<string, unknown>;
  return typeof w.file === 'string' && typeof w.line === 'number' && typeof w.function === 'string' && typeof w.code === 'string';
}
