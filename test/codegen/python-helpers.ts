/** Shared helpers of the Python codegen tests: fixtures, batched Python runs, tolerances. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { loadPythonParser, planPythonInsertion, type PythonFramework, type PythonParser } from '../../src/codegen/python/index';
import { applyEdits } from '../../src/codegen/types';
import type { ScheduleSpec } from '../../src/core/schedules/spec';

export const FIXTURES = join(__dirname, 'fixtures', 'python');
export const PYTHON = '/usr/bin/python3';

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

let parser: Promise<PythonParser> | undefined;
export function getParser(): Promise<PythonParser> {
  parser ??= loadPythonParser();
  return parser;
}

/** Applies the plan for `spec` to `text`. */
export async function transform(text: string, spec: ScheduleSpec, framework: PythonFramework): Promise<string> {
  const plan = planPythonInsertion(await getParser(), spec, framework, text);
  return applyEdits(text, plan.edits);
}

/** Runs one of the harness scripts over a batch of jobs in a single Python process. */
export function runHarness<T>(script: string, jobs: unknown[]): T[] {
  const result = spawnSync(PYTHON, [join(FIXTURES, 'harness', script)], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`cannot run ${PYTHON}: ${result.error.message} (install Python 3: apt-get install -y python3 python3-numpy python3-torch)`);
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T[];
}

/** Parses every source with Python's own `ast` in one process; returns the error message per source (null = parses). */
export function pythonParseErrors(sources: string[]): (string | null)[] {
  const code = [
    'import ast, json, sys',
    'out = []',
    'for src in json.load(sys.stdin):',
    '    try:',
    '        ast.parse(src)',
    '        out.append(None)',
    '    except SyntaxError as e:',
    '        out.append(f"line {e.lineno}: {e.msg}")',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const result = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python ast check failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as (string | null)[];
}

/** Asserts |a − e| ≤ tol·max(|e|, tiny) element-wise. */
export function assertClose(actual: readonly number[], expected: readonly number[], what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
    assert.ok(err <= tol, `${what}: step ${i}: got ${a}, expected ${e} (rel. err ${err.toExponential(2)})`);
  }
}
