/** `lrscope range-test`: Leslie Smith's LR range test on an experiment module, in-process. */
import { join } from 'node:path';
import { formatLr } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import { runRangeTest, runRecordPath, type BackendChoice, type RangeTestOptions, type StartedParams } from '../../engine/index';
import { Progress } from '../progress';
import {
  analyzeRecord,
  plotWidth,
  rangePoints,
  recordJson,
  renderAnalysisReport,
  renderRangeTestReport,
  reportsDirFor,
  writeFileAtomic,
} from '../report/index';
import {
  EXIT_CANCELLED,
  RANGE_TEST_OPTIONS,
  RUN_OPTIONS,
  RUN_OPTIONS_HELP,
  TRAINING_OPTIONS,
  backendOption,
  engineFailure,
  experimentPath,
  outOption,
  rangeTestOptions,
  runsDirOption,
  withInterrupt,
} from '../run-options';
import { parseVerbArgs, type CliIO, type Verb } from '../verb';

const help = `Usage: lrscope range-test <experiment.ts|js|mjs> [options] [--json] [--out FILE]

Runs Leslie Smith's LR range test on the experiment's model: the learning rate grows from
--start-lr to --end-lr over --steps mini-batches, one update each, and stops when the smoothed
loss diverges. Prints fastai's four suggestions (minimum, steep, valley, slide), the
recommendation with its caveats and a plot, and saves the run record.
Ctrl-C stops after the current batch, saves the partial run and exits with 130.

Range test:
  --start-lr LR          first learning rate (default 1e-7)
  --end-lr LR            last learning rate (default 10)
  --steps N              mini-batches (default 100; small CNNs need about 300)
  --mode exp|linear      how the LR grows (default exp)
  --beta B               smoothing of the loss, in [0, 1) (default 0.98)
  --diverge-factor F     stop when smoothed loss > F × best (default 4; "none" never stops)
  --validation-batches K use the mean loss of K validation batches each step (default: training loss)
${RUN_OPTIONS_HELP}
  --html FILE            also write an HTML report (chart, suggestions, caveats) to FILE
  -h, --help             this text

With --json the last line of stdout is
  {"status","backend","steps","suggestions":{"minimum","steep","valley","slide"},"recommendation"}
Exit codes: 0 done (also when the loss diverged: that is how a range test ends), 1 the run failed,
2 bad options or a broken experiment (the message names the file and field), 130 Ctrl-C.

Example:
  lrscope range-test my.experiment.ts --steps 300 --end-lr 1`;

/** Everything one range test needs from the command line. */
export interface RangeTestRun {
  experimentPath: string;
  backend: BackendChoice;
  runsDir: string;
  options: RangeTestOptions;
  /** Also write the record here. */
  out?: string;
  /** Write the HTML report to this file, or into `.lrscope/reports/<run id>.html` beside the runs folder. */
  html?: { file: string } | 'reports-dir';
}

/** How a range test prints its results. */
export interface RangeTestOutput {
  /** Print the JSON summary as the last line of stdout. */
  json: boolean;
  /** Where the reading (suggestions, recommendation, plot) goes; null prints none. */
  readingTo: NodeJS.WritableStream | null;
}

export interface RangeTestResult {
  /** 0, or 130 when cancelled. */
  code: number;
  record: RunRecord;
  recordPath: string;
  reportPath?: string;
}

/** The `--json` summary of a range-test record (issue 3 §6), keys in this order. */
export function rangeTestSummary(record: RunRecord): Record<string, unknown> {
  const s = record.suggestions;
  return {
    status: record.status,
    backend: record.environment.backend,
    steps: record.points.length,
    suggestions: { minimum: s?.minimum ?? null, steep: s?.steep ?? null, valley: s?.valley ?? null, slide: s?.slide ?? null },
    recommendation: record.recommendation ?? null,
  };
}

function describeStart(info: StartedParams, experiment: string): string {
  const spec = info.schedule;
  const range = spec.policy === 'range' ? `, lr ${formatLr(spec.startLr)} → ${formatLr(spec.endLr)} (${spec.mode})` : '';
  const env = info.backend;
  return `range test on ${experiment}: ${info.totalSteps} steps${range}, backend ${env.backend} (tfjs ${env.libraryVersion}, ${env.threads} thread${env.threads === 1 ? '' : 's'})`;
}

