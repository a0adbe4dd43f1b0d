/**
 * What the results panel shows, as something that survives a reload: record paths, a log file, or
 * the schedule editor. The host saves the source in workspace state; the serializer reloads the
 * records from it. Also: the panel state built from run records. Pure apart from types.
 */
import type { PanelState, PreviewFlavor, RunSnapshot, ScheduleDefaults } from '../../protocol/webview';
import { snapshotFromRecord } from '../../protocol/webview';
import type { RunRecord } from '../../core/runs/record';
import { experimentName } from '../runs-view/run-summary';
import { compareLabels } from '../../core/sweeps/labels';

export type PanelSource =
  | { kind: 'empty' }
  /** One record → its range-test or training view; several → compare. */
  | { kind: 'records'; paths: string[] }
  /** An imported (or watched) external log. */
  | { kind: 'log'; path: string }
  | { kind: 'schedule'; maxLr: number | null };

/** True when `x` is a well-formed saved source (workspace state is untyped). */
export function isPanelSource(x: unknown): x is PanelSource {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  switch (s.kind) {
    case 'empty':
      return true;
    case 'records':
      return Array.isArray(s.paths) && s.paths.length > 0 && s.paths.every((p) => typeof p === 'string');
    case 'log':
      return typeof s.path === 'string';
    case 'schedule':
      return s.maxLr === null || (typeof s.maxLr === 'number' && Number.isFinite(s.maxLr) && s.maxLr > 0);
    default:
      return false;
  }
}

/** Steps per epoch a record tells of: `options.stepsPerEpoch`, else a whole training run's steps / epochs. */
export function stepsPerEpochOf(record: RunRecord): number | undefined {
  const explicit = record.options.stepsPerEpoch;
  if (typeof explicit === 'number' && Number.isInteger(explicit) && explicit > 0) return explicit;
  const epochs = record.options.epochs;
  if (record.kind === 'train' && record.status === 'completed' && typeof epochs === 'number' && epochs > 0) {
    const perEpoch = record.points.length / epochs;
    if (Number.isInteger(perEpoch) && perEpoch > 0) return perEpoch;
  }
  return undefined;
}

/** Inputs of the schedule section that do not come from the record. */
export interface ScheduleContext {
  flavor: PreviewFlavor;
  framework: ScheduleDefaults['framework'];
  /** Epochs and steps per epoch when nothing better is known. */
  epochs: number;
  stepsPerEpoch: number;
}

/** The schedule section's defaults for a record: its epochs/steps when it knows them. */
export function scheduleDefaultsFor(record: RunRecord | undefined, context: ScheduleContext): ScheduleDefaults {
  const epochs = record?.options.epochs;
  return {
    flavor: context.flavor,
    framework: context.framework,
    epochs: typeof epochs === 'number' && Number.isInteger(epochs) && epochs > 0 ? epochs : context.epochs,
    stepsPerEpoch: (record && stepsPerEpochOf(record)) ?? context.stepsPerEpoch,
  };
}

/** The panel state for one or more records (two or more: compare, labelled by what tells them apart). */
export function stateFromRecords(records: readonly RunRecord[], context: ScheduleContext): PanelState {
  if (records.length === 0) return { view: 'empty', message: 'The run records are gone (deleted or moved).' };
  if (records.length === 1) {
    const record = records[0]!;
    const run = snapshotFromRecord(record, experimentName(record));
    return record.kind === 'train' ? { view: 'training', run } : { view: 'range-test', run, schedule: scheduleDefaultsFor(record, context) };
  }
  const { title, runs } = compareSnapshots(records);
  return { view: 'compare', runs, title };
}

/**
 * Snapshots for compare, labelled so the legend tells them apart (the swept value, the weight decay
 * or batch size that differs, else the start time; each label once), and the title they share.
 */
export function compareSnapshots(records: readonly RunRecord[]): { title: string; runs: RunSnapshot[] } {
  const { title, labels } = compareLabels(
    records.map((r) => ({
      name: experimentName(r),
      options: r.options,
      // The TF.js engine trains without weight decay unless told; a script or a log decides its own.
      weightDecayDefaultsToZero: r.environment.backend !== 'pytorch' && r.environment.backend !== 'log',
      startedAt: r.startedAt,
    })),
  );
  return { title, runs: records.map((record, i) => snapshotFromRecord(record, labels[i])) };
}
