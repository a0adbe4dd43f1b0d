/** `lrscope range-test`: Leslie Smith's LR range test on an experiment module (in an engine child process) or a PyTorch script. */
import { join } from 'node:path';
import { formatLr } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import { runRecordPath, type BackendChoice, type EngineEvents, type RangeTestOptions, type StartedParams } from '../../engine/index';
import { runPythonRangeTest } from '../../engine/probe/index';
import { runInEngine } from '../engine-run';
import { Progress } from '../progress';
import { exitCodeOf, withInterrupt, type StopSignal } from '../stop-signals';
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
  PYTHON_OPTIONS,
  PYTHON_OPTIONS_HELP,
  RANGE_TEST_OPTIONS,
  RUN_OPTIONS,
  RUN_OPTIONS_HELP,
  TRAINING_OPTIONS,
  backendOption,
  checkRunsDir,
  outOption,
  probeFailure,
  pythonScriptTarget,
  rangeTestOptions,
  refuseOptions,
  refuseScriptOptions,
  runTargetPath,
  runsDirOption,
  scriptOutput,
  splitScriptArgs,
  type PythonScriptTarget,
} from '../run-options';
import { parseVerbArgs, type CliIO, type Verb } from '../verb';

const help = `Usage: lrscope range-test <experiment.ts|js|mjs> [options] [--json] [--out FILE]
       lrscope range-test <train.py> [--python PATH | --launcher "CMD"] [range test options] [--json] [--out FILE] [-- script args]

Runs Leslie Smith's LR range test on the experiment's model: the learning rate grows from
--start-lr to --end-lr over --steps mini-batches, one update each, and stops when the smoothed
loss diverges. Prints fastai's four suggestions (minimum, steep, valley, slide), the
recommendation with its caveats and a plot, and saves the run record.
Ctrl-C (SIGTERM, SIGHUP) stops after the current batch (a script: before its next optimizer
step), saves the partial run and exits with 130 (143, 129); a second Ctrl-C stops at once and
keeps the steps so far. The experiment runs in a process of its own: if it exits, runs out of
memory or crashes, the run is saved as crashed with its partial curve and the exit code is 1.
The record is saved as the run goes (at most about a second is lost if the CLI is killed).

A .py target is an unmodified PyTorch training script, run with your interpreter through LR
Scope's probe: it sets the LR of the script's optimizer before every optimizer step and records
the loss the script back-propagates; checkpoint writes are suppressed while probing. The
script's own output is shown as it is (on stderr with --json). --batch-size, --weight-decay,
--backend and --validation-batches do not apply to a script (it decides those itself).

Range test:
  --start-lr LR          first learning rate (default 1e-7)
  --end-lr LR            last learning rate (default 10)
  --steps N              mini-batches, i.e. optimizer steps (default 100; small CNNs need about 300)
  --mode exp|linear      how the LR grows (default exp)
  --beta B               smoothing of the loss, in [0, 1) (default 0.98)
  --diverge-factor F     stop when smoothed loss > F × best (default 4; "none" never stops)
  --validation-batches K use the mean loss of K validation batches each step (default: training loss)
${RUN_OPTIONS_HELP}
  --html FILE            also write an HTML report (chart, suggestions, caveats) to FILE
  -h, --help             this text

${PYTHON_OPTIONS_HELP}

With --json the last line of stdout is
  {"status","backend","steps","suggestions":{"minimum","steep","valley","slide"},"recommendation"}
(backend "pytorch" for a script).
Exit codes: 0 done (also when the loss diverged: that is how a range test ends), 1 the run failed or crashed,
2 bad options, a broken experiment (the message names the file and field) or a script that
cannot be probed (no interpreter, no torch, it fails before its first step or never steps: the message says
which; a script that raises after some steps ends the range test there, exit 0),
130 Ctrl-C (143 SIGTERM, 129 SIGHUP).

Examples:
  lrscope range-test my.experiment.ts --steps 300 --end-lr 1
  lrscope range-test train.py --python .venv/bin/python --steps 200 -- --data ./data --batch-size 64
  lrscope range-test train.py --launcher "torchrun --standalone --nproc-per-node 2" -- --epochs 1`;

/** Where a range test's record and its copies go, and its options. */
interface RangeTestOutputs {
  runsDir: string;
  options: RangeTestOptions;
  /** Also write the record here. */
  out?: string;
  /** Write the HTML report to this file, or into `.lrscope/reports/<run id>.html` beside the runs folder. */
  html?: { file: string } | 'reports-dir';
}

