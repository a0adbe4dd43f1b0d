/**
 * Remote-SSH, Dev Containers, WSL: LR Scope is a workspace extension (package.json's extensionKind,
 * checked in activation.test.ts), so the extension, its engine child and the PyTorch probe all run on
 * the remote side, where the code, the interpreter and the GPUs are; only the webview is drawn locally.
 * What can be checked without a remote: nothing on that side assumes it is the user's own machine — the
 * extension starts no process itself (only src/host forks the engine, with the extension host's own
 * runtime: run-manager.test.ts), reads no home or temp folder of its own, opens no socket; the probe's link stays on the
 * remote's loopback, and a probe refuses to call anywhere else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultProbeDir } from '../../src/engine/probe/index';

const root = join(__dirname, '..', '..');
/** Node modules that start processes, open sockets or read the local user's machine. */
const LOCAL_ONLY = /^(node:)?(child_process|os|net|http|https|http2|dgram|cluster|worker_threads)$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

test('the extension itself starts no process, opens no socket and reads no local home or temp folder', () => {
  const offenders: string[] = [];
  for (const file of sources(join(root, 'src', 'extension'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
      if (LOCAL_ONLY.test(match[1]!)) offenders.push(`${relative(root, file)} imports ${match[1]}`);
    }
    if (/\bprocess\.env\.(HOME|USERPROFILE|TMPDIR)\b/.test(text)) offenders.push(`${relative(root, file)} reads the local home or temp folder`);
  }
  assert.deepEqual(offenders, [], 'processes go through src/host (the engine child, on the extension host side)');
});

test("the probe's link is loopback only: LR Scope listens on 127.0.0.1, and a probe told to call elsewhere refuses", () => {
  const link = readFileSync(join(root, 'src', 'engine', 'probe', 'link.ts'), 'utf8');
  assert.match(link, /server\.listen\(0, '127\.0\.0\.1'/);
  const run = spawnSync('/usr/bin/python3', ['-m', 'lrscope_probe', '--', 'train.py'], {
    env: { ...process.env, PYTHONPATH: defaultProbeDir(), LRSCOPE_PROBE_CONNECT: '10.1.2.3:4000', LRSCOPE_PROBE_KEY: '/nonexistent' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 3);
  assert.match(run.stderr, /LRSCOPE_PROBE_CONNECT=10\.1\.2\.3:4000: the probe only connects to a loopback address/);
});
