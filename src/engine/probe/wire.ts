/**
 * The probe's line protocol (python/README.md): JSON-line events from Python on one file
 * descriptor, JSON-line control messages to Python on another — one control line per optimizer
 * step, read by the probe right before the step.
 */
import type { ScriptLocation } from './errors';

/** Version of the protocol this side speaks (`PROTOCOL` in `lrscope_probe/__init__.py`). */
export const PROBE_PROTOCOL = 1;

export type ProbeEvent =
  | { event: 'hello'; protocol: number; python: string; torch: string; threads: number; executable: string }
  /**
   * One optimizer step. `loss` is null when no scalar loss was back-propagated before it:
   * `lossProblem` says why (`shape`: the non-scalar tensor's).
   */
  | { event: 'step'; step: number; lr: number; loss: number | null; lossProblem?: LossProblem; momentum?: number }
  /** GradScaler skipped an update (inf/NaN gradients); it is not a step. */
  | { event: 'skip'; step: number }
  | { event: 'note'; text: string }
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

/** What LR Scope tells the probe before each optimizer step. */
export type ControlMessage = { lr: number; momentum?: number } | { stop: string };

export function encodeControl(message: ControlMessage): string {
  return JSON.stringify(message) + '\n';
}

/** Parses one event line; throws an Error naming the line when it is not a probe event. */
export function parseProbeEvent(line: string): ProbeEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`not JSON: ${line.slice(0, 200)}`);
  }
  if (value === null || typeof value !== 'object') throw new Error(`not an event: ${line.slice(0, 200)}`);
  const v = value as Record<string, unknown>;
  const bad = (field: string): never => {
    throw new Error(`event ${String(v.event)}: bad ${field} in ${line.slice(0, 200)}`);
  };
  const num = (field: string): number => (typeof v[field] === 'number' ? (v[field] as number) : bad(field));
  const str = (field: string): string => (typeof v[field] === 'string' ? (v[field] as string) : bad(field));
  switch (v.event) {
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
