/**
 * The range-test chart in real Chromium behind the real CSP: "Clip y" holds on every draw (a saved
 * run drawn once, a theme change, a resize); a suggestion can be taken as the pick; the chart takes
 * the keyboard (arrow keys move the pick).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRangeTest, formatLr, roundLr } from '../../src/core/analysis';
import { isWebviewMessage, type HostMessage, type RunSnapshot, type WebviewMessage } from '../../src/protocol/webview';
import { panelSuite, type OpenOptions, type Panel } from './harness';
import { rangeRun, rangeTestPoints, SCHEDULE_DEFAULTS } from './harness/fixtures';

const suite = panelSuite();

/** A saved run (completed), with a spike of 25 at step 3 that an unclipped axis must show. */
const savedRun = (): RunSnapshot => rangeRun('saved', 'mnist-mlp', rangeTestPoints({ spike: 25 }));

async function show(run: RunSnapshot, options: OpenOptions = {}): Promise<Panel> {
  const p = await suite.open(options);
  await p.deliver({ type: 'state', state: { view: 'range-test', run, schedule: { ...SCHEDULE_DEFAULTS } } } satisfies HostMessage);
  await p.flush();
  return p;
}

const lastPick = async (p: Panel) => (await p.posted()).filter((m): m is Extract<WebviewMessage, { type: 'pick' }> => m.type === 'pick').pop();
const yOf = (p: Panel) => p.page.evaluate(() => window.lrscopeDebug!.charts().range!.y);
const clipped = (y: { min: number; max: number }) => y.max > 2.2 && y.max < 5;

describe('the range-test chart', () => {
  test('"Clip y" holds on every draw: a saved run drawn once, after a theme change, after resizes', async () => {
    const p = await show(savedRun(), { uiState: { clip: true } });
    assert.equal(await p.page.isChecked('#clip'), true);
    assert.ok(clipped(await yOf(p)), `saved run: ${JSON.stringify(await yOf(p))}`);

    await p.setTheme('light');
    await p.page.waitForFunction(() => window.lrscopeDebug!.charts().range!.renders > 1);
    await p.flush();
    assert.ok(clipped(await yOf(p)), `after a theme change: ${JSON.stringify(await yOf(p))}`);

    for (const viewport of [{ width: 600, height: 700 }, { width: 1200, height: 900 }]) {
      await p.page.setViewportSize(viewport);
      await p.page.waitForFunction((w) => Math.abs(window.lrscopeDebug!.charts().range!.boxWidth - window.lrscopeDebug!.charts().range!.width) <= 1 && window.lrscopeDebug!.charts().range!.width < w, viewport.width);
      await p.flush();
      assert.ok(clipped(await yOf(p)), `after a resize to ${viewport.width}: ${JSON.stringify(await yOf(p))}`);
    }

    await p.page.click('#clip');
    await p.flush();
    assert.ok((await yOf(p)).max >= 25, 'unclipped, the spike shows');
    await p.setTheme('dark');
    await p.page.waitForFunction(() => window.lrscopeDebug!.charts().range!.renders > 0);
    await p.flush();
    assert.ok((await yOf(p)).max >= 25, 'still unclipped after a theme change');
  });

  test('a suggestion is a button: clicking it takes that LR as the pick, the schedule follows', async () => {
    const run = savedRun();
    const analysis = analyzeRangeTest(run.points, { requestedSteps: 200 });
    const p = await show(run);
    for (const method of ['steep', 'minimum'] as const) {
      const lr = analysis.suggestions[method]!;
      assert.notEqual(lr, null);
      await p.page.click(`#suggestions li[data-method="${method}"] button`);
      await p.flush();
      assert.deepEqual(await lastPick(p), { type: 'pick', runId: 'saved', lr });
      assert.equal(await p.page.innerText('#picked'), `Picked LR: ${formatLr(lr)} use the recommendation`);
      assert.equal(Number(await p.page.getAttribute('#picked', 'data-lr')), lr);
      assert.equal(Number(await p.page.inputValue('#max-lr')), roundLr(lr));
      assert.equal(await p.page.textContent('#max-lr-note'), 'picked on the curve');
      const vline = await p.page.evaluate(() => window.lrscopeDebug!.charts().range!.datasets.length);
      assert.ok(vline > 0);
    }
    // Keyboard users reach them too: a suggestion button takes Enter.
    await p.page.focus('#suggestions li[data-method="valley"] button');
    await p.page.keyboard.press('Enter');
    await p.flush();
    assert.equal((await lastPick(p))?.lr, analysis.suggestions.valley);
  });

  test('the chart is focusable; the arrow keys move the pick (Shift: ten times as far), Home/End go to the ends', async () => {
    const run = savedRun();
    const rec = analyzeRangeTest(run.points, { requestedSteps: 200 }).recommendation.lr!;
    const p = await show(run);
    await p.page.focus('#range-chart');
    assert.equal(await p.page.evaluate(() => document.activeElement?.id), 'range-chart');
    assert.equal(await p.page.getAttribute('#range-chart', 'tabindex'), '0');
    assert.equal(await p.page.getAttribute('#range-chart', 'aria-valuetext'), `recommended ${formatLr(rec)}`);
    const posted = (await p.posted()).length;

    // From the recommendation, one step right: a hundredth of the 7 decades plotted, two digits kept.
    await p.page.keyboard.press('ArrowRight');
    await p.flush();
    const first = (await lastPick(p))!.lr!;
    assert.ok(first > rec * 10 ** 0.02 && first < rec * 10 ** 0.12, `${first} one step above ${rec}`);
    assert.equal(await p.page.getAttribute('#range-chart', 'aria-valuetext'), `picked ${formatLr(first)}`);
    assert.equal(Number(await p.page.getAttribute('#picked', 'data-lr')), first);

    // Steps never stall on the rounding: ten presses left move ten times.
    const seen = new Set<number>([first]);
    for (let k = 0; k < 10; k++) {
      await p.page.keyboard.press('ArrowLeft');
      seen.add((await lastPick(p))!.lr!);
    }
    assert.equal(seen.size, 11);
    const low = (await lastPick(p))!.lr!;
    assert.ok(low < first);

    await p.page.keyboard.press('Shift+ArrowUp');
    const big = (await lastPick(p))!.lr!;
    assert.ok(Math.abs(Math.log10(big / low) - 0.7) < 0.05, `Shift+↑ moved ${Math.log10(big / low)} decades`);

    await p.page.keyboard.press('End');
    assert.equal((await lastPick(p))!.lr, 10);
    await p.page.keyboard.press('ArrowRight');
    assert.equal((await lastPick(p))!.lr, 10, 'the pick stays in the plotted range');
    await p.page.keyboard.press('Home');
    assert.equal((await lastPick(p))!.lr, 1e-6);
    await p.flush();
    assert.equal(Number(await p.page.inputValue('#max-lr')), 1e-6);

    // Every key posted a valid pick message; other keys post nothing.
    const picks = (await p.posted()).slice(posted);
    assert.equal(picks.length, 15);
    assert.ok(picks.every((m) => m.type === 'pick' && isWebviewMessage(m)));
    await p.page.keyboard.press('a');
    assert.equal((await p.posted()).length, posted + 15);
  });
});
