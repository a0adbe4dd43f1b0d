// Restricted Mode (the workspace is not trusted): the bundled example runs, the workspace's own experiment is refused.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

module.exports = async function (h) {
  const { check, until, records, runCommand, openFile, webview, shot, found, workspace, page } = h;

  await check('the workspace is in Restricted Mode', ['workbench'], async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30000 });
    found.restricted = true;
  });

  await check('"Run Range Test on Example" runs in Restricted Mode (the example is LR Scope\'s own)', ['restricted'], async () => {
    await runCommand('LR Scope: Run Range Test on Example');
    const wv = webview();
    await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
    await wv.locator('#recommendation', { hasText: /\d\.\de[-+]\d/ }).waitFor();
    const record = await until('the example\'s record', () => records().find((r) => r.experiment.path.endsWith(path.join('examples', 'digits.experiment.ts')) && r.status !== 'running'));
    assert.match(record.status, /^(completed|diverged)$/);
    assert.match(record.environment.backend, /^(wasm|cpu)$/, 'LR Scope\'s own backends');
    console.log(`     ${path.basename(record.file)}: ${record.status} on ${record.environment.backend}, ${record.points.length} points`);
    await page.mouse.move(0, 0);
    await shot('example-restricted.png', { light: true });
  });

  await check('"Run Range Test" on the workspace\'s experiment is refused with the trust message', ['restricted'], async () => {
    const file = path.join(workspace, 'mine.experiment.ts');
    fs.writeFileSync(file, fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'template.experiment.ts'), 'utf8'));
    await openFile('mine.experiment.ts');
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('LR Scope: Run Range Test');
    // (fade-in-done: the toast has finished sliding in, for the screenshot)
    const toast = page.locator('.notifications-toasts .notification-fade-in-done', { hasText: 'LR Scope cannot run a range test in Restricted Mode' }).first();
    await toast.waitFor({ timeout: 30000 });
    assert.match(await toast.textContent(), /running an experiment executes this workspace's code/);
    await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Manage Workspace Trust' }).first().waitFor();
    await page.mouse.move(0, 0);
    await shot('restricted-refusal.png', { light: true, keepToasts: true });
    assert.ok(!records().some((r) => r.experiment.path === file), 'nothing ran');
  });
};
