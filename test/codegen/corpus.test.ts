/**
 * The schedule-insertion corpus as tests, one per entry (corpus-entries.ts; the table view is
 * `node --import tsx test/codegen/corpus-run.ts`). Each test first proves the harness on that
 * entry -- the untransformed script runs under real torch and the recorder sees its optimizer
 * steps -- then that `lrscope snippet --into --write` either refused as the entry allows or wrote
 * a file that is idempotent, keeps its mode and trains under exactly the spec over its own
 * number of steps (static checks where the framework cannot run here). Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORPUS } from './corpus-entries';
import { cliIsBuilt, runEntry } from './corpus-harness';

for (const entry of CORPUS) {
  test(`corpus ${entry.name}: ${entry.pattern}`, () => {
    assert.ok(cliIsBuilt(), 'dist/cli.js is missing: run `npm run build` first');
    const outcome = runEntry(entry);
    assert.ok(outcome.originalOk, `harness: ${outcome.originalReason}`);
    if (entry.run !== undefined) {
      for (const opt of entry.scheduled) {
        const steps = outcome.original!.recording!.optimizers[opt.index]!.lr.length;
        assert.ok(steps > 0, `harness: the original's ${opt.label} recorded no step`);
      }
    }
    for (const s of outcome.specs) {
      assert.ok(s.pass, `${entry.name} / ${s.spec}: ${s.reason}${s.stderr ? `\n  lrscope stderr: ${s.stderr.split('\n').slice(0, 4).join('\n    ')}` : ''}`);
    }
  });
}