/**
 * Runs one range test with progress on stderr (a bar on a TTY, a line per tenth otherwise) and
 * Ctrl-C handling; saves the record (and `--out`, `--html` copies); prints the reading and the
 * file paths. Engine errors are rethrown as `engineFailure` maps them.
 */
export async function executeRangeTest(verb: string, run: RangeTestRun, output: RangeTestOutput, io: CliIO): Promise<RangeTestResult> {
  let progress: Progress | null = null;
  const say = (text: string): void => {
    if (progress) progress.line(text);
    else io.stderr.write(text + '\n');
  };
  let record: RunRecord;
  try {
    record = await withInterrupt(
      () => say('Ctrl-C: stopping after the current batch and saving the partial run (press again to quit at once)'),
      (signal) =>
        runRangeTest(
          { experimentPath: run.experimentPath, backend: run.backend, runsDir: run.runsDir, options: run.options },
          {
            onStart(info) {
              io.stderr.write(describeStart(info, run.experimentPath) + '\n');
              for (const note of info.notes) io.stderr.write(`  note: ${note}\n`);
              progress = new Progress(io.stderr, { title: 'range test', total: info.totalSteps });
            },
            onPoint(point) {
              const loss = point.smoothed ?? point.loss;
              progress?.update(point.step + 1, `lr ${formatLr(point.lr)}  smoothed loss ${Number.isFinite(loss) ? loss.toFixed(4) : String(loss)}`);
            },
            onLog(log) {
              if (log.level !== 'info') say(`${log.level}: ${log.message}`);
            },
          },
          signal,
        ),
    );
  } catch (err) {
    throw engineFailure(verb, err);
  } finally {
    (progress as Progress | null)?.finish();
  }

  const recordPath = runRecordPath(run.runsDir, record.id);
  if (run.out) await writeFileAtomic(run.out, recordJson(record));
  const analysis = analyzeRecord(record);
  let reportPath: string | undefined;
  if (run.html) {
    reportPath = run.html === 'reports-dir' ? join(reportsDirFor(run.runsDir), `${record.id}.html`) : run.html.file;
    await writeFileAtomic(reportPath, renderRangeTestReport(record, analysis));
  }

  const ending = `${record.status}${record.statusDetail ? ` — ${record.statusDetail}` : ''}`;
  if (output.readingTo) {
    const reading = renderAnalysisReport(analysis, rangePoints(record), `range test ${record.id} (${ending})`, plotWidth((output.readingTo as { columns?: number }).columns));
    output.readingTo.write(reading + '\n\n');
  } else {
    io.stderr.write(`range test ${ending}\n`);
  }
  const paths = output.json || !output.readingTo ? io.stderr : output.readingTo;
  paths.write(`run record: ${recordPath}\n`);
  if (run.out) paths.write(`copy:       ${run.out}\n`);
  if (reportPath) paths.write(`report:     ${reportPath}\n`);
  if (record.status === 'cancelled') io.stderr.write(`cancelled: the partial run (${record.points.length} steps) is saved\n`);
  if (output.json) io.stdout.write(JSON.stringify(rangeTestSummary(record)) + '\n');
  return { code: record.status === 'cancelled' ? EXIT_CANCELLED : 0, record, recordPath, ...(reportPath ? { reportPath } : {}) };
}

export const rangeTestVerb: Verb = {
  name: 'range-test',
  summary: 'run the LR range test on an experiment module: suggestions, plot, run record',
  help,
  async run(argv, io) {
    const { values, positionals } = parseVerbArgs('range-test', argv, {
      ...RUN_OPTIONS,
      ...TRAINING_OPTIONS,
      ...RANGE_TEST_OPTIONS,
      html: { type: 'string' },
    });
    const options = rangeTestOptions('range-test', values);
    const backend = backendOption('range-test', values);
    const file = experimentPath('range-test', positionals, io);
    const out = outOption(values, io);
    const html = outOption(values, io, 'html');
    const result = await executeRangeTest(
      'range-test',
      { experimentPath: file, backend, runsDir: runsDirOption(values, io), options, ...(out ? { out } : {}), ...(html ? { html: { file: html } } : {}) },
      { json: values.json === true, readingTo: values.json === true ? io.stderr : io.stdout },
      io,
    );
    return result.code;
  },
};
