/**
 * Runs the schedule-insertion corpus and prints, per script and spec: transformed (exit code),
 * ran, exact (or the first mismatch), and the static checks of static-only entries.
 *
 *   npm run build && node --import tsx test/codegen/corpus-run.ts [--keep] [name ...]
 *
 * Exit code 1 when any entry fails, 2 on bad arguments.
 */
import { CORPUS } from './corpus-entries';
import { cliIsBuilt, runEntry, type EntryOutcome, type SpecOutcome } from './corpus-harness';

function transformed(s: SpecOutcome): string {
  if (s.exitCode === 2) return s.acceptedRefusal ? 'exit 2 (refusal accepted)' : 'exit 2 (refused)';
  if (s.exitCode !== 0) return `exit ${s.exitCode}`;
  const extra = [s.idempotent ? '' : 'not idempotent', s.modeKept ? '' : 'mode lost'].filter((x) => x !== '');
  return extra.length ? `exit 0 (${extra.join(', ')})` : 'exit 0';
}

function ran(o: EntryOutcome, s: SpecOutcome): string {
  if (o.entry.run === undefined) return 'static-only';
  if (s.ran === null) return '-';
  if (!s.ran.ok) return 'crashed';
  const steps = s.ran.recording!.optimizers.map((r) => `${r.lr.length}`).join('+');
  return `yes (${steps || 0} steps)`;
}

function exact(o: EntryOutcome, s: SpecOutcome): string {
  if (s.checks.length > 0) return s.checks.map((c) => `${c.ok ? 'ok' : 'FAIL'} ${c.check}`).join('; ');
  if (s.optimizers.length > 0) return s.optimizers.map((v) => (v.exact ? `${v.label}: ${v.detail}` : `${v.label}: ${v.detail}`)).join('; ');
  if (s.ran !== null && !s.ran.ok) return s.ran.failure?.split('\n').slice(-1)[0] ?? '';
  return '-';
}

function printTable(outcomes: EntryOutcome[]): void {
  const rows: string[][] = [['entry', 'spec', 'original', 'transformed', 'ran', 'exact / checks', 'verdict']];
  for (const o of outcomes) {
    for (const s of o.specs) {
      rows.push([
        o.entry.name,
        s.spec,
        o.entry.run === undefined ? 'static' : o.originalOk ? 'runs' : 'BROKEN',
        transformed(s),
        ran(o, s),
        exact(o, s),
        o.originalOk && s.pass ? 'PASS' : `FAIL: ${o.originalOk ? s.reason : o.originalReason}`,
      ]);
    }
  }
  const clip = (t: string, n: number) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);
  const limits = [26, 8, 8, 26, 18, 80, 90];
  const cells = rows.map((r) => r.map((c, i) => clip(c, limits[i]!)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd());
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

function main(argv: string[]): number {
  const keep = argv.includes('--keep');
  const names = argv.filter((a) => a !== '--keep');
  const unknown = names.filter((n) => !CORPUS.some((e) => e.name === n));
  if (unknown.length > 0) {
    console.error(`corpus-run: no entry named ${unknown.join(', ')}; entries: ${CORPUS.map((e) => e.name).join(', ')}`);
    return 2;
  }
  if (!cliIsBuilt()) {
    console.error('corpus-run: dist/cli.js is missing: run `npm run build` first');
    return 2;
  }
  const entries = names.length ? CORPUS.filter((e) => names.includes(e.name)) : CORPUS;
  const outcomes: EntryOutcome[] = [];
  for (const entry of entries) {
    process.stderr.write(`corpus: ${entry.name} …\n`);
    const outcome = runEntry(entry, { keep });
    if (keep) process.stderr.write(`  kept ${outcome.work}\n`);
    outcomes.push(outcome);
  }
  printTable(outcomes);
  const failures = outcomes.flatMap((o) =>
    o.specs.filter((s) => !(o.originalOk && s.pass)).map((s) => `- ${o.entry.name} / ${s.spec}: ${o.originalOk ? s.reason : o.originalReason}`),
  );
  if (failures.length > 0) console.log(`\nWhy each failing row fails:\n${failures.join('\n')}`);
  const specs = outcomes.flatMap((o) => o.specs.map((s) => o.originalOk && s.pass));
  const passed = specs.filter(Boolean).length;
  console.log(`\n${passed} passed, ${specs.length - passed} failed`);
  return passed === specs.length ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
