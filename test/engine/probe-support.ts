/**
 * Shared by the PyTorch probe tests: the interpreter (Debian's python3-torch through /usr/bin/python3),
 * the fixtures, temporary folders, and the fixture log each script writes ($LRSCOPE_FIXTURE_LOG).
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, StepPoint } from '../../src/core/runs/record';
import type { EngineEvents } from '../../src/engine/run-types';
import { ProbeError } from '../../src/engine/probe/index';

export const PYTHON = '/usr/bin/python3';
export const FIXTURES = join(__dirname, 'fixtures', 'pytorch');
export const INSTALL_HINT = 'these tests need PyTorch under /usr/bin/python3: `sudo apt-get install -y python3-torch` (Debian/Ubuntu)';

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `lrscope-probe-${label}-`));
}

/** One line of a fixture's log. */
export interface FixtureLine {
  lrs?: number[];
  momentum?: (number | null)[];
  loss?: number;
  losses?: number[];
  skipped?: boolean;
  done?: boolean;
  cwd?: string;
  argv?: unknown;
  name?: string;
  epoch?: number;
  in_memory_bytes?: number;
}

export function readFixtureLog(path: string): FixtureLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureLine);
}

/** The optimizer steps the script saw (lines with the groups' LRs). */
export function stepLines(lines: FixtureLine[]): FixtureLine[] {
  return lines.filter((line) => line.lrs !== undefined);
}

/** Everything the events of a run reported, for assertions. */
export class Collected implements EngineEvents {
  starts = 0;
  points: StepPoint[] = [];
  logs: string[] = [];
  onStart(): void {
    this.starts++;
  }
  onPoint(point: StepPoint): void {
    this.points.push(point);
  }
  onLog(log: { level: string; message: string }): void {
    this.logs.push(`${log.level}: ${log.message}`);
  }
}

/** Runs `fn`; an interpreter or torch that is missing fails the test with how to install it. */
export async function withTorch(fn: () => Promise<RunRecord>): Promise<RunRecord> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProbeError && (err.kind === 'no-python' || err.kind === 'no-torch')) {
      throw new Error(`${INSTALL_HINT}\n${err.message}`);
    }
    throw err;
  }
}
