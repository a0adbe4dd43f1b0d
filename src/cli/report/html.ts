/**
 * The HTML report of a range test: one self-contained file (inline CSS and SVG, no scripts, no
 * external resources) that reads well in any browser, light or dark: the recommendation, the
 * chart, the four suggestions, the caveats, the run's status, environment and options.
 */
import { SUGGESTION_METHODS, describeChoice, formatLr, isSuggestionChoice, type RangeAnalysis, type SuggestionMethod } from '../../core/analysis/index';
import type { RunRecord } from '../../core/runs/record';
import { escapeHtml } from './escape';
import { lossChartSvg } from './svg-chart';
import { smoothingLabel } from './terminal';

/** What each suggestion means, in one line. */
const METHOD_MEANING: Record<SuggestionMethod, string> = {
  minimum: 'the LR of the lowest smoothed loss, divided by 10',
  steep: 'where the loss falls fastest against log LR',
  valley: "halfway along the longest descent of the curve (fastai's default)",
  slide: 'the last LR before the loss starts to climb (fastai)',
};

const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2330; --muted: #5b6474; --line: #d9dde5; --panel: #f5f7fa;
  --raw: #9aa5b8; --smooth: #1f6feb; --marker: #8b95a7; --rec: #d4570e; --ok: #1a7f37; --warn: #9a6700; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111418; --fg: #e3e7ee; --muted: #98a2b3; --line: #2c333d; --panel: #181c22;
    --raw: #5d6878; --smooth: #58a6ff; --marker: #7d8898; --rec: #f0883e; --ok: #3fb950; --warn: #d29922; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 28px 20px 40px; }
