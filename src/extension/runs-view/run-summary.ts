/**
 * How saved runs read in the runs view: grouped by experiment, script or log, each run with what it
 * found (label), how it ended and when (description) and the rest (tooltip). Pure, so it is tested
 * without vscode.
 */
import { basename } from 'node:path';
import type { RunRecord, RunStatus } from '../../core/runs/record';
import { formatLr } from '../../core/analysis/index';
import { timeAgo } from '../codelens/lenses';

export interface RunSummary {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  /** A codicon id for the status. */
  icon: string;
  /** `contextValue` of the tree item (menus match `lrScope.run…`). */
  contextValue: string;
}

const STATUS_ICONS: Record<RunStatus, string> = {
  running: 'sync~spin',
  completed: 'pass',
  diverged: 'graph-line',
  cancelled: 'circle-slash',
  crashed: 'error',
  failed: 'warning',
};

/** Experiment name of a record: its label, else the file name without `.experiment.ts`. */
export function experimentName(record: RunRecord): string {
  if (record.experiment.label) return record.experiment.label;
  return basename(record.experiment.path).replace(/\.experiment\.(ts|js|mjs)$/, '').replace(/\.(csv|jsonl|ndjson|tsv)$/, '');
}

/** `2026-11-28 18:15` in UTC — stable in tests and the same for every viewer of a shared record. */
export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A run as a row under its experiment's group: the label says what it was and found ("range test ·
 * lr 3.2e-3", "training · 3 epochs, loss 0.250"), the description how it ended and when ("diverged ·
 * 5 min ago · wasm"); the tooltip has the rest (run id, times, options, the recommendation).
 */
export function summarizeRun(record: RunRecord, now: Date): RunSummary {
  const kind = record.kind === 'range-test' ? 'range test' : 'training';
  const lr = record.recommendation?.lr;
  const lastEpoch = record.epochs[record.epochs.length - 1];
  const result =
    record.kind === 'range-test'
      ? typeof lr === 'number'
        ? `lr ${formatLr(lr)}`
        : record.points.length > 0 && record.status !== 'running'
          ? 'no LR suggested'
          : undefined
      : lastEpoch && typeof lastEpoch.loss === 'number'
        ? `${record.epochs.length} epoch${record.epochs.length === 1 ? '' : 's'}, loss ${lastEpoch.loss.toPrecision(3)}`
        : undefined;
  const progress = record.status === 'running' ? `${record.points.length} steps so far` : undefined;
  const description = [record.status, progress, timeAgo(record.endedAt ?? record.startedAt, now), record.environment.backend].filter((x): x is string => x !== undefined).join(' · ');
  const options = Object.entries(record.options)
    .filter(([k, v]) => !['python', 'scriptArgs', 'launcher', 'beta'].includes(k) && (typeof v === 'number' || typeof v === 'string' || v === null))
    .map(([k, v]) => `${k} ${String(v)}`);
  const tooltip = [
    `${experimentName(record)} — ${kind} ${record.id}`,
    `${record.experiment.path}`,
    `Started ${shortDate(record.startedAt)} UTC${record.endedAt ? `, ended ${shortDate(record.endedAt)}` : ''} (${timeAgo(record.startedAt, now)})`,
    `Backend: ${record.environment.backend} (${record.environment.runtime})`,
    `Status: ${record.status}${record.statusDetail ? ` — ${record.statusDetail}` : ''}`,
    `Steps: ${record.points.length}${options.length > 0 ? ` · ${options.join(' · ')}` : ''}`,
    ...(record.recommendation ? [record.recommendation.message] : []),
  ].join('\n');
  return {
    id: record.id,
    label: result ? `${kind} · ${result}` : kind,
    description,
    tooltip,
    icon: STATUS_ICONS[record.status],
    contextValue: `lrScope.run.${record.kind}`,
  };
}

/** The runs of one experiment, script or log: its name, path and runs (newest first). */
export interface RunGroup<T extends { record: RunRecord }> {
  /** The experiment's path: the group's identity. */
  key: string;
  label: string;
  /** What the path is: an experiment module, a Python script, or a log. */
  source: 'experiment' | 'script' | 'log';
  runs: T[];
}

/** `runs` grouped by experiment path, groups ordered by their newest run, runs newest first. */
export function groupRuns<T extends { record: RunRecord }>(runs: readonly T[]): Array<RunGroup<T>> {
  const groups = new Map<string, RunGroup<T>>();
  const newestFirst = [...runs].sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt));
  for (const run of newestFirst) {
    const key = run.record.experiment.path;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: groupLabel(run.record), source: sourceOf(key), runs: [] };
      groups.set(key, group);
    }
    group.runs.push(run);
  }
  return [...groups.values()];
}

/** A group's description: "examples/digits.experiment.ts · 3 runs" (the path relative to `base` when inside it). */
export function groupDescription(group: RunGroup<{ record: RunRecord }>, relativePath: string): string {
  return `${relativePath} · ${group.runs.length} run${group.runs.length === 1 ? '' : 's'}`;
}

function groupLabel(record: RunRecord): string {
  // The file's own name for a group (a record's label names one run, e.g. a sweep's value).
  const name = basename(record.experiment.path);
  return name.replace(/\.experiment\.(ts|js|mjs)$/, '') || name;
}

function sourceOf(path: string): RunGroup<{ record: RunRecord }>['source'] {
  if (/\.py$/i.test(path)) return 'script';
  if (/\.experiment\.(ts|js|mjs)$/.test(path)) return 'experiment';
  return 'log';
}
