// What every end-to-end journey uses: the page, checks, waits, the palette, editors, the panel's
// webview, CodeLenses, screenshots (dark and light) and the run records on disk.
const fs = require('fs');
const path = require('path');
const os = require('os');
const UPNG = require('upng-js');

const workspace = process.env.WORKSPACE;
const shotDir = process.env.SHOT_DIR;
const failDir = process.env.FAIL_DIR || os.tmpdir();
const runsDir = path.join(workspace, '.lrscope', 'runs');

const h = {
  workspace,
  runsDir,
  /** The Chromium page (set by the runner before the first check). */
  page: undefined,
  /** What earlier checks found, for later ones. */
  found: {},
  results: [],
};

/** Runs one check; a check whose prerequisite failed fails at once (never skipped). */
h.check = async function check(name, needs, fn) {
  const start = Date.now();
  const missing = needs.filter((n) => !(n in h.found));
  try {
    if (missing.length) throw new Error(`prerequisite failed: ${missing.join(', ')}`);
    await fn();
    h.results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (err) {
    h.results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err && err.stack ? err.stack.split('\n').slice(0, 3).join('\n     ') : err}`);
    if (h.page) await h.page.screenshot({ path: path.join(failDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
  }
};

h.sleep = (ms) => new Promise((r) => setTimeout(r, ms));

h.until = async function until(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await h.sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
};

/** Run records on disk (the extension writes them; the tests only read). */
h.records = function records() {
  if (!fs.existsSync(runsDir)) return [];
  return fs
    .readdirSync(runsDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return [{ file: path.join(runsDir, f), ...JSON.parse(fs.readFileSync(path.join(runsDir, f), 'utf8')) }];
      } catch {
        return []; // being written
      }
    });
};

/** The LR as LR Scope shows it (formatLr in src/core/analysis/format.ts). */
h.formatLr = (lr) => lr.toExponential(1);

/** Runs a command from the palette (retried: right after start-up the palette may not list extensions' commands yet). */
h.runCommand = async function runCommand(title, attempts = 6) {
  const page = h.page;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    // the row whose label is exactly the title (fuzzy matching lists similar commands first)
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10000 });
      await row.click();
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= attempts) throw err;
    }
  }
};

h.openFile = async function openFile(name) {
  const page = h.page;
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  // the row of that very file (Enter could still pick a recently opened one while the list updates)
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
};

/** The text of the active editor as rendered (lines sorted by position; short files fit the view). */
h.editorText = async function editorText() {
  return h.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => l.textContent.replace(/\u00a0/g, ' '))
      .join('\n'),
  );
};

/** The LR Scope panel's document (inside VS Code's two webview iframes). */
h.webview = () => h.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
h.lens = (text) => h.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

/** Pixels drawn on a canvas of the panel (a chart that shows data paints thousands). */
h.painted = (locator) =>
  locator.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  });

async function clearToasts() {
  const toasts = h.page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) > 0) {
    await h.runCommand('Notifications: Clear All Notifications');
    await h.sleep(400);
  }
}

/** Switches the workbench's color theme through the theme picker. */
async function setTheme(theme, dark) {
  await h.runCommand('Preferences: Color Theme');
  const input = h.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(theme);
  const row = h.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await h.until(`the ${theme} theme`, async () => {
    const cls = (await h.page.locator('.monaco-workbench').getAttribute('class')) || '';
    return dark ? /(^|\s)vs-dark(\s|$)/.test(cls) : /(^|\s)vs(\s|$)/.test(cls);
  });
  await h.sleep(800); // webviews repaint on the theme change
}

/**
 * Saves the page as `name`, in 256 colours: the README's screenshots ship in the .vsix, and a UI at
 * 256 colours looks the same at under half the bytes.
 */
async function save(name) {
  const png = await h.page.screenshot();
  const image = UPNG.decode(png);
  fs.writeFileSync(path.join(shotDir, name), Buffer.from(UPNG.encode(UPNG.toRGBA8(image), image.width, image.height, 256)));
  console.log(`     screenshot ${path.join(path.basename(shotDir), name)}`);
}

/**
 * A README screenshot (toasts dismissed first, unless `keepToasts`: the message is the point). `{ light:
 * true }` also takes `<name>-light.png`.
 */
h.shot = async function shot(name, { light = false, keepToasts = false } = {}) {
  fs.mkdirSync(shotDir, { recursive: true });
  if (!keepToasts) await clearToasts();
  await save(name);
  if (!light) return;
  const lightName = name.replace(/\.png$/, '-light.png');
  await setTheme('Default Light Modern', false);
  try {
    await save(lightName);
  } finally {
    await setTheme('Default Dark Modern', true);
  }
};

/** Switches the workbench's color theme (`'Default Light Modern', false` / `'Default Dark Modern', true`). */
h.setTheme = setTheme;

module.exports = h;
