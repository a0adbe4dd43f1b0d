/**
 * `lrscope sweep`: the same range test once per value of weight decay or batch size (Smith's
 * procedure), one after another, each an ordinary run record tagged with the sweep; then the runs side
 * by side and Smith's reading, stated only where the curves support it.
 */
import { formatLr } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import { compareLabels } from '../../core/sweeps/labels';
import { parameterText, parseSweepParameter, parseSweepValues, planSweep, SweepError, type SweepMember, type SweepParameter } from '../../core/sweeps/plan';
import { sweepReading, sweepRow, type SweepReading, type SweepRow } from '../../core/sweeps/reading';
import { newSweepId } from '../../engine/run-store';
import { analyzeRecord, rangePoints } from '../report/index';
import {
  PYTHON_OPTIONS,
  PYTHON_OPTIONS_HELP,
  RANGE_TEST_OPTIONS,
  backendOption,
  pythonScriptTarget,
  rangeTestOptions,
  refuseScriptOptions,
  runTargetPath,
  runsDirOption,
  splitScriptArgs,
} from '../run-options';
import { parseVerbArgs, UsageError, type CliIO, type Verb } from '../verb';
import { executeRangeTest, type RangeTestRun } from './range-test';

const help = `Usage: lrscope sweep <experiment.ts|js|mjs> (--weight-decay V,V,… | --batch-size N,N,…) [range test options] [--json]
       lrscope sweep <train.py> (--weight-decay V,V,… | --batch-size N,N,…) --arg "TEMPLATE" [--python PATH] [range test options] [--json] [-- script args]

Runs the same LR range test once per value (one after another), saves each run as an ordinary run
record tagged with the sweep (the Runs view lists them; "LR Scope: Compare Runs…" overlays them),
then prints the runs side by side and Smith's reading: which setting reaches the lowest loss, which
tolerates the largest learning rate (diverges last) — each only when the curves show it, else why not
(no run diverged: raise --end-lr; the difference is within the noise).

An experiment module takes each value through its own field (weightDecay or batchSize, as
--weight-decay / --batch-size of range-test would). A PyTorch script takes it through --arg: a
template of the script's arguments with {} where the value goes, appended to the arguments after --
(the value as you typed it, e.g. --arg "--wd {}" runs train.py --wd 1e-4).

Sweep:
  --weight-decay LIST    weight decays ≥ 0, e.g. 0,1e-4,1e-3 (commas or spaces)
  --batch-size LIST      batch sizes, whole numbers ≥ 1, e.g. 32,64,128
  --arg "TEMPLATE"       a PyTorch script: its arguments for one value, {} where the value goes
Range test (every run the same):
  --start-lr LR, --end-lr LR, --steps N, --mode exp|linear, --beta B, --diverge-factor F,
  --validation-batches K, --seed S   as for lrscope range-test (see its --help)
  --backend B            auto | tensorflow | wasm | cpu (an experiment)
  --runs-dir DIR         where run records go (default .lrscope/runs under the current folder)
  --json                 the last line of stdout is one JSON object:
                         {"sweep","parameter","runs":[{"label","value","id","record","status","recommendation"}],
                          "reading":{"lowestLoss":{"runId","text"},"largestLr":{"runId","text"}}}
  -h, --help             this text

${PYTHON_OPTIONS_HELP}

Exit codes: 0 every run done, 1 a run crashed (the others still run), 2 bad options or a broken
experiment or script (before anything runs: the message names it), 130 Ctrl-C (143 SIGTERM, 129
SIGHUP): the run going is saved as cancelled and the sweep stops.

Examples:
  lrscope sweep my.experiment.ts --weight-decay 0,1e-4,1e-3 --steps 200
  lrscope sweep my.experiment.ts --batch-size 32,64,128
  lrscope sweep train.py --weight-decay 0,5e-4,5e-3 --arg "--wd {}" -- --epochs 1`;

/** The values given for one of the two sweep options (exactly one must be). */
function sweptValues(verb: string, values: Record<string, unknown>): { parameter: SweepParameter; text: string } {
  const wd = values['weight-decay'];
  const bs = values['batch-size'];
  if (typeof wd === 'string' && typeof bs === 'string') throw new UsageError(`lrscope ${verb}: sweep one parameter at a time: --weight-decay or --batch-size, not both`);
  if (typeof wd === 'string') return { parameter: parseSweepParameter('weight-decay'), text: wd };
  if (typeof bs === 'string') return { parameter: parseSweepParameter('batch-size'), text: bs };
  throw new UsageError(`lrscope ${verb}: give the values to sweep: --weight-decay 0,1e-4,1e-3 or --batch-size 32,64,128 (see 'lrscope ${verb} --help')`);
}

function sweepFailure(verb: string, err: unknown): never {
  if (err instanceof SweepError) {
    const option = err.field === 'template' ? '--arg' : err.field === 'values' ? 'values' : 'parameter';
    throw new UsageError(`lrscope ${verb}: ${option}: ${err.message}`);
  }
  throw err;
}

