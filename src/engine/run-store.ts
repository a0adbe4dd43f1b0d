/**
 * Run records on disk (DESIGN.md, "Run records"): one JSON file per run under
 * `<workspace>/.lrscope/runs/<id>.json`, written atomically — a temporary file in the same
 * folder, then a rename — so a reader never sees half a record, whatever happens to the writer.
 * A run keeps its record on disk as it grows (`RunRecordWriter`); readers show a `running` record
 * whose writer died as crashed.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkRunRecord, RecordError, recordAsSeen, type WriterCheck } from '../core/runs/record-check';
import type { RunKind, RunRecord } from '../core/runs/record';
import { fileProblem } from '../core/file-problem';

/** `<workspace>/.lrscope/runs`. */
export function runsDirFor(workspace: string): string {
  return join(workspace, '.lrscope', 'runs');
}

/** Where the record with this id lives. */
export function runRecordPath(runsDir: string, id: string): string {
  return join(runsDir, `${id}.json`);
}

/**
 * A new run id: sortable by time, readable, unique — e.g.
 * `20261128-181502-123-range-test-3f9a`.
 */
export function newRunId(kind: RunKind, now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-28T18:15:02.123Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
  return `${stamp}-${kind}-${randomBytes(2).toString('hex')}`;
}

/** A new sweep id (the tag its members' records share): `sweep-20261128-181502-3f9a`. */
export function newSweepId(now: Date = new Date()): string {
  return newRunId('range-test', now).replace(/^(\d{8}-\d{6})-\d{3}-range-test-/, 'sweep-$1-');
}

/** One line of a record's tail: JSON with non-finite numbers as null, as in the record. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n';
}

/** The record as JSON: non-finite numbers cannot be JSON and are written as null (read back as NaN). */
export function recordText(record: RunRecord): string {
  return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2) + '\n';
}

/**
 * Writes `record` to `<runsDir>/<record.id>.json` atomically (creating the folder) and returns
 * the path. A folder that cannot be written is an error naming it and what to do.
 */
export function writeRunRecord(runsDir: string, record: RunRecord, text: string = recordText(record)): Promise<string> {
  return writeRecordFile(runRecordPath(runsDir, record.id), record, text);
}

/** `writeRunRecord` to an exact path: a temporary file in the same folder, then a rename. */
export async function writeRecordFile(path: string, record: RunRecord, text: string = recordText(record)): Promise<string> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await makeFolder(dir);
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new Error(`cannot save the run record in ${dir}: ${fileProblem(err, dir)}`, { cause: err });
  }
  return path;
}

/**
 * Creates `dir` and its missing parents, one level at a time (`mkdir({recursive: true})` of Node 20
 * spins forever below /proc). Throws the first failing level's error.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    try {
      const found = await stat(at);
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw err;
      missing.push(at);
    }
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Checks at once that run records can be saved in `runsDir` (creating it, then writing and removing
 * a probe file), so a bad folder is refused before a run starts. Throws an Error naming the folder.
 */
export async function checkRunsFolder(runsDir: string): Promise<void> {
  const probe = join(runsDir, `.write-check.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await makeFolder(runsDir);
    await writeFile(probe, '', 'utf8');
  } catch (err) {
    throw new Error(`run records cannot be saved in ${runsDir}: ${fileProblem(err, runsDir)}`, { cause: err });
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/** Liveness checks of record writers from this process (pid signals, this host's name). */
export function localWriterCheck(now: Date = new Date()): WriterCheck {
  return { now, host: hostname(), isAlive: processAlive };
}

/** Whether process `pid` exists (signal 0 checks without sending anything; EPERM: it exists, not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads and checks one record (every point, epoch and field); a `running` record whose writer
 * is gone reads as `crashed`. Throws with the path and the first bad entry in the message.
 */
export async function readRunRecord(path: string, check: WriterCheck = localWriterCheck()): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the run record ${path}: ${fileProblem(err, path)}`, { cause: err });
  }
  const tail = await readFile(pointsTailPath(path), 'utf8').catch(() => null);
  return parseRunRecord(tail === null ? text : withTail(text, tail), path, check);
}