/** A range test of an experiment module on the TF.js engine (in its own process). */
export interface ExperimentRangeTestRun extends RangeTestOutputs {
  experimentPath: string;
  backend: BackendChoice;
  script?: undefined;
}

/** A range test of a PyTorch script through the probe. */
export interface ScriptRangeTestRun extends RangeTestOutputs {
  script: PythonScriptTarget;
}

/** Everything one range test needs from the command line. */
export type RangeTestRun = ExperimentRangeTestRun | ScriptRangeTestRun;

/** How a range test prints its results. */
export interface RangeTestOutput {
  /** Print the JSON summary as the last line of stdout. */
  json: boolean;
  /** Where the reading (suggestions, recommendation, plot) goes; null prints none. */
  readingTo: NodeJS.WritableStream | null;
}

export interface RangeTestResult {
  /** 0; 130 (143, 129) when stopped by Ctrl-C (SIGTERM, SIGHUP); 1 when the engine crashed. */
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

function describeStart(info: StartedParams, target: string): string {
  const spec = info.schedule;
  const range = spec.policy === 'range' ? `, lr ${formatLr(spec.startLr)} → ${formatLr(spec.endLr)} (${spec.mode})` : '';
  const env = info.backend;
  const trainer =
    env.backend === 'pytorch'
      ? `torch ${env.libraryVersion} (${env.runtime}, ${env.threads} thread${env.threads === 1 ? '' : 's'})`
      : `backend ${env.backend} (tfjs ${env.libraryVersion}, ${env.threads} thread${env.threads === 1 ? '' : 's'})`;
  return `range test on ${target}: ${info.totalSteps} steps${range}, ${trainer}`;
}

/**
 * Runs one range test with progress on stderr (a bar on a TTY, a line per tenth otherwise) and
 * Ctrl-C handling; saves the record (and `--out`, `--html` copies); prints the reading and the
 * file paths. The engine's errors are reported as `runInEngine` maps them, the probe's as `probeFailure`.
 */
export async function executeRangeTest(verb: string, run: RangeTestRun, output: RangeTestOutput, io: CliIO): Promise<RangeTestResult> {
  await checkRunsDir(verb, run.runsDir);
  let progress: Progress | null = null;
  const say = (text: string): void => {
    if (progress) progress.line(text);
    else io.stderr.write(text + '\n');
  };
  const target = run.script ? run.script.scriptPath : run.experimentPath;
  const events: EngineEvents = {
    onStart(info) {
      io.stderr.write(describeStart(info, target) + '\n');
      for (const note of info.notes) io.stderr.write(`  note: ${note}\n`);
      progress = new Progress(io.stderr, { title: 'range test', total: info.totalSteps });
    },
    onPoint(point) {
      const loss = point.smoothed ?? point.loss;
      progress?.update(point.step + 1, `lr ${formatLr(point.lr)}  smoothed loss ${Number.isFinite(loss) ? loss.toFixed(4) : String(loss)}`);
    },
    onLog: run.script
      ? scriptOutput(io, output.readingTo ?? io.stderr, () => progress)
      : (log) => {
          if (log.level !== 'info') say(`${log.level}: ${log.message}`);
        },
  };
  const stopping = (signal: StopSignal): void =>
    say(
      `${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping ${run.script ? 'before the next optimizer step' : 'after the current batch'} and saving the partial run` +
        ` (${run.script ? 'press again to quit at once' : 'again to stop at once'})`,
    );
  let record: RunRecord;
  let code: number;
  let crash: string | undefined;
  try {
    if (!run.script) {
      const ran = await runInEngine(
        verb,
        { kind: 'range-test', experimentPath: run.experimentPath, backend: run.backend, runsDir: run.runsDir, options: run.options },
        events,
        { cwd: io.cwd, say, stopping },
      );
      ({ record, code, crash } = ran);
    } else {
      const { script } = run;
      let stoppedBy: StopSignal | null = null;
      // a second signal exits at once: the probe's exit hook then kills the script's process group and ranks
      record = await withInterrupt({ first: stopping, again: (signal) => process.exit(exitCodeOf(signal)) }, (interrupt) => {
        const ran = runPythonRangeTest(
          {
            scriptPath: script.scriptPath,
            scriptArgs: script.scriptArgs,
            python: script.python,
            runsDir: run.runsDir,
            ...(script.firstStepTimeoutMs !== undefined ? { firstStepTimeoutMs: script.firstStepTimeoutMs } : {}),
            ...(script.launcher !== undefined ? { launcher: script.launcher } : {}),
            options: run.options,
          },
          events,
          interrupt.signal,
        );
        return ran.finally(() => (stoppedBy = interrupt.stoppedBy));
      });
      code = record.status === 'cancelled' ? exitCodeOf(stoppedBy ?? 'SIGINT') : 0;
    }
  } catch (err) {
    throw run.script ? probeFailure(verb, err) : err;
  } finally {
    (progress as Progress | null)?.finish();
  }

  const recordPath = runRecordPath(run.runsDir, record.id);
  if (run.script === undefined && record.status === 'crashed' && crash === undefined) crash = record.statusDetail ?? 'the engine stopped';
  if (run.out) await writeFileAtomic(run.out, recordJson(record));
  const analysis = analyzeRecord(record);
  let reportPath: string | undefined;
  if (run.html) {
    reportPath = run.html === 'reports-dir' ? join(reportsDirFor(run.runsDir), `${record.id}.html`) : run.html.file;
    await writeFileAtomic(reportPath, renderRangeTestReport(record, analysis));
  }

  const ending = `${record.status}${record.statusDetail ? ` — ${record.statusDetail}` : ''}`;
  if (output.readingTo) {
    // A divergence is told by the report's own "stop rule fired" line; other endings are said here.
    const source = record.status === 'diverged' ? `range test ${record.id}` : `range test ${record.id} (${ending})`;
    const reading = renderAnalysisReport(analysis, rangePoints(record), source, plotWidth((output.readingTo as { columns?: number }).columns));
    output.readingTo.write(reading + '\n\n');
  } else {
    io.stderr.write(`range test ${ending}\n`);
  }
  const paths = output.json || !output.readingTo ? io.stderr : output.readingTo;
  paths.write(`run record: ${recordPath}\n`);
  if (run.out) paths.write(`copy:       ${run.out}\n`);
  if (reportPath) paths.write(`report:     ${reportPath}\n`);
  if (record.status === 'cancelled') io.stderr.write(`cancelled: the partial run (${record.points.length} steps) is saved\n`);
  if (crash !== undefined) io.stderr.write(`lrscope ${verb}: the run crashed: ${crash} The ${record.points.length} steps received are saved as a partial run.\n`);
  if (output.json) io.stdout.write(JSON.stringify(rangeTestSummary(record)) + '\n');
  return { code, record, recordPath, ...(reportPath ? { reportPath } : {}) };
}

/** Options of an experiment's training that a PyTorch script decides for itself. */
export const SCRIPT_OWNED_RANGE_OPTIONS = ['batch-size', 'weight-decay', 'backend', 'validation-batches'] as const;

export const rangeTestVerb: Verb = {
  name: 'range-test',
  summary: 'run the LR range test on an experiment module or a PyTorch script: suggestions, plot, run record',
  help,
  async run(argv, io) {
    const verb = 'range-test';
    const { own, scriptArgs } = splitScriptArgs(argv);
    const { values, positionals } = parseVerbArgs(verb, own, {
      ...RUN_OPTIONS,
      ...TRAINING_OPTIONS,
      ...RANGE_TEST_OPTIONS,
      ...PYTHON_OPTIONS,
      html: { type: 'string' },
    });
    const target = runTargetPath(verb, positionals, io);
    if (target.kind === 'script') {
      refuseOptions(verb, values, SCRIPT_OWNED_RANGE_OPTIONS, 'a PyTorch script: the script decides its own batches, weight decay, loss and device');
    } else {
      refuseScriptOptions(verb, values, scriptArgs);
    }
    const options = rangeTestOptions(verb, values);
    const out = outOption(values, io);
    const html = outOption(values, io, 'html');
    const runsDir = runsDirOption(values, io);
    const outputs = { runsDir, options, ...(out ? { out } : {}), ...(html ? { html: { file: html } } : {}) };
    const run: RangeTestRun =
      target.kind === 'script'
        ? { ...outputs, script: pythonScriptTarget(verb, target.path, values, scriptArgs) }
        : { ...outputs, experimentPath: target.path, backend: backendOption(verb, values) };
    const result = await executeRangeTest(verb, run, { json: values.json === true, readingTo: values.json === true ? io.stderr : io.stdout }, io);
    return result.code;
  },
};
