/**
 * Where an offered learning rate comes from, in the same words everywhere (CodeLens, Insert
 * Schedule…, Train with Schedule…, the panel's Insert and Copy): the run and the model it was found
 * on, "from <model>" when that model is not the file the LR goes into. Pure (tested in plain node).
 */
import { basename } from 'node:path';
import { formatLr, roundLr } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import type { PanelState } from '../../protocol/webview';

/** An LR with its origin (the host's latest recommendation or pick; `LrRecommendation` in hooks.ts). */
export interface LrSource {
  lr: number;
  /** `recommended` by the analysis of a run, or `picked` by the user on its curve. */
  origin: 'recommended' | 'picked';
  runId: string;
  /** The experiment, script or log the run was on. */
  experimentPath: string;
}

/** A model's short name: its file name without `.experiment.ts` or the extension (`digits`, `train`). */
export function modelName(path: string): string {
  return basename(path).replace(/\.experiment\.(ts|js|mjs)$/i, '').replace(/\.[^.]+$/, '') || basename(path);
}

/** The LR offered (and written into code) for `source`: rounded to two significant digits. */
export function offeredLr(source: Pick<LrSource, 'lr'>): number {
  return roundLr(source.lr);
}

/** True when the LR was found on another model than `targetPath` (no target: never "another"). */
export function isForeign(source: LrSource, targetPath: string | undefined): boolean {
  return targetPath !== undefined && source.experimentPath !== targetPath;
}

/** " from digits" when the LR comes from another model's run than `targetPath`, else "" (the lens title's words). */
export function fromModel(source: LrSource, targetPath: string | undefined): string {
  return isForeign(source, targetPath) ? ` from ${modelName(source.experimentPath)}` : '';
}

/**
 * Where the LR comes from, in a sentence's words: "recommended by run R of digits (not a run of
 * train.py)", "picked on the curve of run R of train".
 */
export function originText(source: LrSource, targetPath: string | undefined): string {
  const how = source.origin === 'picked' ? 'picked on the curve of run' : 'recommended by run';
  const foreign = isForeign(source, targetPath) ? ` (not a run of ${basename(targetPath!)})` : '';
  return `${how} ${source.runId} of ${modelName(source.experimentPath)}${foreign}`;
}

/** The same as a prompt's first words: "Recommended by run R of digits (not a run of train.py)". */
export function originSentence(source: LrSource, targetPath: string | undefined): string {
  const text = originText(source, targetPath);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "max_lr=2.8e-3 from digits, run R" — the LR as written and where it comes from, for notices. */
export function lrWithOrigin(name: string, lr: number, source: LrSource | undefined, targetPath: string | undefined): string {
  const shown = `${name}=${formatLr(lr)}`;
  if (!source) return shown;
  if (offeredLr(source) !== lr && source.lr !== lr) {
    const said = source.origin === 'picked' ? `${formatLr(offeredLr(source))} was picked on its curve` : `it recommends ${formatLr(offeredLr(source))}`;
    return `${shown} typed; run ${source.runId} of ${modelName(source.experimentPath)}: ${said}`;
  }
  return `${shown}${fromModel(source, targetPath)}, ${source.origin === 'picked' ? 'picked on run' : 'run'} ${source.runId}${isForeign(source, targetPath) ? '' : ` of ${modelName(source.experimentPath)}`}`;
}

/** The peak LR of a schedule spec (its flavor's own field: `maxLr`, `lrMax`, `peakValue`). */
export function specLr(spec: object): number | undefined {
  const s = spec as Record<string, unknown>;
  const lr = s.maxLr ?? s.lrMax ?? s.peakValue;
  return typeof lr === 'number' ? lr : undefined;
}

/** "max_lr=2.8e-3 from digits, run R" for a spec whose LR came from `source` (undefined without a source or an LR). */
export function lrOrigin(name: string, spec: object, source: LrSource | undefined, targetPath: string | undefined): string | undefined {
  const lr = specLr(spec);
  return source && lr !== undefined ? lrWithOrigin(name, lr, source, targetPath) : undefined;
}

/**
 * The LR to offer for a file: the latest recommendation (or pick) of that file's own runs, else the
 * latest of any run (which the wording then names as another model's). `latest(path)` is the host's
 * `latestRecommendation`.
 */
export async function recommendationFor<T extends LrSource>(latest: (path?: string) => Promise<T | undefined>, path: string | undefined): Promise<T | undefined> {
  const own = path === undefined ? undefined : await latest(path);
  return own ?? latest();
}

/**
 * Where the LR of the panel's schedule comes from: the run the panel shows (range-test view), picked
 * on its curve when the pick was on that run, else its recommendation; undefined when the panel shows
 * no single range test (the schedule editor alone, a comparison) or the run is not on disk.
 */
export function panelLrSource(
  state: PanelState | undefined,
  records: ReadonlyArray<Pick<RunRecord, 'id' | 'experiment' | 'recommendation'>>,
  picked: { runId: string; lr: number } | undefined,
): LrSource | undefined {
  if (state?.view !== 'range-test') return undefined;
  const record = records.find((r) => r.id === state.run.id);
  if (!record) return undefined;
  const base = { runId: record.id, experimentPath: record.experiment.path };
  if (picked && picked.runId === record.id) return { ...base, lr: picked.lr, origin: 'picked' };
  const lr = record.recommendation?.lr;
  return typeof lr === 'number' ? { ...base, lr, origin: 'recommended' } : undefined;
}
