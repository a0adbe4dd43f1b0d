/**
 * Which CodeLenses a file gets, from the core's anchors and what the runs say (issue 4 §4). Pure:
 * the VS Code provider (`provider.ts`) turns these into `vscode.CodeLens`es.
 *
 * - experiment module (its default export): "▶ Range test", "▶ Train one-cycle", and the last result;
 * - an existing scheduler: "Update max_lr to …" (or that it already matches the recommendation);
 * - otherwise one lens over the optimizer (else `configure_optimizers`, the fit call, the compile call):
 *   "Insert one-cycle (max_lr=…)" with the latest recommendation, or "Find LR…" when there is none;
 * - a PyTorch script on disk: "▶ Find LR (run this script)" over its optimizer, which runs the range
 *   test through the probe, "▶ Train" (a schedule tried through the probe), and its last result; it
 *   replaces the "Find LR…" lenses that only open the insert flow.
 */
import { formatLr, roundLr } from '../../core/analysis/index';
import type { Anchor, AnchorKind } from '../../codegen/types';
import type { RunRecord } from '../../core/runs/record';
import type { LensInsertArgs } from '../insertion/planning';

/** The LR a schedule would peak at (the host's latest recommendation or pick). */
export interface LensRecommendation {
  lr: number;
  origin: 'recommended' | 'picked';
  /**
   * When the LR comes from another file's run (no run of this file yet): that model's name and the run,
   * which the lens names (never another model's number as if it were this file's).
   */
  from?: { model: string; runId: string };
}

/** The newest range test of an experiment, for the result lens. */
export interface LastRangeTest {
  lr: number | null;
  /** The rule or suggestion method that gave `lr` (e.g. `valley`, `minimum-x2`). */
  method?: string;
  status: string;
  /** ISO time the run ended (else started). */
  at: string;
}

export interface LensContext {
  uri: string;
  /** Absolute path of the document (experiment commands take it). */
  path: string;
  recommendation: LensRecommendation | undefined;
  /** For experiment modules and runnable scripts: their newest range test, if any. */
  lastRangeTest: LastRangeTest | undefined;
  now: Date;
  /** The document is a Python script saved on disk, which the PyTorch probe can run. */
  runnableScript?: boolean;
  /** The number of optimizer steps the insertion planner read from the file (an expression of its names). */
  stepCount?: string;
  /**
   * The step count is not read yet (the planner runs when the lens is resolved, not on every keystroke):
   * the lenses that show it come back with `pending` set.
   */
  stepCountPending?: boolean;
}

export interface LensSpec {
  /** The anchor's range (character offsets); the lens sits on its first line. */
  start: number;
  end: number;
  title: string;
  tooltip: string;
  command: string;
  arguments: unknown[];
  /** Its title and tooltip wait for the step count (`LensContext.stepCountPending`). */
  pending?: true;
}

/** Anchors that get the "Insert one-cycle" lens, most specific first (one lens per file). */
const INSERT_ANCHORS: readonly AnchorKind[] = ['optimizer', 'configure-optimizers', 'fit', 'compile'];

/** The lenses for a file with `anchors` (sorted by position), given what the runs say. */
export function lensesFor(anchors: readonly Anchor[], context: LensContext): LensSpec[] {
  const lenses: LensSpec[] = [];
  for (const anchor of anchors.filter((a) => a.kind === 'experiment')) lenses.push(...experimentLenses(anchor, context));
  const optimizer = context.runnableScript ? anchors.find((a) => a.kind === 'optimizer' && a.framework === 'pytorch') : undefined;
  if (optimizer) lenses.push(...findLrLenses(optimizer, context));
  const schedulers = anchors.filter((a) => a.kind === 'scheduler');
  const tuning: LensSpec[] = schedulers.map((anchor) => schedulerLens(anchor, context));
  if (schedulers.length === 0) {
    const target = INSERT_ANCHORS.map((kind) => anchors.find((a) => a.kind === kind)).find((a) => a !== undefined);
    if (target) tuning.push(insertLens(target, context));
  }
  // With "▶ Find LR" on the script, a lens that could only ask for an LR adds nothing.
  lenses.push(...(optimizer && !context.recommendation ? [] : tuning));
  return lenses;
}

/** "▶ Find LR (run this script)" over a PyTorch script's optimizer, and the script's last range test. */
function findLrLenses(anchor: Anchor, context: LensContext): LensSpec[] {
  const at = { start: anchor.start, end: anchor.end };
  const lenses: LensSpec[] = [
    {
      ...at,
      title: '▶ Find LR (run this script)',
      tooltip: 'Run an LR range test on this script as it is, with the PyTorch probe (setting lrScope.pythonPath picks the interpreter); checkpoints are not written while probing',
      command: 'lrScope.runPythonRangeTest',
      arguments: [context.path],
    },
    {
      ...at,
      title: '▶ Train',
      tooltip: 'Train this script as it is under a one-cycle (or cyclical) schedule through the PyTorch probe, to try the schedule before inserting it',
      command: 'lrScope.train',
      arguments: [context.path],
    },
  ];
  const last = lastResultLens(at, context);
  if (last) lenses.push(last);
  return lenses;
}