function cell(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The runs side by side, then the reading. */
export function sweepTable(rows: readonly SweepRow[], reading: SweepReading): string {
  const header = ['run', 'recommended LR', 'lowest loss', 'at LR', 'stopped at LR'];
  const lines = rows.map((r) => [
    r.label + (reading.largestLr.runId === r.runId ? ' ★' : '') + (reading.lowestLoss.runId === r.runId ? ' ▼' : ''),
    r.recommended === null ? '—' : formatLr(r.recommended),
    r.minLoss === null ? '—' : r.minLoss.toPrecision(4),
    r.minLossLr === null ? '—' : formatLr(r.minLossLr),
    r.stopLr === null ? 'did not diverge' : formatLr(r.stopLr),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)) + 2);
  const table = [header, ...lines].map((l) => l.map((c, i) => cell(c, widths[i]!)).join('').trimEnd());
  return [...table, '', `lowest loss:  ${reading.lowestLoss.text}`, `largest LR:   ${reading.largestLr.text}`].join('\n');
}

/** `--arg "--wd {}"` as `--arg=--wd {}`: a template starts with a dash, which `parseArgs` takes for an option. */
function joinTemplate(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--arg' && i + 1 < argv.length) out.push(`--arg=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

export const sweepVerb: Verb = {
  name: 'sweep',
  summary: "Smith's sweep: the range test once per weight decay or batch size, overlaid and read",
  help,
  async run(argv, io: CliIO) {
    const verb = 'sweep';
    const { own, scriptArgs } = splitScriptArgs(argv);
    const { values, positionals } = parseVerbArgs(verb, joinTemplate(own), {
      backend: { type: 'string' },
      'runs-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      'weight-decay': { type: 'string' },
      'batch-size': { type: 'string' },
      seed: { type: 'string' },
      arg: { type: 'string' },
      ...RANGE_TEST_OPTIONS,
      ...PYTHON_OPTIONS,
    });
    const target = runTargetPath(verb, positionals, io);
    const { parameter, text } = sweptValues(verb, values);
    let swept;
    try {
      swept = parseSweepValues(text, parameter);
    } catch (err) {
      sweepFailure(verb, err);
    }
    if (target.kind === 'experiment') {
      refuseScriptOptions(verb, values, scriptArgs, ['arg']);
    } else if (typeof values.arg !== 'string') {
      throw new UsageError(`lrscope ${verb}: a PyTorch script takes the ${parameterText(parameter)} through its own arguments: give --arg "TEMPLATE", e.g. --arg "--wd {}"`);
    }
    // The range-test options, without the swept ones (each member sets its own).
    const { ['weight-decay']: _wd, ['batch-size']: _bs, ...rest } = values;
    const options = rangeTestOptions(verb, rest);
    const runsDir = runsDirOption(values, io);
    const id = newSweepId();
    let members: SweepMember[];
    try {
      members = planSweep({
        id,
        parameter,
        values: swept,
        target: target.kind === 'script' ? { kind: 'script', template: values.arg as string, scriptArgs: scriptArgs ?? [] } : { kind: 'experiment' },
      });
    } catch (err) {
      sweepFailure(verb, err);
    }
    const script = target.kind === 'script' ? pythonScriptTarget(verb, target.path, values, scriptArgs) : undefined;
    const backend = target.kind === 'experiment' ? backendOption(verb, values) : undefined;
    io.stderr.write(`sweep ${id}: ${parameterText(parameter)} ${members.map((m) => m.value.text).join(', ')} on ${target.path} (${members.length} range tests, one after another)\n`);

    const done: Array<{ member: SweepMember; record: RunRecord; recordPath: string }> = [];
    let code = 0;
    for (const member of members) {
      io.stderr.write(`\n[${member.tag.index + 1}/${members.length}] ${member.label}\n`);
      const memberOptions = { ...options, sweep: member.tag, ...(member.change.kind === 'option' ? { [parameter]: member.change[parameter] } : {}) };
      const run: RangeTestRun =
        script && member.change.kind === 'script-args'
          ? { runsDir, options: memberOptions, script: { ...script, scriptArgs: member.change.scriptArgs } }
          : { runsDir, options: memberOptions, experimentPath: target.path, backend: backend ?? 'auto' };
      const result = await executeRangeTest(verb, run, { json: false, readingTo: null }, io);
      done.push({ member, record: result.record, recordPath: result.recordPath });
      if (result.code !== 0 && result.code !== 1) {
        code = result.code;
        io.stderr.write(`sweep stopped after ${done.length} of ${members.length} runs\n`);
        break;
      }
      if (result.code === 1) code = 1;
    }

    const { labels } = compareLabels(done.map((d) => ({ name: target.path, options: d.record.options, weightDecayDefaultsToZero: target.kind === 'experiment', startedAt: d.record.startedAt })));
    const rows = done.map((d, i) => {
      const analysis = analyzeRecord(d.record);
      const beta = typeof d.record.options.beta === 'number' ? d.record.options.beta : 0.98;
      return sweepRow({ id: d.record.id, label: labels[i] ?? d.member.label, lrs: rangePoints(d.record).map((p) => p.lr) }, analysis, beta);
    });
    const reading = sweepReading(rows);
    const out = values.json === true ? io.stderr : io.stdout;
    out.write(`\n${id}: ${parameterText(parameter)} on ${target.path}\n${sweepTable(rows, reading)}\n`);
    for (const d of done) out.write(`  ${d.member.label}: ${d.recordPath}\n`);
    if (values.json === true) {
      io.stdout.write(
        JSON.stringify({
          sweep: id,
          parameter,
          runs: done.map((d, i) => ({
            label: rows[i]!.label,
            value: d.member.value.value,
            id: d.record.id,
            record: d.recordPath,
            status: d.record.status,
            recommendation: d.record.recommendation ?? null,
          })),
          reading,
        }) + '\n',
      );
    }
    return code;
  },
};