h1 { font-size: 1.5rem; margin: 0 0 2px; }
h2 { font-size: 1.05rem; margin: 28px 0 8px; }
.sub, footer, .muted { color: var(--muted); }
.sub { margin: 0; overflow-wrap: anywhere; }
.verdict { margin: 20px 0; padding: 14px 18px; background: var(--panel); border-left: 4px solid var(--rec); border-radius: 4px; }
.verdict .lr { font-size: 2rem; font-weight: 650; margin: 0; font-variant-numeric: tabular-nums; }
.verdict.none { border-left-color: var(--warn); }
.verdict p { margin: 4px 0 0; }
figure { margin: 8px 0; }
svg.chart { width: 100%; height: auto; display: block; font: 12px system-ui, sans-serif; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .frame { fill: none; stroke: var(--muted); stroke-width: 1; }
svg text { fill: var(--fg); }
svg .tick, svg .axis-label { fill: var(--muted); }
svg .raw { fill: none; stroke: var(--raw); stroke-width: 1; }
svg .smoothed { fill: none; stroke: var(--smooth); stroke-width: 2.2; }
svg .marker { stroke: var(--marker); stroke-width: 1.2; stroke-dasharray: 4 3; }
svg .marker.recommended { stroke: var(--rec); stroke-width: 2; stroke-dasharray: none; }
svg .marker-label { fill: var(--muted); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; }
svg .marker-label.recommended { fill: var(--rec); font-weight: 650; }
figcaption { display: flex; gap: 18px; justify-content: center; color: var(--muted); font-size: 0.85rem; }
figcaption svg { vertical-align: middle; margin-right: 4px; }
figcaption .raw { stroke: var(--raw); stroke-width: 1.5; }
figcaption .smoothed { stroke: var(--smooth); stroke-width: 2.5; }
figcaption .marker { stroke: var(--marker); stroke-width: 1.5; stroke-dasharray: 4 3; }
figcaption .marker.recommended { stroke: var(--rec); stroke-width: 2; stroke-dasharray: none; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.recommended td { color: var(--rec); font-weight: 600; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
ul { padding-left: 20px; }
li { margin: 4px 0; }
.ok { color: var(--ok); }
details { margin-top: 24px; }
footer { margin-top: 32px; font-size: 0.85rem; }
`;

const swatch = (cls: string): string => `<svg width="24" height="10" aria-hidden="true"><line class="${cls}" x1="0" y1="5" x2="24" y2="5"/></svg>`;
/** The chart's legend; the smoothed curve is named with its smoothing (the causal EMA the suggestions read). */
const legend = (beta: number): string =>
  [
    `<span>${swatch('raw')}loss</span>`,
    `<span>${swatch('smoothed')}${escapeHtml(smoothingLabel(beta))}</span>`,
    `<span>${swatch('marker recommended')}recommended</span>`,
    `<span>${swatch('marker')}other suggestions</span>`,
  ].join('');

function row(label: string, value: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${value}</td></tr>`;
}

function optionValue(value: unknown): string {
  if (typeof value === 'string') return escapeHtml(value);
  return `<code>${escapeHtml(JSON.stringify(value) ?? String(value))}</code>`;
}

function duration(record: RunRecord): string | null {
  if (!record.endedAt) return null;
  const ms = Date.parse(record.endedAt) - Date.parse(record.startedAt);
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : null;
}

export interface ReportOptions {
  /** When the report was made (default: now). */
  generatedAt?: Date;
}

/**
 * The report of a range-test record as a complete HTML document. `analysis` is the core's
 * analysis of the record's points (see `analyzeRecord`): it supplies the smoothed curve, the
 * caveats and the suggestions shown.
 */
export function renderRangeTestReport(record: RunRecord, analysis: RangeAnalysis, options: ReportOptions = {}): string {
  const rec = analysis.recommendation;
  const label = record.experiment.label ?? record.experiment.path.split(/[\\/]/).pop() ?? record.experiment.path;
  const end = analysis.stopIndex ?? record.points.length - 1;
  const shown = record.points.slice(0, end + 1);

  const verdict =
    rec.lr !== null
      ? `<section class="verdict"><p class="lr">${formatLr(rec.lr)}</p><p>recommended maximum learning rate for one-cycle training (${escapeHtml(describeChoice(rec.rule))})${
          rec.spreadDecades !== null ? ` · the methods span ${rec.spreadDecades.toFixed(2)} decades (${rec.agreement} agreement)` : ''
        }</p></section>`
      : `<section class="verdict none"><p class="lr">No recommendation</p><p>${escapeHtml(rec.message)}</p></section>`;

  const chart = lossChartSvg({
    lr: shown.map((p) => p.lr),
    loss: shown.map((p) => p.loss),
    smoothed: analysis.smoothed.slice(0, end + 1),
    markers: SUGGESTION_METHODS.flatMap((m): { label: string; lr: number; recommended: boolean }[] => {
      const lr = analysis.suggestions[m];
      return lr === null ? [] : [{ label: m, lr, recommended: m === rec.rule }];
    }).concat(rec.lr !== null && !isSuggestionChoice(rec.rule) ? [{ label: `recommended (${rec.rule})`, lr: rec.lr, recommended: true }] : []),
  });

  const suggestions = SUGGESTION_METHODS.map((m) => {
    const lr = analysis.suggestions[m];
    const cls = m === rec.rule ? ' class="recommended"' : '';
    return `<tr${cls}><td>${m}${m === rec.rule ? ' ▶' : ''}</td><td class="num">${lr === null ? '—' : formatLr(lr)}</td><td>${escapeHtml(
      lr === null ? 'no answer on this curve' : METHOD_MEANING[m],
    )}</td></tr>`;
  }).join('\n');

  const caveats =
    rec.caveats.length > 0
      ? `<ul>${rec.caveats.map((c) => `<li><strong>${escapeHtml(c.flag)}</strong>: ${escapeHtml(c.text)}</li>`).join('')}</ul>`
      : '<p class="ok">None: no caveat applies to this curve.</p>';

  const schedule = record.schedule;
  const run = [
    row('status', `${escapeHtml(record.status)}${record.statusDetail ? ` — ${escapeHtml(record.statusDetail)}` : ''}`),
    row('steps', `${record.points.length}${schedule.policy === 'range' ? ` of ${schedule.steps} planned` : ''}`),
    row('started', escapeHtml(record.startedAt)),
    ...(duration(record) ? [row('duration', duration(record) as string)] : []),
    row('run id', `<code>${escapeHtml(record.id)}</code>`),
    row('experiment', `<code>${escapeHtml(record.experiment.path)}</code>`),
    row('sha-256', `<code>${escapeHtml(record.experiment.sha256 || '—')}</code>`),
  ].join('\n');

  const env = record.environment;
  const environment = [
    row('backend', escapeHtml(env.backend)),
    row('library', escapeHtml(`tfjs ${env.libraryVersion}`)),
    row('runtime', escapeHtml(env.runtime)),
    row('threads', String(env.threads)),
    row('LR Scope', escapeHtml(env.lrscopeVersion)),
  ].join('\n');

  const optionRows = [
    ...(schedule.policy === 'range'
      ? [row('LR range', `${formatLr(schedule.startLr)} → ${formatLr(schedule.endLr)} over ${schedule.steps} steps (${schedule.mode})`)]
      : [row('schedule', optionValue(schedule))]),
    ...Object.entries(record.options)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => row(k, optionValue(v))),
  ].join('\n');

  const notes = record.notes?.length ? `<h2>Notes</h2><ul>${record.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  const generated = (options.generatedAt ?? new Date()).toISOString();

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>LR range test — ${escapeHtml(label)} — LR Scope</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>LR range test</h1>
<p class="sub">${escapeHtml(label)}</p>
${verdict}
<figure>
${chart}
<figcaption>${legend(analysis.stopRule.beta)}</figcaption>
</figure>
<h2>Suggestions</h2>
<table>
<thead><tr><th>method</th><th>learning rate</th><th>what it is</th></tr></thead>
<tbody>
${suggestions}
</tbody>
</table>
<h2>Caveats</h2>
${caveats}
<h2>Run</h2>
<table><tbody>
${run}
</tbody></table>
<h2>Environment</h2>
<table><tbody>
${environment}
</tbody></table>
<h2>Options</h2>
<table><tbody>
${optionRows}
</tbody></table>
${notes}
<details><summary>The whole reading</summary><p>${escapeHtml(rec.message)}</p></details>
<footer>Made by LR Scope ${escapeHtml(env.lrscopeVersion)} at ${escapeHtml(generated)} from run record <code>${escapeHtml(record.id)}</code>.</footer>
</main>
</body>
</html>
`;
}
