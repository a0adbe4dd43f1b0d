/**
 * The range-test chart in real Chromium behind the real CSP: "Clip y" holds on every draw (a saved
 * run drawn once, a theme change, a resize); a suggestion can be taken as the pick; the chart takes
 * the keyboard (arrow keys move the pick).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage, RunSnapshot } from '../../src/protocol/webview';
import { allProblems, buildWebview, launchBrowser, openPanel, startHarness, type Harness, type OpenOptions, type Panel } from './harness';
import { rangeRun, rangeTestPoints, SCHEDULE_DEFAULTS } from './harness/fixtures';

let browser: Browser;
let harness: Harness;
let disposeBundle: () => void;
const open: Panel[] = [];

before(async () => {
  const bundle = await buildWebview();
  disposeBundle = bundle.dispose;
  harness = await startHarness(bundle.file);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await harness?.close();
  disposeBundle?.();
});

afterEach(async () => {
  const problems: string[] = [];
  for (const panel of open.splice(0)) {
    problems.push(...(await allProblems(panel)));
    await panel.close();
  }
  assert.deepEqual(problems, []);
});

/** A saved run (completed), with a spike of 25 at step 3 that an unclipped axis must show. */
const savedRun = (): RunSnapshot => rangeRun('saved', 'mnist-mlp', rangeTestPoints({ spike: 25 }));

async function show(run: RunSnapshot, options: OpenOptions = {}): Promise<Panel> {
  const p = await openPanel(browser, harness, options);
  open.push(p);
  await p.deliver({ type: 'state', state: { view: 'range-test', run, schedule: { ...SCHEDULE_DEFAULTS } } } satisfies HostMessage);
  await p.flush();
  return p;
}

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
});
