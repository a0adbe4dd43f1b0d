/**
 * Run records on disk, as the extension host sees them: atomic writes (the host writes the partial
 * record of a crashed run itself, since the engine is gone), reading and listing for the runs view.
 * Node `fs` only — no vscode — so it is testable in plain node. The engine has its own store; both
 * follow DESIGN.md "Run records" (one `<id>.json` per run under the runs folder).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RUN_RECORD_VERSION, type RunRecord } from '../../core/runs/record';

/**
 * Writes `record` to `path` atomically: a temp file in the same folder, then a rename over the
 * target, so a reader never sees half a record. Creates the folder when needed.
 */
export async function writeRecordAtomic(path: string, record: RunRecord): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // Non-finite numbers cannot be JSON: written as null, as the engine does.
    const text = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
    await fs.writeFile(temp, text + '\n', 'utf8');
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** A record file that could be read, or why it could not. */
export type RecordRead =
  | { ok: true; path: string; record: RunRecord }
  | { ok: false; path: string; error: string };

/**
 * True when `value` has the shape of a run record this version understands (the fields the UI
 * relies on; extra fields are allowed).
 */
export function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof RunRecord, unknown>>;
  return (
    r.version === RUN_RECORD_VERSION &&
    typeof r.id === 'string' &&
    (r.kind === 'range-test' || r.kind === 'train') &&
    typeof r.status === 'string' &&
    typeof r.startedAt === 'string' &&
    typeof r.experiment === 'object' &&
    r.experiment !== null &&
    typeof (r.experiment as { path?: unknown }).path === 'string' &&
    typeof r.environment === 'object' &&
    r.environment !== null &&
    typeof r.schedule === 'object' &&
    r.schedule !== null &&
    Array.isArray(r.points) &&
    Array.isArray(r.epochs)
  );
}

/** Reads and validates one record file. Never throws. */
export async function readRecord(path: string): Promise<RecordRead> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, path, error: errorMessage(err) };
  }
  try {
    const value: unknown = JSON.parse(text);
    return isRunRecord(value)
      ? { ok: true, path, record: value }
      : { ok: false, path, error: `not an LR Scope run record (version ${RUN_RECORD_VERSION})` };
  } catch (err) {
    return { ok: false, path, error: `invalid JSON: ${errorMessage(err)}` };
  }
}

/**
 * Every `*.json` record in `dir` (temp files skipped), newest first by `startedAt`. A missing
 * folder is an empty list; unreadable files are returned as `ok: false` entries.
 */
export async function listRecords(dir: string): Promise<RecordRead[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const reads = await Promise.all(
    names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => readRecord(join(dir, n))),
  );
  const time = (r: RecordRead): string => (r.ok ? r.record.startedAt : '');
  return reads.sort((a, b) => time(b).localeCompare(time(a)) || a.path.localeCompare(b.path));
}

/** Deletes a record file; a file already gone is not an error. */
export async function deleteRecord(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}

/** The path of record `id` in `dir`. */
export function recordPathFor(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
