// The layer rule of DESIGN.md, checked on every import of src/ and webview/: arrows point to what a
// layer may import, core is pure (no Node built-ins, no parsers, no vscode, no tfjs), and the
// extension reaches the code generator only through dynamic import() (type imports are erased), and of
// the engine only its run store (records on disk).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(__dirname, '..');

type Layer = 'core' | 'codegen' | 'engine' | 'host' | 'protocol' | 'extension' | 'cli' | 'webview';
const ALLOWED: Record<Layer, Layer[]> = {
  core: [],
  codegen: ['core'],
  protocol: ['core'],
  engine: ['protocol', 'core'],
  // the run manager and the engine child's client, shared by the extension and the CLI (no vscode, no tfjs)
  host: ['protocol', 'core', 'engine'],
  extension: ['host', 'protocol', 'core', 'codegen'],
  cli: ['host', 'engine', 'codegen', 'core', 'protocol', 'webview'],
  webview: ['protocol', 'core'],
};
const CORE_FORBIDDEN = /^(node:|fs$|path$|child_process$|typescript$|web-tree-sitter$|vscode$|@tensorflow\/)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

function layerOf(path: string): Layer | null {
  const rel = relative(root, path).split(sep);
  if (rel[0] === 'webview') return 'webview';
  if (rel[0] !== 'src') return null;
  return (['core', 'codegen', 'engine', 'host', 'protocol', 'extension', 'cli'] as const).find((l) => l === rel[1]) ?? null;
}

interface Import {
  from: string;
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) {
    found.push({ from: path, specifier: m[3]!, typeOnly: m[2] !== undefined, dynamic: false });
  }
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push({ from: path, specifier: m[1]!, typeOnly: false, dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push({ from: path, specifier: m[1]!, typeOnly: false, dynamic: true });
  return found;
}

const sources = [...files(join(root, 'src')), ...files(join(root, 'webview'))];

describe('layer rule', () => {
  it('finds the sources it checks', () => {
    assert.ok(sources.length > 100, `only ${sources.length} source files found`);
  });

  it('every relative import points to an allowed layer', () => {
    const broken: string[] = [];
    for (const file of sources) {
      const layer = layerOf(file);
      if (!layer) continue;
      for (const imp of importsOf(file)) {
        if (!imp.specifier.startsWith('.')) continue;
        const target = layerOf(resolve(dirname(file), imp.specifier));
        if (!target || target === layer) continue;
        // the run store is records on disk (node fs, no tfjs): the host side reads what the engine writes
        if (target === 'engine' && /engine\/run-store$/.test(imp.specifier) && (layer === 'extension' || layer === 'host')) continue;
        if (ALLOWED[layer].includes(target)) {
          if (layer === 'extension' && target === 'codegen' && !imp.typeOnly && !imp.dynamic && !/codegen\/types$/.test(imp.specifier)) {
            broken.push(`${relative(root, file)}: the extension imports the code generator statically ('${imp.specifier}'); use import()`);
          }
          continue;
        }
        broken.push(`${relative(root, file)} (${layer}) imports ${target}: '${imp.specifier}'`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('core is pure: no Node built-ins, parsers, vscode or tfjs', () => {
    const impure = sources
      .filter((f) => layerOf(f) === 'core')
      .flatMap((f) => importsOf(f).filter((i) => CORE_FORBIDDEN.test(i.specifier)).map((i) => `${relative(root, f)}: '${i.specifier}'`));
    assert.deepEqual(impure, []);
  });
});