/**
 * Beside a growing record: the points (and heartbeats) appended since the record's last full rewrite, one JSON
 * object a line, so saving a long run costs what it adds, not what it holds.
 */
export function pointsTailPath(recordPath: string): string {
  return recordPath.replace(/\.json$/, '') + '.points.jsonl';
}

/**
 * The record text with its appended tail merged in: the points after its last step (a tail left over from
 * before the last rewrite repeats steps the record has), and the newest heartbeat. A torn last line (a
 * hard kill mid-write) is dropped.
 */
export function withTail(text: string, tail: string): string {
  let record: { status?: unknown; points?: { step?: unknown }[]; writer?: { heartbeatAt?: unknown } };
  try {
    record = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as typeof record;
  } catch {
    return text; // parseRunRecord names the problem
  }
  if (record.status !== 'running' || !Array.isArray(record.points)) return text;
  const last = record.points.length > 0 ? Number(record.points[record.points.length - 1]!.step) : -1;
  for (const line of tail.split('\n')) {
    if (line.trim() === '') continue;
    let entry: { point?: { step?: unknown }; heartbeatAt?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // torn by a hard kill
    }
    if (entry.point && Number(entry.point.step) > last) record.points.push(entry.point);
    if (typeof entry.heartbeatAt === 'string' && record.writer) record.writer.heartbeatAt = entry.heartbeatAt;
  }
  return JSON.stringify(record);
}

