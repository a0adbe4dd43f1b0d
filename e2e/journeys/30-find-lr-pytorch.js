// "▶ Find LR" runs the range test on the PyTorch script itself through the probe.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const { spawnSync } = require('child_process');

module.exports = async function (h) {
  const { check, until, records, formatLr, runCommand, openFile, editorText, webview, lens, shot, found, workspace, sleep, page } = h;
  await check('"▶ Find LR (run this script)" runs the range test on train.py itself; its lens then uses the new LR', ['workbench'], async () => {
    const script = path.join(workspace, 'train.py');
    // The script's own tab (the panel's tab is "LR Scope: train.py").
    const tab = page.locator('.tab').filter({ has: page.locator('.label-name', { hasText: /^train\.py$/ }) }).first();
    if ((await tab.count()) > 0) await tab.click();
    else await openFile('train.py');
    await lens('▶ Find LR (run this script)').first().click();
    // The command saves the script first when it has unsaved edits: compare with the saved text.
    const before = await until('train.py saved', async () => ((await page.locator('.tab.dirty', { hasText: 'train.py' }).count()) === 0 ? fs.readFileSync(script, 'utf8') : null));
    const wv = webview();
    await wv.locator('#title', { hasText: 'train.py' }).waitFor({ timeout: 120000 });
    await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
    await wv.locator('#recommendation', { hasText: /\d\.\de[-+]\d/ }).waitFor();
    const painted = await h.painted(wv.locator('#range-chart'));
    assert.ok(painted > 2000, `the curve is drawn (painted pixels: ${painted})`);
    console.log(`     ${await wv.locator('#run-status').textContent()}`);
    console.log(`     ${await wv.locator('#recommendation').textContent()}`);
    const record = await until('a finished PyTorch record of train.py', () =>
      records().find((r) => r.kind === 'range-test' && r.experiment.path === script && r.status !== 'running'),
    );
    assert.equal(record.environment.backend, 'pytorch');
    assert.match(record.status, /^(completed|diverged)$/);
    assert.equal(typeof record.recommendation.lr, 'number', record.recommendation.message);
    assert.equal(fs.readFileSync(script, 'utf8'), before, 'the script is not modified by probing');
    console.log(`     ${path.basename(record.file)}: ${record.status}, ${record.points.length} points, torch ${record.environment.libraryVersion}, recommended ${record.recommendation.lr}`);
    await sleep(500); // the last coalesced chart update
    await shot('pytorch-find-lr.png');
    // The script's lens now carries its own recommendation (insert, update, or "matches").
    await tab.click();
    const lr = formatLr(record.recommendation.lr);
    const tuned = page.locator('.monaco-editor .codelens-decoration a', { hasText: new RegExp(`(max_lr=|max_lr to |recommendation \\()${lr.replace(/[.+-]/g, '\\$&')}`) });
    await tuned.first().waitFor({ timeout: 30000 });
    console.log(`     lens: ${await tuned.first().textContent()}`);
  });
};
