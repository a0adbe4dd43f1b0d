// The Runs view groups runs by experiment, with readable rows, and Re-run repeats a run with the same options.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

module.exports = async function (h) {
  const { check, until, records, webview, lens, shot, found, workspace, page } = h;
  const file = path.join(workspace, 'blobs.experiment.ts');
  const blobRuns = () => records().filter((r) => r.experiment.path === file && r.status !== 'running');
  const view = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'LR Scope Runs' }) });

  await check('the Runs view shows a group per experiment with readable rows', ['workbench'], async () => {
    const before = blobRuns().length;
    // from the explorer (whatever an earlier journey left open or focused)
    await page.keyboard.press('Escape');
    await page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: /^blobs\.experiment\.ts$/ }) }).first().click();
    await page.locator('.tab.active', { hasText: 'blobs.experiment.ts' }).first().waitFor();
    await lens('▶ Range test').first().click();
    await webview().locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
    await until('the blobs run saved', () => blobRuns().length > before);
    // the view, in the explorer
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('>Focus on LR Scope Runs View');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Focus on LR Scope Runs View' }).first().click();
    const group = view().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^blobs$/ }) }).first();
    await group.waitFor({ timeout: 30000 });
    const groupText = (await group.textContent()).trim();
    console.log(`     group: ${groupText}`);
    assert.match(groupText, new RegExp(`blobs\\s*blobs\\.experiment\\.ts · ${blobRuns().length} runs?$`));
    const row = view().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^range test · lr \d\.\de[-+]\d+$/ }) }).first();
    await row.waitFor();
    const rowText = (await row.textContent()).trim();
    console.log(`     row: ${rowText}`);
    assert.match(rowText, /^range test · lr \d\.\de[-+]\d+\s*(completed|diverged) · (just now|\d+ min ago) · (wasm|cpu|tensorflow)$/);
    assert.equal(await row.getAttribute('aria-level'), '2', 'the run sits under its group');
    found.runsView = true;
  });

  await check('Re-run repeats the run: the same experiment, the same options, a new record', ['runsView'], async () => {
    const runs = blobRuns().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const last = runs[0];
    const row = view().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^range test · / }) }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Re-run (same options)"]').click();
    await webview().locator('#run-status', { hasText: /^running/ }).waitFor({ timeout: 60000 }).catch(() => {});
    const again = await until('the re-run saved', () => blobRuns().find((r) => !runs.some((o) => o.id === r.id)), 180000);
    assert.notEqual(again.id, last.id);
    assert.deepEqual(again.options, last.options, 'same options');
    assert.equal(again.environment.backend, last.environment.backend, 'same backend');
    assert.deepEqual(again.schedule, last.schedule);
    assert.deepEqual(again.points.slice(0, 5), last.points.slice(0, 5), 'seeded: the same first steps');
    console.log(`     ${path.basename(again.file)}: ${again.status}, ${again.points.length} points (was ${last.points.length})`);
    const group = view().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^blobs$/ }) }).first();
    await until('the group counts the new run', async () => (await group.textContent()).includes(`${blobRuns().length} runs`));
    // For the picture: a wider side bar, the folder's section folded so the view has the room, the
    // pointer on the newest run (its inline actions show); put back afterwards.
    const folder = page.locator('.pane-header', { hasText: /^\s*ws\s*$/i }).first();
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    const drag = async (from, to) => {
      await page.mouse.move(from, 400);
      await page.mouse.down();
      await page.mouse.move(to, 400, { steps: 8 });
      await page.mouse.up();
    };
    await folder.click();
    await drag(sidebar.x + sidebar.width, sidebar.x + 600);
    await h.runCommand('Notifications: Clear All Notifications');
    const newest = view().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^range test · / }) }).first();
    await newest.click();
    await newest.hover();
    await newest.locator('.action-label[aria-label="Re-run (same options)"]').waitFor();
    await shot('runs-view.png', { light: true, keepToasts: true });
    await drag(sidebar.x + 600, sidebar.x + sidebar.width);
    await folder.click();
    await page.mouse.move(0, 0);
  });
};
