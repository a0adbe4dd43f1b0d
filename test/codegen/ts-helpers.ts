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

/** Deterministic PRNG (mulberry32): the same "random" texts on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
