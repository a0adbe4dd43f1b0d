/** Data export of the panel's runs as CSV (one row per step) and JSON. Pure; no DOM. */
import type { RunSnapshot } from '../src/protocol/webview';

function num(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One CSV table of every step of every run: `run,step,lr,loss,smoothed,momentum`. `smoothed[i]`
 * (per run, by id) is the webview's current smoothing; non-finite values are written empty.
 */
export function runsToCsv(runs: readonly RunSnapshot[], smoothed: ReadonlyMap<string, readonly number[]> = new Map()): string {
  const lines = ['run,step,lr,loss,smoothed,momentum'];
  for (const run of runs) {
    const s = smoothed.get(run.id);
    run.points.forEach((p, i) => {
      lines.push([csvField(run.label), String(p.step), num(p.lr), num(p.loss), num(s?.[i] ?? p.smoothed), num(p.momentum)].join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/** One CSV table of the per-epoch figures of a training run: `epoch,loss,valLoss,<metric…>`. */
export function epochsToCsv(run: RunSnapshot): string {
  const metricNames = [...new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)))].sort();
  const lines = [['epoch', 'loss', 'valLoss', ...metricNames].map(csvField).join(',')];
  for (const e of run.epochs) {
    lines.push([String(e.epoch), num(e.loss), num(e.valLoss), ...metricNames.map((m) => num(e.metrics[m]))].join(','));
  }
  return lines.join('\n') + '\n';
}

/** The runs as pretty JSON, with whatever extra (analysis, picked LR, schedule) the view adds. */
export function runsToJson(runs: readonly RunSnapshot[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ exportedBy: 'LR Scope', ...extra, runs }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/** A file name safe for the `export` message: letters, digits, `.`, `-`, `_`, `+`. */
export function exportFileName(label: string, suffix: string, ext: string): string {
  const base = label.replace(/[^\w.+-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'lrscope';
  return `${base}-${suffix}.${ext}`;
}