/** `readRunRecord` on text already read (`name` names it in errors). */
export function parseRunRecord(text: string, name: string, check: WriterCheck = localWriterCheck()): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new Error(`${name}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return recordAsSeen(checkRunRecord(value), check);
  } catch (err) {
    if (err instanceof RecordError) throw new Error(`${name}: not a valid LR Scope run record: ${err.message}`);
    throw err;
  }
}

/** What is wrong with `value` as a run record (the first bad entry), or null when it is one. */
export function recordProblem(value: unknown): string | null {
  try {
    checkRunRecord(structuredClone(value));
    return null;
  } catch (err) {
    if (err instanceof RecordError) return err.message;
    throw err;
  }
}

/**
 * Every readable record in `runsDir`, newest first (by `startedAt`). Files that are not run
 * records are skipped; a missing folder gives an empty list.
 */
export async function listRunRecords(runsDir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: RunRecord[] = [];
  const check = localWriterCheck();
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    try {
      records.push(await readRunRecord(join(runsDir, name), check));
    } catch {
      // not ours, or unreadable: skip
    }
  }
  return records.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

/** When a growing record is saved: often enough that a hard kill loses little, rarely enough to cost little. */
export interface RecordSaving {
  /** At most one save per this many ms (default 1000: a SIGKILL loses at most about the last second). */
  minIntervalMs: number;
  /**
   * The share of the run's time saves may take (default 0.05): after a save that took d ms the
   * next waits at least d·(1/share − 1) ms, so a huge record is saved less often, never costing more.
   */
  maxTimeShare: number;
  /** Save at least this often while nothing changes, to refresh the heartbeat (default 10 s). */
  heartbeatMs: number;
}

export const DEFAULT_RECORD_SAVING: RecordSaving = { minIntervalMs: 1000, maxTimeShare: 0.05, heartbeatMs: 10_000 };

/**
 * The record of a run in progress, kept on disk as it grows: `open` writes it (status `running`,
 * with this process as its `writer`), `changed` after each new point saves it when a save is due
 * (atomic rewrites, bounded by `RecordSaving`), a timer refreshes the heartbeat, and `close`
 * writes the final record (without `writer`). Used by every trainer (the TF.js engine, the probe).
 */
export class RunRecordWriter {
  readonly path: string;
  /** Saves made so far and the time they took (ms), for the overhead bench; of them, the appends to the tail. */
  saves = 0;
  savingMs = 0;
  appends = 0;
  appendingMs = 0;
  private dirty = false;
  private nextDue = 0;
  private nextFull = 0;
  /** Points saved so far (in the record file or its tail). */
  private appended = 0;
  private lastSave = 0;
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private warned = false;

  private constructor(
    readonly runsDir: string,
    readonly record: RunRecord,
    private readonly saving: RecordSaving,
    private readonly onSaveError: (message: string) => void,
  ) {
    this.path = runRecordPath(runsDir, record.id);
  }

  /** Writes the first version of `record` (status `running`) and starts the heartbeat. */
  static async open(
    runsDir: string,
    record: RunRecord,
    options: { saving?: Partial<RecordSaving>; onSaveError?: (message: string) => void } = {},
  ): Promise<RunRecordWriter> {
    const writer = new RunRecordWriter(runsDir, record, { ...DEFAULT_RECORD_SAVING, ...options.saving }, options.onSaveError ?? (() => undefined));
    record.writer = { pid: process.pid, host: hostname(), heartbeatAt: new Date().toISOString() };
    await writer.save();
    const tick = Math.min(writer.saving.minIntervalMs, writer.saving.heartbeatMs);
    writer.timer = setInterval(() => writer.tick(), tick);
    writer.timer.unref();
    return writer;
  }

  /** The record changed (a point, an epoch): saved now if a save is due, else by a later call or the timer. */
  changed(): void {
    this.dirty = true;
    if (Date.now() >= this.nextDue) this.saveInBackground();
  }

  /** Stops the periodic saves and writes the final record (its `writer` removed). Returns its path. */
  async close(): Promise<string> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    delete this.record.writer;
    await writeRunRecord(this.runsDir, this.record);
    await unlink(pointsTailPath(this.path)).catch(() => undefined);
    return this.path;
  }

  private tick(): void {
    const now = Date.now();
    if ((this.dirty && now >= this.nextDue) || now - this.lastSave >= this.saving.heartbeatMs) this.saveInBackground();
  }

  private saveInBackground(): void {
    if (this.inFlight || this.closed) return;
    this.inFlight = this.save()
      .catch((err: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.onSaveError(`the run record could not be saved while the run goes (it is saved again at the end): ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  /**
   * A full atomic rewrite when one is due (bounded by `maxTimeShare`), else the new points (and a heartbeat)
   * appended to the record's tail file: either way at most about a second of points is unsaved.
   */
  private async save(): Promise<void> {
    const started = Date.now();
    this.dirty = false;
    const heartbeatAt = new Date(started).toISOString();
    if (this.record.writer) this.record.writer.heartbeatAt = heartbeatAt;
    const full = started >= this.nextFull;
    try {
      if (full) {
        const count = this.record.points.length;
        const text = recordText(this.record); // the record as it is now; points added meanwhile go in the next save
        await writeRunRecord(this.runsDir, this.record, text);
        await unlink(pointsTailPath(this.path)).catch(() => undefined);
        this.appended = count;
      } else {
        const points = this.record.points.slice(this.appended);
        const lines = [...points.map((point) => jsonLine({ point })), jsonLine({ heartbeatAt })].join('');
        await appendFile(pointsTailPath(this.path), lines, 'utf8');
        this.appended += points.length;
      }
    } finally {
      const ended = Date.now();
      const took = ended - started;
      this.saves++;
      this.savingMs += took;
      if (!full) {
        this.appends++;
        this.appendingMs += took;
      }
      this.lastSave = ended;
      this.nextDue = ended + this.saving.minIntervalMs;
      if (full) this.nextFull = ended + Math.max(this.saving.minIntervalMs, took * (1 / this.saving.maxTimeShare - 1));
    }
  }
}

export { RecordError };
