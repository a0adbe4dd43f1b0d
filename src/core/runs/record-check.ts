/**
 * Reading a run record from untrusted JSON (DESIGN.md, "Run records": loaders validate every
 * point; a record whose writer died shows as crashed). Pure: the caller reads the file and says
 * whether a process is alive.
 */
import { validateSpec } from '../schedules/validate';
import { RUN_RECORD_VERSION, type RunRecord, type RunWriter } from './record';
import { isRecommendChoice, RECOMMEND_CHOICES } from '../analysis/recommend-rule';

/** A `running` record whose heartbeat is older than this is shown as crashed when its writer cannot be asked (another host). */
export const STALE_HEARTBEAT_MS = 2 * 60_000;
/** Even on this host, a heartbeat older than this means the writer is gone (its pid may have been reused). */
export const DEAD_HEARTBEAT_MS = 30 * 60_000;

/** A record that cannot be read: `entry` names the first bad field, e.g. `points[12].lr`. */
export class RecordError extends Error {
  override name = 'RecordError';
  constructor(
    readonly entry: string,
    readonly problem: string,
  ) {
    super(`${entry} ${problem}`);
  }
}

const STATUSES = ['running', 'completed', 'diverged', 'cancelled', 'crashed', 'failed'] as const;
const BACKENDS = ['tensorflow', 'wasm', 'cpu', 'pytorch', 'log'] as const;
const METHODS = ['minimum', 'steep', 'valley', 'slide'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObject(v)) return 'an object';
  return String(v);
}

function bad(entry: string, rule: string, got: unknown): never {
  throw new RecordError(entry, `${rule}, got ${show(got)}`);
}

/** A number, or null (how the writer stores NaN and ±Infinity); read back as NaN. */
function numberOrNull(entry: string, v: unknown): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') bad(entry, 'must be a number (or null for NaN)', v);
  return v;
}

function string(entry: string, v: unknown): string {
  if (typeof v !== 'string') bad(entry, 'must be a string', v);
  return v;
}

function checkPoints(value: unknown): void {
  if (!Array.isArray(value)) bad('points', 'must be an array', value);
  for (let i = 0; i < value.length; i++) {
    const p: unknown = value[i];
    const at = `points[${i}]`;
    if (!isObject(p)) bad(at, 'must be an object {step, lr, loss}', p);
    if (typeof p.step !== 'number' || !Number.isInteger(p.step) || p.step < 0) bad(`${at}.step`, 'must be an integer ≥ 0', p.step);
    if (typeof p.lr !== 'number' || !Number.isFinite(p.lr) || p.lr <= 0) bad(`${at}.lr`, 'must be a finite number > 0', p.lr);
    p.loss = numberOrNull(`${at}.loss`, p.loss);
    if (p.smoothed !== undefined) p.smoothed = numberOrNull(`${at}.smoothed`, p.smoothed);
    if (p.momentum !== undefined) p.momentum = numberOrNull(`${at}.momentum`, p.momentum);
  }
}

function checkEpochs(value: unknown): void {
  if (!Array.isArray(value)) bad('epochs', 'must be an array', value);
  for (let i = 0; i < value.length; i++) {
    const e: unknown = value[i];
    const at = `epochs[${i}]`;
    if (!isObject(e)) bad(at, 'must be an object {epoch, loss, metrics}', e);
    if (typeof e.epoch !== 'number' || !Number.isInteger(e.epoch) || e.epoch < 1) bad(`${at}.epoch`, 'must be an integer ≥ 1', e.epoch);
    e.loss = numberOrNull(`${at}.loss`, e.loss);
    if (e.valLoss !== undefined) e.valLoss = numberOrNull(`${at}.valLoss`, e.valLoss);
    if (e.metrics === undefined) e.metrics = {};
    if (!isObject(e.metrics)) bad(`${at}.metrics`, 'must be an object of numbers', e.metrics);
    for (const [name, m] of Object.entries(e.metrics)) e.metrics[name] = numberOrNull(`${at}.metrics.${name}`, m);
  }
}

function checkStrings(entry: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) bad(entry, 'must be an array of strings', value);
  value.forEach((s: unknown, i) => string(`${entry}[${i}]`, s));
}

function checkWriter(value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) bad('writer', 'must be an object {pid, host, heartbeatAt}', value);
  if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) bad('writer.pid', 'must be a process id', value.pid);
  string('writer.host', value.host);
  if (Number.isNaN(Date.parse(string('writer.heartbeatAt', value.heartbeatAt)))) bad('writer.heartbeatAt', 'must be an ISO date', value.heartbeatAt);
}

