/** Files the run verbs write besides the engine's run record: a copy of it and the HTML report. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunRecord } from '../../core/runs/record';

/** `<dir of runsDir>/reports`: `.lrscope/reports` beside `.lrscope/runs`. */
export function reportsDirFor(runsDir: string): string {
  return join(dirname(runsDir), 'reports');
}

/** Writes `text` to `file` atomically (temporary file in the same folder, then a rename), creating folders. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** The record as the run store writes it (non-finite numbers as null), for `--out FILE`. */
export function recordJson(record: RunRecord): string {
  return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2) + '\n';
}
