// A weight-decay sweep on an experiment from the editor: one range test per value, one after another,
// each an ordinary run record tagged with the sweep, overlaid in the panel labelled by value.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

module.exports = async function (h) {
  const { check, until, records, runCommand, openFile, webview, shot, workspace, page } = h;
  await check('Range Test Sweep… overlays one range test per weight decay, labelled by value, with Smith\'s reading', ['workbench'], async () => {
    // a range up to 1e3 so that the loss blows up within it (workspace settings, removed at the end)
    const settings = path.join(workspace, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'lrScope.rangeTest.endLr': 1000 }));
    await h.sleep(1500);
    await openFile('blobs.experiment.ts');
    await runCommand('LR Scope: Range Test Sweep…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Weight decay' }).first().click();
    await until('the values input box', async () => (await input.inputValue()) === '0, 1e-4, 1e-3');
    await input.fill('0, 1e-3, 3e-2');
    await page.keyboard.press('Enter');
    const wv = webview();
    // the experiment's own name (its `name` field) once, in the title
    await wv.locator('#compare-title', { hasText: /^synthetic blobs \(MLP\): weight decay sweep$/ }).waitFor({ timeout: 240000 });
    const rows = wv.locator('#compare-table tbody tr');
    assert.equal(await rows.count(), 3);
    const labels = await rows.locator('td:first-child').allTextContents();
    assert.deepEqual(labels.map((l) => l.split(' ')[0]), ['wd=0', 'wd=1e-3', 'wd=0.03']);
    const legend = await wv.locator('#compare-chart').evaluate(() => window.lrscopeDebug.charts().compare.datasets.filter((d) => d.points > 1).map((d) => d.label));
    assert.deepEqual(legend, ['wd=0', 'wd=1e-3', 'wd=0.03']);
    const reading = await wv.locator('#sweep-reading').textContent();
    assert.match(reading, /lowest loss|lower loss|loss to compare/);
    assert.match(reading, /largest LR|larger LR|diverged/);
    console.log(`     reading: ${reading}`);
    const tagged = await until('three records of one sweep', () => {
      const mine = records().filter((r) => r.experiment.path === path.join(workspace, 'blobs.experiment.ts') && r.options.sweep && r.status !== 'running');
      const ids = new Set(mine.map((r) => r.options.sweep.id));
      return mine.length === 3 && ids.size === 1 ? mine : null;
    });
    assert.deepEqual(tagged.map((r) => r.options.weightDecay ?? 0).sort(), [0, 0.001, 0.03]);
    await shot('sweep-compare.png', { light: true });
    fs.rmSync(path.dirname(settings), { recursive: true, force: true });
  });
};
