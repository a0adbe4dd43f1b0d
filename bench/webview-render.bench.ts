// Rendering the range-test view in real Chromium (the webview harness: real CSP, the real bundle):
// the time from a host message to a drawn chart, for 10k and 50k points. Measured inside the page
// (message dispatch, validation, analysis by the core, chart.js update and draw), median of 5.
// Prints figures only; nothing here asserts a time. SIZES=10000 limits the sizes measured.
import { cpus, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import type { HostMessage, RunSnapshot } from '../src/protocol/webview';
import { buildWebview, launchBrowser, openPanel, startHarness, type Panel } from '../test/webview/harness';
import { rangeTestPoints } from '../test/webview/harness/fixtures';

const SIZES = (process.env.SIZES ?? "10000,50000").split(",").map(Number);
const REPEATS = 5;

export interface BenchFigure {
  name: string;
  ms: number;
}

function run10k(id: string, n: number, status: RunSnapshot['status']): RunSnapshot {
  return {
    id,
    kind: 'range-test',
    label: `${n} points`,
    status,
    schedule: { policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 10, steps: n + 100 },
    totalSteps: n + 100,
    points: rangeTestPoints({ steps: n, seed: 3 }),
    epochs: [],
  };
}

interface Timing {
  total: number;
  phases: Record<string, number>;
}

/** Dispatches host messages and renders, timed inside the page, with the render's phases. */
function timed(panel: Panel, messages: HostMessage[]): Promise<Timing> {
  return panel.page.evaluate((m) => {
    const w = window as unknown as { __deliver(m: unknown[]): void };
    const t0 = performance.now();
    w.__deliver(m);
    window.lrscopeDebug!.flush();
    return { total: performance.now() - t0, phases: window.lrscopeDebug!.lastRender() };
  }, messages);
}

const PHASES = ['build', 'analysis', 'chart', 'text', 'schedule'] as const;

function summary(ts: Timing[]): string {
  return PHASES.map((p) => `${p} ${median(ts.map((t) => t.phases[p] ?? 0)).toFixed(1)}`).join(', ');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Runs the benchmark, prints one line per figure, and returns the figures. */
export async function run(): Promise<BenchFigure[]> {
  const bundle = await buildWebview();
  const harness = await startHarness(bundle.file);
  let browser: Browser | undefined;
  const figures: BenchFigure[] = [];
  try {
    browser = await launchBrowser();
    for (const n of SIZES) {
      const panel = await openPanel(browser, harness, { viewport: { width: 1200, height: 900 } });
      // CPU reference: a fixed loop in the same page (~10 ms on an idle 2020s laptop core). On a
      // shared machine every figure below scales with it.
      const reference = await panel.page.evaluate(() => {
        const times: number[] = [];
        for (let r = 0; r < 5; r++) {
          const t0 = performance.now();
          let acc = 0;
          for (let i = 0; i < 1e7; i++) acc += i * 1e-9;
          times.push(performance.now() - t0 + (acc < 0 ? 1 : 0));
        }
        return times.sort((a, b) => a - b)[2]!;
      });
      figures.push({ name: `CPU reference: 1e7 multiply-adds in the page (median of 5)`, ms: reference });
      const schedule = { flavor: 'pytorch', framework: 'pytorch', epochs: 5, stepsPerEpoch: 100 } as const;
      const first: Timing[] = [];
      const replay: Timing[] = [];
      const stream: Timing[] = [];
      for (let r = 0; r <= REPEATS; r++) {
        const run = run10k(`run-${r}`, n, 'running');
        // A new run: the view is built, the core analyses n points, chart.js draws them.
        const a = await timed(panel, [{ type: 'state', state: { view: 'range-test', run, schedule } }]);
        // The same state replayed (panel visible again): analysis + chart update.
        const b = await timed(panel, [{ type: 'state', state: { view: 'range-test', run: { ...run, points: [...run.points] }, schedule } }]);
        // Streaming: 100 more points appended, one coalesced render of n + 100 points.
        const more = rangeTestPoints({ steps: 100, seed: 4 }).map((p, i) => ({ ...p, step: n + i, lr: 10 * (1 + i / 1000) }));
        const c = await timed(panel, [{ type: 'points', runId: `run-${r}`, points: more }]);
        if (r > 0) {
          // r = 0 warms up the JIT
          first.push(a);
          replay.push(b);
          stream.push(c);
        }
      }
      const cases: [string, Timing[]][] = [
        [`new run of ${n} points: message → drawn`, first],
        [`state replay of ${n} points`, replay],
        [`+100 streamed points on ${n}`, stream],
      ];
      for (const [what, ts] of cases) {
        const name = `range-test view, ${what} (median of ${REPEATS})`;
        figures.push({ name, ms: median(ts.map((t) => t.total)) });
        console.log(`  ${name} phases, ms: ${summary(ts)}`);
      }
      const problems = panel.problems();
      if (problems.length) console.warn(problems.join('\n'));
      await panel.close();
    }
  } finally {
    await browser?.close();
    await harness.close();
    bundle.dispose();
  }
  for (const f of figures) console.log(`${f.name}: ${f.ms.toFixed(1)} ms`);
  console.log(`(load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  return figures;
}

if (require.main === module) void run();
