/** `lrscope suggest`: analyses a finished range test (a run record or a CSV/JSONL log). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_RECOMMEND, RECOMMEND_CHOICES, RECOMMEND_RULE_NAMES, SUGGESTION_METHODS, analyzeRangeTest, isRecommendChoice, isSuggestionChoice, type AnalysisOptions, type RangePoint } from '../../core/analysis/index';
import { LogParseError, parseLrLog } from '../../core/logs/index';
import type { RunRecord } from '../../core/runs/record';
import { checkRunRecord, RecordError, recordAsSeen } from '../../core/runs/record-check';
import { localWriterCheck, pointsTailPath, withTail } from '../../engine/run-store';
import { readInput } from '../input';
import { rangePoints, recordAnalysisOptions } from '../report/record-analysis';
import { plotWidth, renderAnalysisReport } from '../report/terminal';
import { UsageError, numberOption, parseVerbArgs, type Verb } from '../verb';

const help = `Usage: lrscope suggest <run.json | log.csv | log.jsonl | log.json | -> [options] [--json]

Analyses an LR range test: smoothing (bias-corrected EMA), the stop rule, fastai's suggestions
(minimum, steep, valley, slide) and a recommendation with its caveats.

Input: a run record written by LR Scope (.lrscope/runs/*.json), or a log of (lr, loss) from any
framework: CSV with a header, JSON Lines, or JSON (pytorch-lr-finder's history {"lr":[…],"loss":[…]}).
Accepted column names: lr, learning_rate, lrs; loss, losses, smooth_loss (see the README).

Options:
  --beta B               EMA smoothing factor in [0, 1) (default 0.98; 0 for already smoothed losses)
  --diverge-factor F     stop reading the curve where smoothed > F·best (default 4; "none" disables)
  --recommend RULE       what gives the recommendation: a suggestion as it is (${SUGGESTION_METHODS.join(', ')}) or a rule
                         (${RECOMMEND_RULE_NAMES.filter((r) => !isSuggestionChoice(r)).join(', ')}); default ${DEFAULT_RECOMMEND}
                         (the min-loss LR / 5, chosen by bench/recommendation.bench.ts: see README)
  --steps N              planned steps of the test (fastai trims n//10 points at the start; default: points)
  --json                 print {"minimum","steep","valley","slide","recommendation"} as one JSON object
  -h, --help             this text

Example:
  lrscope suggest .lrscope/runs/2026-11-28T18-00-00-digits.json --json`;

interface Loaded {
  points: RangePoint[];
  options: AnalysisOptions;
  source: string;
}

/** Looks like a run record (rather than a JSON log): then it must be a valid one. */
function looksLikeRunRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'version' in value && 'points' in value && 'kind' in value;
}

function runRecord(value: unknown, name: string): RunRecord {
  try {
    return recordAsSeen(checkRunRecord(value), localWriterCheck());
  } catch (err) {
    if (err instanceof RecordError) throw new UsageError(`lrscope suggest: ${name} is not a valid LR Scope run record: ${err.message}`);
    throw err;
  }
}

function loadPoints(text: string, name: string): Loaded {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = undefined; // not a single JSON document: JSON Lines, handled below
    }
    if (looksLikeRunRecord(value)) {
      const record = runRecord(value, name);
      if (record.kind !== 'range-test') throw new UsageError(`lrscope suggest: ${name} is a ${record.kind} run, not a range test`);
      return {
        points: rangePoints(record),
        options: recordAnalysisOptions(record),
        source: `run record ${record.id}${record.status === 'completed' || record.status === 'diverged' ? '' : ` (${record.status})`}`,
      };
    }
  }
  try {
    const log = parseLrLog(text, name);
    return {
      points: log.points,
      options: log.smoothedLoss ? { beta: 0 } : {},
      source: `${log.format} log (columns ${log.columns.lr}, ${log.columns.loss}${log.smoothedLoss ? ', already smoothed' : ''})`,
    };
  } catch (err) {
    if (err instanceof LogParseError) throw new UsageError(`lrscope suggest: ${err.message}`);
    throw err;
  }
}

export const suggestVerb: Verb = {
  name: 'suggest',
  summary: 'analyse a range test (run record or CSV/JSONL log): suggestions and recommendation',
  help,
  async run(argv, io) {
    const { values, positionals } = parseVerbArgs('suggest', argv, {
      beta: { type: 'string' },
      'diverge-factor': { type: 'string' },
      recommend: { type: 'string' },
      steps: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError(`lrscope suggest: expected one input file (or - for stdin), got ${positionals.length}. See 'lrscope suggest --help'.`);
    const input = await readInput('suggest', positionals[0] as string, io);
    // a record that was still growing may have points in its tail file beside it
    const tail = input.name === '<stdin>' ? null : await readFile(pointsTailPath(resolve(io.cwd, input.name)), 'utf8').catch(() => null);
    const loaded = loadPoints(tail === null ? input.text : withTail(input.text, tail), input.name);
    const options: AnalysisOptions = { ...loaded.options };
    const beta = numberOption('suggest', 'beta', values.beta);
    if (beta !== undefined) {
      if (!(beta >= 0 && beta < 1)) throw new UsageError(`lrscope suggest: --beta must be in [0, 1), got ${values.beta}`);
      options.beta = beta;
    }
    const df = values['diverge-factor'];
    if (df !== undefined) {
      const factor = df === 'none' ? null : numberOption('suggest', 'diverge-factor', df);
      if (factor !== null && factor !== undefined && !(factor > 1)) throw new UsageError(`lrscope suggest: --diverge-factor must be > 1 or "none", got ${df}`);
      options.divergeFactor = factor ?? null;
    }
    if (values.recommend !== undefined) {
      if (!isRecommendChoice(values.recommend)) {
        throw new UsageError(`lrscope suggest: --recommend must be one of ${RECOMMEND_CHOICES.join(', ')}, got '${values.recommend}'`);
      }
      options.recommend = values.recommend;
    }
    const steps = numberOption('suggest', 'steps', values.steps);
    if (steps !== undefined) {
      if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`lrscope suggest: --steps must be a positive integer, got ${values.steps}`);
      options.requestedSteps = steps;
    }
    if (loaded.points.length === 0) throw new UsageError(`lrscope suggest: ${input.name} holds no (lr, loss) points`);
    const analysis = analyzeRangeTest(loaded.points, options);
    if (values.json) {
      const { recommendation, suggestions } = analysis;
      io.stdout.write(JSON.stringify({ ...suggestions, recommendation }) + '\n');
      return 0;
    }
    io.stdout.write(renderAnalysisReport(analysis, loaded.points, loaded.source, plotWidth(io.stdout.columns)) + '\n');
    return 0;
  },
};
