// End-to-end test of the packaged LR Scope extension in code-server (VS Code 1.100), driven by
// playwright-core + Debian's chromium. Started by run.sh, which installs the .vsix into a fresh
// profile and serves a temp workspace holding train.py (PyTorch; also run through the probe with
// /usr/bin/python3), blobs.experiment.ts (TF.js) and wide.experiment.ts (a slow experiment for the Stop test).
// The journeys are the files of journeys/, run in the order of their names; E2E_ONLY=a,b runs the
// journeys whose file names contain a or b (the workbench check always runs).
// Env: CS_URL (workbench URL incl. ?folder=), WORKSPACE (that folder), SHOT_DIR (README screenshots),
//      FAIL_DIR (screenshots of failures), CHROMIUM.
// Prints one line per check and, last, `N passed, N failed`; exits 1 when any check failed.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const os = require('os');
const h = require('./harness');

const t0 = Date.now();
const only = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
// E2E_RESTRICTED=1: the server runs with Workspace Trust on and the workspace untrusted (Restricted
// Mode); only the journeys named *-restricted.js run there, and only there.
const restricted = process.env.E2E_RESTRICTED === '1';
const dir = path.join(__dirname, 'journeys');
const journeys = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .sort()
  .filter((f) => f.endsWith('-restricted.js') === restricted)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  h.page = await context.newPage();
  h.page.setDefaultTimeout(30000);
  try {
    await h.check('the workbench loads', [], async () => {
      await h.page.goto(process.env.CS_URL);
      await h.page.locator('.monaco-workbench').waitFor();
      await h.page.locator('.statusbar').waitFor();
      h.found.workbench = true;
    });
    for (const file of journeys) {
      console.log(`# ${file}`);
      await require(path.join(dir, file))(h);
    }
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const failed = h.results.filter((r) => !r.ok).length;
  console.log(`e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s (journeys${restricted ? ' in Restricted Mode' : ''}: ${journeys.join(', ') || 'none'})`);
  console.log(`${h.results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
