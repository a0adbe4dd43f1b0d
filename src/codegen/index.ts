/**
 * The code generator behind one interface: the language from the file extension (.py → Python,
 * .ts/.tsx/.js/.mjs/.cjs → TS/JS, .json → the spec itself), the framework from the registry
 * (frameworks.ts), one reader per language (tree-sitter for both Python and TS/JS: parsers.ts). Plans come back as data, refusals included, so they cross
 * the lazy bundle seam (the extension loads this module with import()) without error classes.
 */
import { FRAMEWORK_INFO, frameworkLanguage, type CodeLanguage, type Framework } from '../core/frameworks';
import { SpecError } from '../core/schedules/errors';
import type { ScheduleSpec } from '../core/schedules/spec';
import { CodegenError } from './errors';
import { CODEGEN, codegenFor, languageFacts, type CodegenSource, type Readers } from './frameworks';
import { PlanRefusal } from './python/torch/plan';
import { detectPythonAnchors, loadPythonParser } from './python';
import type { Anchor, InsertionPlan, Snippet } from './types';
import { detectTsAnchors, isScriptFile, loadScriptParser } from './typescript';
import { addTypesPaths, newTypesConfig, type TypesPathsOutcome, type TypesPathsRequest } from './project-config';

export { CodegenError } from './errors';
export * from './types';
export { frameworkLanguage, type CodeLanguage } from '../core/frameworks';
export type { CodegenSource } from './frameworks';
export type { TypesPathsOutcome, TypesPathsRequest } from './project-config';

/** Why a plan could not be made: about the file (with what to change) or about the spec (naming the field). */
export interface PlanProblem {
  kind: 'file' | 'spec';
  message: string;
  fileName?: string;
}

export type PlanOutcome = { ok: true; plan: InsertionPlan } | { ok: false; problem: PlanProblem };

export interface Codegen {
  /** Code to paste for `spec` in `framework`, without a target file. Throws SpecError for an invalid spec. */
  snippet(spec: ScheduleSpec, framework: Framework): Snippet;
  /**
   * The edits that make `source` train with `spec` in `framework` over the file's own number of optimizer
   * steps, or the problem (the framework does not fit the file's language, nothing to attach the schedule to,
   * a file that cannot be made to train under it, an invalid spec).
   */
  plan(spec: ScheduleSpec, framework: Framework, source: CodegenSource): PlanOutcome;
  /** CodeLens anchors of the file, sorted by position; [] for files of other languages. */
  anchors(source: CodegenSource): Anchor[];
  /** The framework the file trains with (the first of its language's registry entries that fits), else null. */
  frameworkOf(source: CodegenSource): Framework | null;
  /** A tsconfig/jsconfig text with `compilerOptions.paths` entries for the modules it does not map yet (comments and formatting kept). */
  addTypesPaths(request: TypesPathsRequest): TypesPathsOutcome;
  /** A new tsconfig, for the experiments only, that maps `modules` to `declarations`. */
  newTypesConfig(fileName: string, modules: string[], declarations: string): string;
}

/** The language of a file by its extension, or null when LR Scope does not read that kind of file. */
export function languageOf(fileName: string): CodeLanguage | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.py')) return 'python';
  if (lower.endsWith('.json')) return 'json';
  if (isScriptFile(fileName)) return 'typescript';
  return null;
}

const LANGUAGE_NAMES: Record<CodeLanguage, string> = { python: 'Python', typescript: 'TS/JS', json: 'JSON' };

/**
 * Loads the parsers (the Python, TypeScript and TSX grammars' .wasm from `wasmDir`, else beside the
 * bundle or in node_modules) and returns the code generator.
 */
export async function createCodegen(options: { wasmDir?: string } = {}): Promise<Codegen> {
  const [python, script] = await Promise.all([loadPythonParser(options.wasmDir), loadScriptParser(options.wasmDir)]);
  const readers: Readers = { python, script };
  return {
    snippet: (spec, framework) => codegenFor(framework).snippet(spec),
    plan: (spec, framework, source) => plan(readers, spec, framework, source),
    anchors: (source) => anchors(readers, source),
    frameworkOf: (source) => frameworkOf(readers, source),
    addTypesPaths,
    newTypesConfig,
  };
}

function plan(readers: Readers, spec: ScheduleSpec, framework: Framework, source: CodegenSource): PlanOutcome {
  const { fileName } = source;
  const problem = (message: string, kind: PlanProblem['kind'] = 'file'): PlanOutcome => ({ ok: false, problem: { kind, message, fileName } });
  const language = languageOf(fileName);
  if (language === null) {
    return problem(`${fileName}: LR Scope inserts schedules into Python (.py), TS/JS (.ts, .tsx, .js, .mjs, .cjs) and .json files; copy the snippet instead.`);
  }
  const wanted = frameworkLanguage(framework);
  if (wanted !== language) {
    const fitting = CODEGEN.filter((c) => c.language === language).map((c) => c.framework);
    return problem(
      `${fileName} is a ${LANGUAGE_NAMES[language]} file but ${FRAMEWORK_INFO[framework].label} code is ${LANGUAGE_NAMES[wanted]}; pick ${fitting.join(', ')} for this file, or open a ${LANGUAGE_NAMES[wanted]} file.`,
    );
  }
  try {
    return { ok: true, plan: codegenFor(framework).plan(readers, spec, source) };
  } catch (error) {
    if (error instanceof SpecError) return problem(error.message, 'spec');
    if (error instanceof CodegenError) return problem(error.message);
    // the Python planners say what is wrong with the file's content in plain Errors and refusals
    if (error instanceof PlanRefusal || (error instanceof Error && error.name === 'Error')) return problem(`${fileName}: ${error.message}`);
    throw error;
  }
}

function anchors(readers: Readers, source: CodegenSource): Anchor[] {
  switch (languageOf(source.fileName)) {
    case 'python':
      return detectPythonAnchors(readers.python, source.text, source.fileName);
    case 'typescript':
      return detectTsAnchors(readers.script, source.text, source.fileName);
    case 'json':
    case null:
      return [];
  }
}

function frameworkOf(readers: Readers, source: CodegenSource): Framework | null {
  const language = languageOf(source.fileName);
  if (language === null) return null;
  const facts = languageFacts(readers, language, source);
  return CODEGEN.find((c) => c.language === language && c.detect(facts))?.framework ?? null;
}
