/**
 * Run records on disk, as the extension host sees them: the engine's run store
 * (`src/engine/run-store.ts`: node fs only, no tfjs) behind a never-throwing API for the runs view,
 * the CodeLenses and the panel. The host writes the partial record of a crashed run itself, since
 * the engine is gone.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../core/runs/record';
import { localWriterCheck, pointsTailPath, readRunRecord, runRecordPath, writeRecordFile } from '../../engine/run-store';

/** Writes `record` to `path` (`<runs folder>/<id>.json`) atomically, creating the folder. */
export async function writeRecordAtomic(path: string, record: RunRecord): Promise<void> {
  await writeRecordFile(path, record);
}

/** A record file that could be read, or why it could not. */
export type RecordRead =
  | { ok: true; path: string; record: RunRecord }
  | { ok: false; path: string; error: string };

/**
 * Reads and validates one record file (every point and field); a `running` record whose writer
 * is gone reads as `crashed`. Never throws.
 */
export async function readRecord(path: string, check = localWriterCheck()): Promise<RecordRead> {
  try {
    return { ok: true, path, record: await readRunRecord(path, check) };
  } catch (err) {
    return { ok: false, path, error: errorMessage(err) };
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
  const check = localWriterCheck();
  const reads = await Promise.all(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => readRecord(join(dir, n), check)));
  const time = (r: RecordRead): string => (r.ok ? r.record.startedAt : '');
  return reads.sort((a, b) => time(b).localeCompare(time(a)) || a.path.localeCompare(b.path));
}

/** Deletes a record file; a file already gone is not an error. */
export async function deleteRecord(path: string): Promise<void> {
  await fs.rm(path, { force: true });
  await fs.rm(pointsTailPath(path), { force: true });
}

/** The path of record `id` in `dir`. */
export const recordPathFor = runRecordPath;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
