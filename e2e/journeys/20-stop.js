// Stop cancels a running range test and keeps the partial run.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const { spawnSync } = require('child_process');

module.exports = async function (h) {
  const { check, until, records, formatLr, runCommand, openFile, editorText, webview, lens, shot, found, workspace, sleep, page } = h;
  await check('Stop cancels a running range test and keeps the partial run as cancelled', ['workbench'], async () => {
    await openFile('wide.experiment.ts');
    await lens('▶ Range test').first().click();
    const wv = webview();
    await wv.locator('#run-status', { hasText: /^running · [1-9]/ }).waitFor({ timeout: 120000 });
    await wv.locator('#stop').click();
    await wv.locator('#run-status', { hasText: /^cancelled/ }).waitFor({ timeout: 60000 });
    const record = await until('the cancelled record of wide.experiment.ts', () =>
      records().find((r) => r.experiment.path === path.join(workspace, 'wide.experiment.ts') && r.status === 'cancelled'),
    );
    assert.ok(record.points.length >= 1 && record.points.length < 100, `${record.points.length} of 100 points kept`);
    console.log(`     ${path.basename(record.file)}: cancelled after ${record.points.length} steps (${record.statusDetail || ''})`);
    // The experiment's CodeLenses now show that last run.
    await page.locator('.tab', { hasText: 'wide.experiment.ts' }).first().click();
    const last = lens('last: ').first();
    await last.waitFor();
    console.log(`     lens: ${await last.textContent()}`);
    assert.match(await last.textContent(), /^last: .*(cancelled|\(\w+\)), (just now|\d+ min ago)$/);
  });
};
