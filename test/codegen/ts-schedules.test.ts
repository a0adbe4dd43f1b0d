// Generated TS/JS schedule functions are executed and must reproduce the core's sequence exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import ts from 'typescript';
import { sampleSchedule, specLength, type ScheduleSpec } from '../../src/core/schedules';
import { restyle } from '../../src/codegen/typescript/restyle';
import { scheduleSource, type ScriptLanguage } from '../../src/codegen/typescript/schedule-source';
import { DEFAULT_STYLE, type CodeStyle } from '../../src/codegen/typescript/style';
import { tfjsBlock } from '../../src/codegen/typescript/tfjs-block';
import { SPECS } from './ts-specs';

const label = (spec: ScheduleSpec): string => JSON.stringify(spec);

/** Compiles TS to JS (reporting syntax errors), then evaluates it and returns its functions. */
function evaluate(code: string, language: ScriptLanguage): Record<string, unknown> {
  let js = code;
  if (language === 'ts') {
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
    js = out.outputText;
  }
  const context = vm.createContext({});
  vm.runInContext(`${js}\n;globalThis.__fns = { lrAt, momentumAt: typeof momentumAt === 'function' ? momentumAt : null };`, context);
  return context.__fns as Record<string, unknown>;
}

function syntaxErrors(code: string, fileName: string): string[] {
  const kind = fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
  const diagnostics = (sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function assertClose(actual: number, expected: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= 1e-9, `${what}: got ${actual}, expected ${expected} (rel. err ${err})`);
}

const STYLES: CodeStyle[] = [
  DEFAULT_STYLE,
  { indent: '\t', quote: '"', semicolons: false, eol: '\r\n' },
  { indent: '    ', quote: '"', semicolons: true, eol: '\n' },
];

describe('generated schedule functions', () => {
  for (const spec of SPECS) {
    for (const language of ['ts', 'js'] as const) {
      it(`${language}: ${label(spec)} equals the core's sequence`, () => {
        const source = scheduleSource(spec, language);
        const fns = evaluate(restyle(source.lines, DEFAULT_STYLE), language);
        const n = specLength(spec) ?? 150;
        const expected = sampleSchedule(spec, n);
        assert.equal(typeof fns.lrAt, 'function');
        const lrAt = fns.lrAt as (step: number) => number;
        for (let i = 0; i < n; i++) assertClose(lrAt(i), expected.lr[i]!, `lr[${i}]`);
        assert.equal(source.cyclesMomentum, expected.momentum !== null, 'momentumAt exactly when the core cycles momentum');
        assert.equal(fns.momentumAt !== null, expected.momentum !== null);
        if (expected.momentum) {
          const momentumAt = fns.momentumAt as (step: number) => number;
          for (let i = 0; i < n; i++) assertClose(momentumAt(i), expected.momentum[i]!, `momentum[${i}]`);
        }
        assert.equal(source.length, specLength(spec));
      });
    }
  }

  it('the seed example hits 0.08, 0.8, 0.08 and 0.008 at steps 0, 41, 82 and 94', () => {
    const fns = evaluate(restyle(scheduleSource(SPECS[15]!, 'js').lines, DEFAULT_STYLE), 'js');
    const lrAt = fns.lrAt as (step: number) => number;
    assert.deepEqual([0, 41, 82, 94].map((i) => Number(lrAt(i).toPrecision(12))), [0.08, 0.8, 0.08, 0.008]);
  });

  it('whole blocks parse without syntax errors in every style, as TS and as JS', () => {
    for (const spec of SPECS) {
      for (const style of STYLES) {
        for (const language of ['ts', 'js'] as const) {
          const code = restyle(tfjsBlock(spec, language, 'tf').lines, style);
          assert.deepEqual(syntaxErrors(code, `block.${language}`), [], `${label(spec)} ${language} ${JSON.stringify(style)}`);
          if (!style.semicolons) assert.ok(!/;\s*(\/\/.*)?$/m.test(code), 'no statement ends with a semicolon');
          if (style.quote === '"') assert.ok(!/'/.test(code.replace(/\/\/.*|^\s*\*.*|\/\*\*.*/gm, '')), 'no single quotes in code');
          assert.equal(code.split('\r\n').length - 1, style.eol === '\r\n' ? code.split('\n').length - 1 : 0, 'line endings');
        }
      }
    }
  });

  it('rejects an invalid spec with the core SpecError', () => {
    assert.throws(
      () => scheduleSource({ policy: 'onecycle', flavor: 'pytorch', maxLr: -1, totalSteps: 10 }, 'ts'),
      (error: Error) => error.name === 'SpecError' && /maxLr/.test(error.message),
    );
  });
});
