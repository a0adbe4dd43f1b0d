/**
 * How a saved run reads in the runs view: label (experiment), description (date · backend ·
 * status · recommended LR) and tooltip. Pure, so it is tested without vscode.
 */
import { basename } from 'node:path';
import type { RunRecord, RunStatus } from '../../core/runs/record';
import { formatLr } from '../../core/analysis/index';

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

export function summarizeRun(record: RunRecord): RunSummary {
  const kind = record.kind === 'range-test' ? 'range test' : 'training';
  const lr = record.recommendation?.lr;
  const lrText = typeof lr === 'number' ? `lr ${formatLr(lr)}` : undefined;
  const lastEpoch = record.epochs[record.epochs.length - 1];
  const trainText = record.kind === 'train' && lastEpoch && typeof lastEpoch.loss === 'number' ? `${record.epochs.length} ep · loss ${lastEpoch.loss.toPrecision(3)}` : undefined;
  const description = [shortDate(record.startedAt), record.environment.backend, record.status, lrText ?? trainText]
    .filter((s): s is string => s !== undefined)
    .join(' · ');
  const tooltip = [
    `${experimentName(record)} — ${kind}`,
    `Experiment: ${record.experiment.path}`,
    `Started: ${record.startedAt}${record.endedAt ? `, ended ${record.endedAt}` : ''}`,
    `Backend: ${record.environment.backend} (${record.environment.runtime})`,
    `Status: ${record.status}${record.statusDetail ? ` — ${record.statusDetail}` : ''}`,
    `Steps: ${record.points.length}`,
    ...(record.recommendation ? [record.recommendation.message] : []),
  ].join('\n');
  return {
    id: record.id,
    label: `${experimentName(record)} (${kind})`,
    description,
    tooltip,
    icon: STATUS_ICONS[record.status],
    contextValue: `lrScope.run.${record.kind}`,
  };
}
