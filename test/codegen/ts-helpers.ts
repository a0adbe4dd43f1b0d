/** Shared helpers of the TS/JS code generation tests: the parser (loaded once) and the calls that need it. */
import { detectTsAnchors, loadScriptParser, planTfjsInsertion, tfjsFrameworkOf, type ScriptParser, type ScriptSource } from '../../src/codegen/typescript';
import type { Anchor, Framework, InsertionPlan } from '../../src/codegen/types';
import type { ScheduleSpec } from '../../src/core/schedules';

let parser: ScriptParser | undefined;

/** Loads the TypeScript and TSX grammars; call it in a `before` hook. */
export async function loadParser(): Promise<ScriptParser> {
  parser ??= await loadScriptParser();
  return parser;
}

function ready(): ScriptParser {
  if (!parser) throw new Error('call loadParser() in a before hook first');
  return parser;
}

export const anchorsOf = (text: string, fileName: string): Anchor[] => detectTsAnchors(ready(), text, fileName);
export const planOf = (spec: ScheduleSpec, source: ScriptSource): InsertionPlan => planTfjsInsertion(ready(), spec, source);
export const frameworkOf = (text: string, fileName: string): Framework | null => tfjsFrameworkOf(ready(), text, fileName);