function checkAnalysis(r: Record<string, unknown>): void {
  if (r.suggestions !== undefined) {
    if (!isObject(r.suggestions)) bad('suggestions', 'must be an object', r.suggestions);
    for (const m of METHODS) {
      const v = r.suggestions[m];
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) bad(`suggestions.${m}`, 'must be a learning rate > 0 or null', v);
    }
  }
  if (r.recommendation !== undefined) {
    const rec = r.recommendation;
    if (!isObject(rec)) bad('recommendation', 'must be an object', rec);
    if (!(METHODS as readonly unknown[]).includes(rec.method)) bad('recommendation.method', `must be one of ${METHODS.join(', ')}`, rec.method);
    if (rec.rule !== undefined && !isRecommendChoice(rec.rule)) bad('recommendation.rule', `must be one of ${RECOMMEND_CHOICES.join(', ')}`, rec.rule);
    if (rec.lr !== null && !(typeof rec.lr === 'number' && Number.isFinite(rec.lr) && rec.lr > 0)) bad('recommendation.lr', 'must be a learning rate > 0 or null', rec.lr);
    if (rec.spreadDecades !== null && typeof rec.spreadDecades !== 'number') bad('recommendation.spreadDecades', 'must be a number or null', rec.spreadDecades);
    checkStrings('recommendation.flags', rec.flags ?? []);
    string('recommendation.message', rec.message);
  }
}

/**
 * Checks every field the readers use — each point and epoch, the schedule (the core's
 * `validateSpec`), the analysis — and returns the value as a `RunRecord` (nulls in numeric
 * fields read back as NaN). Throws `RecordError` naming the first bad entry.
 */
export function checkRunRecord(value: unknown): RunRecord {
  if (!isObject(value)) bad('record', 'must be a JSON object', value);
  const r = value;
  if (r.version !== RUN_RECORD_VERSION) bad('version', `must be ${RUN_RECORD_VERSION} (this LR Scope reads version ${RUN_RECORD_VERSION})`, r.version);
  if (typeof r.id !== 'string' || r.id === '' || /[\\/]/.test(r.id)) bad('id', 'must be a run id (no slashes)', r.id);
  if (r.kind !== 'range-test' && r.kind !== 'train') bad('kind', 'must be "range-test" or "train"', r.kind);
  if (!(STATUSES as readonly unknown[]).includes(r.status)) bad('status', `must be one of ${STATUSES.join(', ')}`, r.status);
  if (r.statusDetail !== undefined) string('statusDetail', r.statusDetail);
  if (Number.isNaN(Date.parse(string('startedAt', r.startedAt)))) bad('startedAt', 'must be an ISO date', r.startedAt);
  if (r.endedAt !== undefined && Number.isNaN(Date.parse(string('endedAt', r.endedAt)))) bad('endedAt', 'must be an ISO date', r.endedAt);
  if (!isObject(r.experiment)) bad('experiment', 'must be an object {path, sha256}', r.experiment);
  string('experiment.path', r.experiment.path);
  if (r.experiment.sha256 !== undefined) string('experiment.sha256', r.experiment.sha256);
  if (r.experiment.label !== undefined) string('experiment.label', r.experiment.label);
  if (!isObject(r.environment)) bad('environment', 'must be an object', r.environment);
  if (!(BACKENDS as readonly unknown[]).includes(r.environment.backend)) bad('environment.backend', `must be one of ${BACKENDS.join(', ')}`, r.environment.backend);
  try {
    validateSpec(r.schedule);
  } catch (err) {
    bad('schedule', `is not a valid schedule spec (${err instanceof Error ? err.message : String(err)})`, r.schedule);
  }
  if (!isObject(r.options)) bad('options', 'must be an object', r.options);
  checkPoints(r.points);
  checkEpochs(r.epochs);
  checkAnalysis(r);
  checkStrings('notes', r.notes);
  checkWriter(r.writer);
  return r as unknown as RunRecord;
}

/** What a reader can learn about a record's writer. */
export interface WriterCheck {
  now: Date;
  /** This machine's host name. */
  host: string;
  /** Whether process `pid` on this host is alive. */
  isAlive(pid: number): boolean;
}

/**
 * Whether the writer of a `running` record is gone: its process is dead (same host), or its
 * heartbeat is too old (another host, or a pid that may have been reused).
 */
export function writerGone(writer: RunWriter | undefined, check: WriterCheck): boolean {
  if (!writer) return true;
  const age = check.now.getTime() - Date.parse(writer.heartbeatAt);
  if (writer.host === check.host) return !check.isAlive(writer.pid) || age > DEAD_HEARTBEAT_MS;
  return age > STALE_HEARTBEAT_MS;
}

/**
 * The record as readers show it: a `running` record whose writer is gone reads as `crashed`
 * (with when it was last heard of). Other records are returned as they are.
 */
export function recordAsSeen(record: RunRecord, check: WriterCheck): RunRecord {
  if (record.status !== 'running' || !writerGone(record.writer, check)) return record;
  const last = record.writer ? `process ${record.writer.pid} on ${record.writer.host}, last heard of at ${record.writer.heartbeatAt}` : 'a writer that left no heartbeat';
  return {
    ...record,
    status: 'crashed',
    statusDetail: `the run stopped without closing its record (${last}); ${record.points.length} steps were saved`,
  };
}