function lastResultLens(at: { start: number; end: number }, context: LensContext): LensSpec | undefined {
  const last = context.lastRangeTest;
  if (!last) return undefined;
  const when = timeAgo(last.at, context.now);
  const result = last.lr !== null ? `max LR ${formatLr(last.lr)}${last.method ? ` (${last.method})` : ''}` : `no recommendation (${last.status})`;
  return { ...at, title: `last: ${result}, ${when}`, tooltip: 'Show the results of the last range test', command: 'lrScope.showResults', arguments: [] };
}

function experimentLenses(anchor: Anchor, context: LensContext): LensSpec[] {
  const at = { start: anchor.start, end: anchor.end };
  const lenses: LensSpec[] = [
    { ...at, title: '▶ Range test', tooltip: 'Run an LR range test on this experiment', command: 'lrScope.runRangeTest', arguments: [context.path] },
    { ...at, title: '▶ Train one-cycle', tooltip: 'Train this experiment with a one-cycle schedule', command: 'lrScope.train', arguments: [context.path] },
  ];
  const last = lastResultLens(at, context);
  if (last) lenses.push(last);
  return lenses;
}

function lrArgName(anchor: Anchor): string {
  return anchor.framework === 'tfjs' ? 'maxLr' : 'max_lr';
}

function insertArgs(anchor: Anchor, context: LensContext, maxLr: number | null): LensInsertArgs {
  return {
    kind: 'lrScope.lensInsert',
    uri: context.uri,
    framework: anchor.framework,
    anchorKind: anchor.kind,
    ...(anchor.name !== undefined ? { anchorName: anchor.name } : {}),
    maxLr,
  };
}

function insertLens(anchor: Anchor, context: LensContext): LensSpec {
  const at = { start: anchor.start, end: anchor.end };
  const rec = context.recommendation;
  if (!rec) {
    return {
      ...at,
      title: 'Find LR…',
      tooltip: 'No learning rate recommended yet: run a range test on an experiment or import an LR log, then insert a one-cycle schedule here',
      command: 'lrScope.insertSchedule',
      arguments: [insertArgs(anchor, context, null)],
    };
  }
  const over = context.stepCount === undefined ? '' : `, over ${context.stepCount} steps`;
  const from = rec.from ? ` from ${rec.from.model}` : '';
  const source = rec.from
    ? ` of run ${rec.from.runId} on ${rec.from.model}, not a run of this file (▶ Find LR gives this script its own)`
    : '';
  // the number shown is the number written: two significant digits
  const lr = roundLr(rec.lr);
  return {
    ...at,
    title: `Insert one-cycle (${lrArgName(anchor)}=${formatLr(lr)}${from}${over})`,
    tooltip: `Insert a one-cycle schedule peaking at the ${rec.origin === 'picked' ? 'LR picked on the curve' : 'recommended LR'}${source}${context.stepCount === undefined ? '' : `, over the ${context.stepCount} optimizer steps the file takes`} (one undo step; not saved)`,
    command: 'lrScope.insertSchedule',
    arguments: [insertArgs(anchor, context, lr)],
    ...(context.stepCountPending ? { pending: true as const } : {}),
  };
}

function schedulerLens(anchor: Anchor, context: LensContext): LensSpec {
  const rec = context.recommendation;
  if (!rec) return { ...insertLens(anchor, context), tooltip: 'No learning rate recommended yet: run a range test or import an LR log to tune this schedule' };
  const at = { start: anchor.start, end: anchor.end };
  const name = lrArgName(anchor);
  const lr = roundLr(rec.lr);
  const from = rec.from ? ` from ${rec.from.model}` : '';
  if (anchor.maxLr !== undefined && sameLr(anchor.maxLr, lr)) {
    return { ...at, title: `${name} matches the recommendation (${formatLr(lr)}${from})`, tooltip: 'Show the range test behind it', command: 'lrScope.showResults', arguments: [] };
  }
  return {
    ...at,
    title: `Update ${name} to ${formatLr(lr)}${from}`,
    tooltip: `Set this ${anchor.name ?? 'schedule'}'s peak to the ${rec.origin === 'picked' ? 'LR picked on the curve' : 'recommended LR'}${rec.from ? ` of run ${rec.from.runId} on ${rec.from.model}, not a run of this file` : ''}${anchor.maxLr !== undefined ? ` (now ${formatLr(anchor.maxLr)})` : ''}`,
    command: 'lrScope.insertSchedule',
    arguments: [insertArgs(anchor, context, lr)],
  };
}

/** The same LR (1e-9 relative: the file holds the rounded number the lens offered). */
function sameLr(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** "just now", "5 min ago", "2 h ago", "3 d ago" (the future, e.g. clock skew, reads "just now"). */
export function timeAgo(iso: string, now: Date): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return 'at an unknown time';
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The newest range test of the experiment at `path` among `records` (any order), for the result lens. */
export function lastRangeTestOf(
  records: ReadonlyArray<Pick<RunRecord, 'kind' | 'status' | 'startedAt' | 'endedAt' | 'experiment' | 'recommendation'>>,
  path: string,
): LastRangeTest | undefined {
  const newest = records
    .filter((r) => r.kind === 'range-test' && r.experiment.path === path && r.status !== 'running')
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!newest) return undefined;
  const lr = newest.recommendation?.lr ?? null;
  return {
    lr,
    ...(lr !== null && newest.recommendation ? { method: newest.recommendation.rule ?? newest.recommendation.method } : {}),
    status: newest.status,
    at: newest.endedAt ?? newest.startedAt,
  };
}
