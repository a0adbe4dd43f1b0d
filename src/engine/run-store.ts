/**
 * Run records on disk (DESIGN.md, "Run records"): one JSON file per run under
 * `<workspace>/.lrscope/runs/<id>.json`, written atomically — a temporary file in the same
 * folder, then a rename — so a reader never sees half a record, whatever happens to the writer.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_RECORD_VERSION, type RunKind, type RunRecord } from '../core/runs/record';

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

/**
 * Writes `record` to `<runsDir>/<record.id>.json` atomically (creating the folder) and returns
 * the path. Non-finite numbers cannot be JSON; they are written as null.
 */
export async function writeRunRecord(runsDir: string, record: RunRecord): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  const target = runRecordPath(runsDir, record.id);
  const temp = join(runsDir, `.${record.id}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const text = JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
  try {
    await writeFile(temp, text + '\n', 'utf8');
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  return target;
}

/** Reads and checks one record; throws with the path in the message when it is not a run record. */
export async function readRunRecord(path: string): Promise<RunRecord> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const problem = recordProblem(value);
  if (problem) throw new Error(`${path}: not an LR Scope run record: ${problem}`);
  return value as RunRecord;
}

/** What is wrong with `value` as a run record, or null when it looks right. */
export function recordProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return 'not an object';
  const r = value as Partial<Record<keyof RunRecord, unknown>>;
  if (r.version !== RUN_RECORD_VERSION) return `version ${JSON.stringify(r.version)} (this LR Scope reads version ${RUN_RECORD_VERSION})`;
  if (typeof r.id !== 'string') return 'no id';
  if (r.kind !== 'range-test' && r.kind !== 'train') return `unknown kind ${JSON.stringify(r.kind)}`;
  if (typeof r.status !== 'string') return 'no status';
  if (!Array.isArray(r.points) || !Array.isArray(r.epochs)) return 'no points/epochs arrays';
  if (typeof r.schedule !== 'object' || r.schedule === null) return 'no schedule';
  return null;
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
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    try {
      records.push(await readRunRecord(join(runsDir, name)));
    } catch {
      // not ours, or unreadable: skip
    }
  }
  return records.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}
