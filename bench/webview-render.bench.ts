// Rendering the panel in real Chromium (the webview harness: real CSP, the real bundle): the time from
// a host message to a drawn chart, measured inside the page (message dispatch, validation, analysis by
// the core, chart.js update and draw), median of 5 (of 3 at a million points).
//
// Cases: a range test of 10k, 100k and 1M points — a new run, the same state replayed, and the next 100
// points of the run streamed onto it (no divergence stop, so the analysed window keeps growing) — and the compare view overlaying 8 range tests of 20k points each (new,
// replayed, and 100 more points streamed to every curve). Prints figures only; nothing here asserts a
// time. SIZES=10000,100000 limits the range-test sizes, OVERLAY=8x20000 sets the overlay (0: none).
import { cpus, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { buildWebview, launchBrowser, openPanel, startHarness, type Panel } from '../test/webview/harness';
import { rangeTestPoints } from '../test/webview/harness/fixtures';

const SIZES = (process.env.SIZES ?? '10000,100000,1000000').split(',').filter(Boolean).map(Number);
const OVERLAY = /^(\d+)x(\d+)$/.exec(process.env.OVERLAY ?? '8x20000');
const REPEATS = 5;

export interface BenchFigure {
  name: string;
  ms: number;
  /** The fastest of the repeats: the least disturbed by other work on a shared machine. */
  fastestMs?: number;
}

interface Timing {
  total: number;
  phases: Record<string, number>;
}

/** A curve's columns, sent to the page once (a million point objects through Playwright is slow). */
interface Curve {
  lr: number[];
  loss: number[];
}

/** A range test of n + 100 points, split into the first n (the state) and the 100 streamed after them. */
function curve(n: number, seed: number, bestLog10 = -1.5): { head: Curve; tail: Curve } {
  const points = rangeTestPoints({ steps: n + 100, seed, bestLog10 });
  const columns = (from: number, to: number) => ({ lr: points.slice(from, to).map((p) => p.lr), loss: points.slice(from, to).map((p) => p.loss) });
  return { head: columns(0, n), tail: columns(n, n + 100) };
}

async function upload(panel: Panel, name: string, curves: Curve[]): Promise<void> {
  await panel.page.evaluate(([k, c]) => void ((window as unknown as Record<string, unknown>)[`__curves_${k}`] = c), [name, curves] as const);
}

/**
 * Page-side helper (plain JavaScript text: tsx would wrap named functions in helpers the page lacks):
 * builds host messages from uploaded curves, fresh objects each time, as a structured-clone delivery
 * gives. `w`: a new state of `w.kind` with runs `w.ids` (one per uploaded curve), or points appended.
 */
const MESSAGE_BUILDER = `window.__benchMessages = (w) => {
  const curves = window['__curves_' + w.curves];
  const pointsOf = (c) => c.lr.map((lr, i) => ({ step: w.stepsFrom + i, lr, loss: c.loss[i] }));
  const runOf = (id, c) => ({
    id,
    kind: 'range-test',
    label: id + ': ' + c.lr.length + ' points',
    status: 'running',
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 10, steps: w.planned },
    totalSteps: w.planned,
    // No divergence stop: the analysed window grows with every streamed point (the costly case).
    divergeFactor: null,
    points: pointsOf(c),
    epochs: [],
  });
  const schedule = { flavor: 'pytorch', framework: 'pytorch', epochs: 5, stepsPerEpoch: 100 };
  if (w.type === 'points') return w.ids.map((runId, k) => ({ type: 'points', runId, points: pointsOf(curves[k]) }));
  if (w.kind === 'range-test') return [{ type: 'state', state: { view: 'range-test', run: runOf(w.ids[0], curves[0]), schedule } }];
  return [{ type: 'state', state: { view: 'compare', runs: w.ids.map((id, k) => runOf(id, curves[k])) } }];
};`;

interface What {
  type: 'state' | 'points';
  kind: 'range-test' | 'compare';
  curves: string;
  ids: string[];
  stepsFrom: number;
  planned: number;
}

/** Builds the messages (untimed), then dispatches them and renders, timed; returns the render's phases too. */
function timed(panel: Panel, what: What): Promise<Timing> {
  return panel.page.evaluate((w) => {
    const messages = (window as unknown as { __benchMessages(w: unknown): unknown[] }).__benchMessages(w);
    const deliver = (window as unknown as { __deliver(m: unknown[]): void }).__deliver;
    const t0 = performance.now();
    deliver(messages);
    window.lrscopeDebug!.flush();
    return { total: performance.now() - t0, phases: window.lrscopeDebug!.lastRender() };
  }, what);
}

const PHASES = ['build', 'analysis', 'chart', 'text', 'schedule'] as const;

function summary(ts: Timing[]): string {
  return PHASES.filter((p) => ts.some((t) => p in t.phases))
    .map((p) => `${p} ${median(ts.map((t) => t.phases[p] ?? 0)).toFixed(1)}`)
    .join(', ');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** CPU reference: a fixed loop in the page (~10 ms on an idle 2020s laptop core); every figure scales with it. */
function reference(panel: Panel): Promise<number> {
  return panel.page.evaluate(() => {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      let acc = 0;
      for (let i = 0; i < 1e7; i++) acc += i * 1e-9;
      times.push(performance.now() - t0 + (acc < 0 ? 1 : 0));
    }
    return times.sort((a, b) => a - b)[2]!;
  });
}

/** New state, the same state replayed, +100 points per run: `repeats` times after one warm-up round. */
async function measure(panel: Panel, kind: 'range-test' | 'compare', n: number, runs: number, repeats: number, figures: BenchFigure[], what: string): Promise<void> {
  const first: Timing[] = [];
  const replay: Timing[] = [];
  const stream: Timing[] = [];
  for (let r = 0; r <= repeats; r++) {
    const ids = Array.from({ length: runs }, (_, k) => `run-${r}-${k}`);
    const planned = n + 100;
    // A new run: the view is built, the core analyses n points per run, chart.js draws them.
    const a = await timed(panel, { type: 'state', kind, curves: 'main', ids, stepsFrom: 0, planned });
    // The same state replayed (panel visible again): analysis + chart update.
    const b = await timed(panel, { type: 'state', kind, curves: 'main', ids, stepsFrom: 0, planned });
    // Streaming: 100 more points for each run, one coalesced render.
    const c = await timed(panel, { type: 'points', kind, curves: 'more', ids, stepsFrom: n, planned });
    if (r > 0) {
      // r = 0 warms up the JIT
      first.push(a);
      replay.push(b);
      stream.push(c);
    }
  }
  const cases: [string, Timing[]][] = [
    [`new ${what}: message → drawn`, first],
    [`state replay of ${what}`, replay],
    [`+100 streamed points${runs > 1 ? ' per curve' : ''} on ${what}`, stream],
  ];
  for (const [text, ts] of cases) {
    const name = `${kind} view, ${text} (median of ${repeats})`;
    figures.push({ name, ms: median(ts.map((t) => t.total)), fastestMs: Math.min(...ts.map((t) => t.total)) });
    console.log(`  ${name} phases, ms: ${summary(ts)}`);
  }
}

/** Runs the benchmark, prints one line per figure, and returns the figures. */
export async function run(): Promise<BenchFigure[]> {
  const bundle = await buildWebview();
  const harness = await startHarness(bundle.file);
  let browser: Browser | undefined;
  const figures: BenchFigure[] = [];
  const cases: { kind: 'range-test' | 'compare'; n: number; runs: number }[] = SIZES.map((n) => ({ kind: 'range-test', n, runs: 1 }));
  if (OVERLAY && Number(OVERLAY[1]) > 0) cases.push({ kind: 'compare', n: Number(OVERLAY[2]), runs: Number(OVERLAY[1]) });
  try {
    browser = await launchBrowser();
    for (const { kind, n, runs } of cases) {
      const panel = await openPanel(browser, harness, { viewport: { width: 1200, height: 900 } });
      figures.push({ name: `CPU reference: 1e7 multiply-adds in the page (median of 5)`, ms: await reference(panel) });
      await panel.page.evaluate(MESSAGE_BUILDER);
      const curves = Array.from({ length: runs }, (_, k) => curve(n, 3 + k, -1.5 - 0.1 * k));
      await upload(panel, 'main', curves.map((c) => c.head));
      await upload(panel, 'more', curves.map((c) => c.tail));
      const what = runs > 1 ? `${runs} curves of ${n} points` : `${n} points`;
      await measure(panel, kind, n, runs, n >= 1_000_000 ? 3 : REPEATS, figures, what);
      const problems = panel.problems();
      if (problems.length) console.warn(problems.join('\n'));
      await panel.close();
    }
  } finally {
    await browser?.close();
    await harness.close();
    bundle.dispose();
  }
  for (const f of figures) console.log(`${f.name}: ${f.ms.toFixed(1)} ms${f.fastestMs !== undefined ? ` (fastest ${f.fastestMs.toFixed(1)})` : ''}`);
  console.log(`(load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  return figures;
}

if (require.main === module) void run();
