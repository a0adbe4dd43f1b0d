// New Experiment in a workspace without @tensorflow/tfjs: the file opens from the template with its types
// set up (no error squiggles: the real TypeScript server decides), its ▶ Range test lens runs it; an
// experiment importing a module not mapped yet gets the quick fix, which clears its squiggle.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

module.exports = async function (h) {
  const { check, until, records, runCommand, openFile, editorText, webview, lens, shot, found, workspace, page } = h;
  const file = path.join(workspace, 'fresh-mlp.experiment.ts');
  const squiggles = () => page.locator('.editor-group-container.active .monaco-editor .squiggly-error');

  await check('New Experiment writes the template and, on the user\'s word, the types it needs', ['workbench'], async () => {
    assert.ok(!fs.existsSync(path.join(workspace, 'node_modules', '@tensorflow', 'tfjs')), 'the workspace has no @tensorflow/tfjs');
    assert.ok(!fs.existsSync(path.join(workspace, 'tsconfig.json')), 'nor a tsconfig.json');
    await runCommand('LR Scope: New Experiment');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('fresh-mlp');
    await page.keyboard.press('Enter');
    const setUp = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Set up types' }).first();
    await setUp.waitFor({ state: 'visible' });
    console.log(`     offered: ${(await setUp.textContent()).trim()}`);
    await setUp.click();
    await page.locator('.tab.active', { hasText: 'fresh-mlp.experiment.ts' }).waitFor();
    const template = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'template.experiment.ts'), 'utf8');
    assert.equal(fs.readFileSync(file, 'utf8'), template.replace("name: 'my model'", "name: 'fresh-mlp'"));
    const config = fs.readFileSync(path.join(workspace, 'tsconfig.json'), 'utf8');
    assert.match(config, /"@tensorflow\/tfjs": \[\s*"\.\/\.lrscope\/types\/tfjs\.d\.ts"\s*\]/);
    assert.ok(fs.statSync(path.join(workspace, '.lrscope', 'types', 'tfjs.d.ts')).size > 10000);
    found.newExperiment = true;
  });

  await check('the new experiment has no error squiggles: the TypeScript server resolves @tensorflow/tfjs to the declarations', ['newExperiment'], async () => {
    // The server is at work on this file when a wrong line gets its squiggle (a Tensor is no number:
    // tf's types are resolved), and the file has none once the line is undone.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    // one edit (no auto-closed brackets, no suggestions), so one undo takes it back
    await page.keyboard.insertText('\nexport const wrong: number = tf.zeros([1]);');
    await until('a squiggle under the wrong line', async () => (await squiggles().count()) > 0, 120000);
    const tab = page.locator('.tab.active', { hasText: 'fresh-mlp.experiment.ts' });
    for (let i = 0; i < 10 && /\bdirty\b/.test((await tab.getAttribute('class')) || ''); i++) {
      await page.keyboard.press('Control+Z');
      await h.sleep(200);
    }
    await page.locator('.tab.active:not(.dirty)', { hasText: 'fresh-mlp.experiment.ts' }).waitFor();
    assert.ok(!(await editorText()).includes('wrong'), 'the template back as it was');
    await until('no squiggle left', async () => (await squiggles().count()) === 0, 60000);
    // hover over tf.sequential: the shipped declaration answers
    await page.locator('.editor-group-container.active .view-line span', { hasText: 'sequential' }).first().hover();
    const hoverText = await page.locator('.monaco-hover-content', { hasText: 'sequential(' }).first().textContent({ timeout: 30000 });
    console.log(`     hover: ${hoverText.replace(/\s+/g, ' ').slice(0, 100)}`);
    assert.match(hoverText, /sequential\(config\?: \{/);
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await shot('new-experiment.png', { light: true });
    found.noSquiggles = true;
  });

  await check('its ▶ Range test lens runs the new experiment as it is', ['noSquiggles'], async () => {
    await lens('▶ Range test').first().click();
    const wv = webview();
    await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
    const record = await until('the record of fresh-mlp.experiment.ts', () => records().find((r) => r.experiment.path === file && r.status !== 'running'));
    assert.match(record.status, /^(completed|diverged)$/);
    assert.equal(record.experiment.label, 'fresh-mlp');
    assert.ok(record.points.length >= 10, `${record.points.length} points`);
    console.log(`     ${path.basename(record.file)}: ${record.status}, ${record.points.length} points, recommended ${record.recommendation && record.recommendation.lr}`);
  });

  await check('"Cannot find module \'@tensorflow/tfjs-node\'" gets the quick fix, which maps it in tsconfig.json and clears the squiggle', ['newExperiment'], async () => {
    const nodeFile = path.join(workspace, 'node-flavour.experiment.ts');
    const template = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'template.experiment.ts'), 'utf8');
    fs.writeFileSync(nodeFile, template.replace("from '@tensorflow/tfjs'", "from '@tensorflow/tfjs-node'"));
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Close Editors in Other Groups');
    await openFile('node-flavour.experiment.ts');
    await until('the squiggle under the import', async () => (await squiggles().count()) > 0, 120000);
    await page.locator('.editor-group-container.active .view-line span', { hasText: '@tensorflow/tfjs-node' }).first().click();
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'LR Scope: use its TensorFlow.js types' }).first();
    await fix.waitFor({ timeout: 20000 });
    console.log(`     quick fix (the preferred one, focused): ${(await fix.textContent()).trim()}`);
    await shot('types-quick-fix.png', { keepToasts: true });
    await page.keyboard.press('Enter');
    await until('tsconfig.json maps @tensorflow/tfjs-node', () => /"@tensorflow\/tfjs-node": \[/.test(fs.readFileSync(path.join(workspace, 'tsconfig.json'), 'utf8')));
    await until('no squiggle left', async () => (await squiggles().count()) === 0, 60000);
    const config = fs.readFileSync(path.join(workspace, 'tsconfig.json'), 'utf8');
    assert.match(config, /^\/\/ Written by LR Scope/, 'the config written by New Experiment, edited');
    assert.match(config, /"@tensorflow\/tfjs": \[/, 'the earlier mapping is kept');
  });
};
