/**
 * The tsconfig/jsconfig edit that maps an experiment's `@tensorflow/tfjs` to LR Scope's declarations:
 * comments and formatting kept, the user's own entries kept, `baseUrl` honoured, bad JSON named; and the
 * config written when the workspace has none. Checked with the real TypeScript: the result resolves.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'jsonc-parser';
import { addTypesPaths, newTypesConfig } from '../../src/codegen/project-config';

const TFJS = ['@tensorflow/tfjs'];

describe('compilerOptions.paths for the shipped declarations', () => {
  test('adds the entry to a config with comments, trailing commas and tabs, changing nothing else', () => {
    const text = '{\n\t// my settings\n\t"compilerOptions": {\n\t\t"strict": true, /* keep */\n\t},\n\t"include": ["src"],\n}\n';
    const out = addTypesPaths({ text, fileName: '/w/tsconfig.json', modules: TFJS, declarations: '/w/.lrscope/types/tfjs.d.ts' });
    assert.ok(out.ok);
    assert.deepEqual(out.added, TFJS);
    assert.match(out.text, /\/\/ my settings/);
    assert.match(out.text, /"strict": true,\n/);
    assert.match(out.text, /\/\* keep \*\//);
    assert.match(out.text, /\n\t\t"paths": \{\n\t\t\t"@tensorflow\/tfjs": \[\n\t\t\t\t"\.\/\.lrscope\/types\/tfjs\.d\.ts"\n\t\t\t\]\n\t\t\}/);
    assert.match(out.text, /"include": \["src"\],\n\}\n$/);
  });

  test('keeps a mapping the user already has and adds only what is missing; a second run changes nothing', () => {
    const text = '{\n  "compilerOptions": {\n    "paths": { "@tensorflow/tfjs": ["./vendor/tf.d.ts"] }\n  }\n}\n';
    const out = addTypesPaths({ text, fileName: '/w/jsconfig.json', modules: ['@tensorflow/tfjs', '@tensorflow/tfjs-node'], declarations: '/w/.lrscope/types/tfjs.d.ts' });
    assert.ok(out.ok);
    assert.deepEqual(out.kept, ['@tensorflow/tfjs']);
    assert.deepEqual(out.added, ['@tensorflow/tfjs-node']);
    assert.deepEqual(parse(out.text).compilerOptions.paths, { '@tensorflow/tfjs': ['./vendor/tf.d.ts'], '@tensorflow/tfjs-node': ['./.lrscope/types/tfjs.d.ts'] });
    const again = addTypesPaths({ text: out.text, fileName: '/w/jsconfig.json', modules: ['@tensorflow/tfjs-node'], declarations: '/w/.lrscope/types/tfjs.d.ts' });
    assert.ok(again.ok);
    assert.equal(again.text, out.text);
    assert.deepEqual(again.added, []);
  });

  test('writes the path relative to baseUrl when the config sets one', () => {
    const text = '{ "compilerOptions": { "baseUrl": "src" } }';
    const out = addTypesPaths({ text, fileName: '/w/tsconfig.json', modules: TFJS, declarations: '/w/.lrscope/types/tfjs.d.ts' });
    assert.ok(out.ok);
    assert.match(out.text, /"\.\.\/\.lrscope\/types\/tfjs\.d\.ts"/);
  });

  test('refuses a config that is not valid JSON, naming the file and the place', () => {
    const out = addTypesPaths({ text: '{ "compilerOptions": { "strict": true \n "x": 1 } }', fileName: '/w/tsconfig.json', modules: TFJS, declarations: '/w/t.d.ts' });
    assert.equal(out.ok, false);
    assert.match(!out.ok ? out.message : '', /^\/w\/tsconfig\.json is not valid JSON \(CommaExpected at line 2, column 2\): fix it/);
    const paths = addTypesPaths({ text: '{ "compilerOptions": { "paths": [] } }', fileName: '/w/tsconfig.json', modules: TFJS, declarations: '/w/t.d.ts' });
    assert.match(!paths.ok ? paths.message : '', /"compilerOptions\.paths" is not an object/);
  });

  test('TypeScript resolves the module through the edited config, and through a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lrscope-paths-'));
    mkdirSync(join(dir, '.lrscope', 'types'), { recursive: true });
    const declarations = join(dir, '.lrscope', 'types', 'tfjs.d.ts');
    writeFileSync(declarations, 'export declare const version_core: string;\n');
    writeFileSync(join(dir, 'a.experiment.ts'), "import * as tf from '@tensorflow/tfjs';\nexport const v: string = tf.version_core;\n");
    const check = (configText: string): string[] => {
      const configFile = join(dir, 'tsconfig.json');
      writeFileSync(configFile, configText);
      const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
      const program = ts.createProgram(parsed.fileNames, { ...parsed.options, types: [] });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    const created = newTypesConfig(join(dir, 'tsconfig.json'), TFJS, declarations);
    assert.match(created, /^\/\/ Written by LR Scope: .* \.lrscope\/types\/\.\n/);
    assert.deepEqual(check(created), []);
    const edited = addTypesPaths({ text: '{\n  "compilerOptions": { "strict": true, "module": "ESNext", "moduleResolution": "Bundler", "noEmit": true }\n}\n', fileName: join(dir, 'tsconfig.json'), modules: TFJS, declarations });
    assert.ok(edited.ok);
    assert.deepEqual(check(edited.text), []);
    assert.match(check('{ "compilerOptions": { "strict": true, "module": "ESNext", "moduleResolution": "Bundler", "noEmit": true } }').join('\n'), /Cannot find module '@tensorflow\/tfjs'/);
  });
});
