// What a .vsix must be to ship: small, one package for every OS and CPU (no native executables or
// libraries), its activation bundle small. Used by scripts/package-vsix.mjs (which refuses to finish
// otherwise) and by test/package/vsix.test.ts. Reads the archive itself (zip central directory +
// inflate), so it runs wherever Node does.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export const LIMITS = {
  /** The .vsix file. */
  vsixBytes: 5 * 1024 * 1024,
  /** extension/dist/extension.js, what VS Code loads on activation. */
  extensionJsBytes: 250 * 1024,
};

/** The entries of a zip file: name, sizes, and a function giving the uncompressed bytes. */
export function readZip(path) {
  const zip = readFileSync(path);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: damaged central directory at byte ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const data = () => {
      const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const raw = zip.subarray(start, start + compressedSize);
      if (method === 0) return raw;
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`${path}: ${name} uses zip method ${method}`);
    };
    entries.push({ name, size, compressedSize, data });
  }
  return { bytes: zip.length, entries };
}

/**
 * What kind of platform-specific native code `bytes` (named `name`) is, or null: ELF (Linux), Mach-O
 * (macOS, thin or universal), PE (Windows .exe/.dll/.node), or a Node addon by its name.
 */
export function nativeKind(name, bytes) {
  if (/\.(node|exe|dll|so|dylib)$/i.test(name) || /\.so\.\d/.test(name)) return `native file name (${name.split('.').pop()})`;
  if (bytes.length >= 4) {
    const magic = bytes.readUInt32BE(0);
    if (magic === 0x7f454c46) return 'ELF executable or library';
    if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(magic)) return 'Mach-O executable or library';
    // Universal Mach-O; Java class files share the magic, but then the next word (a version) is ≥ 45.
    if (magic === 0xcafebabe && bytes.length >= 8 && bytes.readUInt32BE(4) < 45) return 'universal Mach-O executable or library';
  }
  if (bytes.length >= 64 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(60);
    if (pe + 4 <= bytes.length && bytes.toString('latin1', pe, pe + 4) === 'PE\0\0') return 'Windows PE executable or library';
  }
  return null;
}

/**
 * Checks a .vsix: its size, no native code in any entry, the size of dist/extension.js.
 * Returns the problems (empty when fine) and the figures to print.
 */
export function checkVsix(path, limits = LIMITS) {
  const zip = readZip(path);
  const problems = [];
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (zip.bytes >= limits.vsixBytes) problems.push(`the .vsix is ${mb(zip.bytes)}, at or over the ${mb(limits.vsixBytes)} limit`);
  for (const entry of zip.entries) {
    const kind = nativeKind(entry.name, entry.data());
    if (kind) problems.push(`${entry.name} is platform-specific native code (${kind}): the .vsix must run on Linux, macOS and Windows alike`);
  }
  const extension = zip.entries.find((e) => e.name === 'extension/dist/extension.js');
  if (!extension) problems.push('the .vsix has no extension/dist/extension.js');
  else if (extension.size >= limits.extensionJsBytes) problems.push(`dist/extension.js is ${kb(extension.size)}, at or over the ${kb(limits.extensionJsBytes)} limit`);
  const unpacked = zip.entries.reduce((sum, e) => sum + e.size, 0);
  const largest = [...zip.entries].sort((a, b) => b.compressedSize - a.compressedSize).slice(0, 8);
  const figures = [
    `.vsix ${mb(zip.bytes)} (limit ${mb(limits.vsixBytes)}), ${zip.entries.length} entries, ${mb(unpacked)} unpacked`,
    `dist/extension.js ${extension ? kb(extension.size) : 'missing'} (limit ${kb(limits.extensionJsBytes)})`,
    'largest entries (compressed / unpacked):',
    ...largest.map((e) => `  ${kb(e.compressedSize).padStart(10)} / ${kb(e.size).padStart(10)}  ${e.name}`),
  ];
  return { problems, figures, entries: zip.entries.map((e) => e.name) };
}
