/**
 * Code generation for every framework behind one interface: picks the language from the file
 * extension (.py → Python, .ts/.tsx/.js/.mjs/.cjs → TS/JS, .json → the spec itself) and routes
 * to the Python or TS/JS generator (both read files with tree-sitter, src/codegen/parsers.ts) or the JSON one.
 */
import { SpecError } from '../core/schedules/errors';
import type { ScheduleSpec } from '../core/schedules/spec';
import { CodegenError } from './errors';
import { jsonSnippet, planJsonInsertion } from './json';
import {
  detectPythonAnchors,
  detectPythonFramework,
  loadPythonParser,
  planPythonInsertion,
  pythonSnippet,
  type PythonFramework,
  type PythonParser,
} from './python';
import type { Anchor, Framework, InsertionPlan, Snippet } from './types';
import { detectTsAnchors, isScriptFile, loadScriptParser, planTfjsInsertion, tfjsFrameworkOf, tfjsSnippet, type ScriptParser } from './typescript';

export { CodegenError } from './errors';
export * from './types';

/** A file as code generation sees it: its text and its name (the extension picks the language). */
export interface CodegenSource {
  text: string;
  fileName: string;
}

export type CodeLanguage = Snippet['language'];

export interface Codegen {
  /** Code to paste for `spec` in `framework`, without a target file. Throws SpecError for an invalid spec. */
  snippet(spec: ScheduleSpec, framework: Framework): Snippet;
  /**
   * The edits that make `source` train with `spec` in `framework`. Throws CodegenError when the
   * framework does not fit the file's language or the file has nothing to attach the schedule to,
   * SpecError for an invalid spec.
   */
  plan(spec: ScheduleSpec, framework: Framework, source: CodegenSource): InsertionPlan;
  /** CodeLens anchors of the file, sorted by position; [] for files of other languages. */
  anchors(source: CodegenSource): Anchor[];
  /** The framework the file trains with (Python: from its imports; TS/JS: 'tfjs' when it is TF.js code; .json: 'json'), else null. */
  frameworkOf(source: CodegenSource): Framework | null;
}

/** The language code for `framework` is written in. */
export function frameworkLanguage(framework: Framework): CodeLanguage {
  switch (framework) {
    case 'pytorch':
    case 'lightning':
    case 'keras':
    case 'fastai':
    case 'optax':
      return 'python';
    case 'tfjs':
      return 'typescript';
    case 'json':
      return 'json';
  }
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
const FRAMEWORKS_OF: Record<CodeLanguage, string> = {
  python: 'pytorch, lightning, keras, fastai or optax',
  typescript: 'tfjs',
  json: 'json',
};

/** The parsers of each language code generation reads. */
interface Parsers {
  python: PythonParser;
  script: ScriptParser;
}

/**
 * Loads the parsers (the Python, TypeScript and TSX grammars' .wasm from `wasmDir`, else beside the
 * bundle or in node_modules) and returns the code generator.
 */
export async function createCodegen(options: { wasmDir?: string } = {}): Promise<Codegen> {
  const [python, script] = await Promise.all([loadPythonParser(options.wasmDir), loadScriptParser(options.wasmDir)]);
  const parsers: Parsers = { python, script };
  return {
    snippet: (spec, framework) => snippet(spec, framework),
    plan: (spec, framework, source) => plan(parsers, spec, framework, source),
    anchors: (source) => anchors(parsers, source),
    frameworkOf: (source) => frameworkOf(parsers, source),
  };
}

function snippet(spec: ScheduleSpec, framework: Framework): Snippet {
  switch (framework) {
    case 'tfjs':
      return tfjsSnippet(spec);
    case 'json':
      return jsonSnippet(spec);
    default:
      return pythonSnippet(spec, framework);
  }
}

function plan(parsers: Parsers, spec: ScheduleSpec, framework: Framework, source: CodegenSource): InsertionPlan {
  const { fileName } = source;
  const language = languageOf(fileName);
  if (language === null) {
    throw new CodegenError(
      `${fileName}: LR Scope inserts schedules into Python (.py), TS/JS (.ts, .tsx, .js, .mjs, .cjs) and .json files; copy the snippet instead.`,
      fileName,
    );
  }
  const wanted = frameworkLanguage(framework);
  if (wanted !== language) {
    throw new CodegenError(
      `${fileName} is a ${LANGUAGE_NAMES[language]} file but ${framework} code is ${LANGUAGE_NAMES[wanted]}; pick ${FRAMEWORKS_OF[language]} for this file, or open a ${LANGUAGE_NAMES[wanted]} file.`,
      fileName,
    );
  }
  switch (framework) {
    case 'tfjs':
      return planTfjsInsertion(parsers.script, spec, source);
    case 'json':
      return planJsonInsertion(spec, source);
    default:
      return planPython(parsers.python, spec, framework, source);
  }
}

/** Python planners throw plain Errors about the file's content; they become CodegenErrors that name the file. */
function planPython(python: PythonParser, spec: ScheduleSpec, framework: PythonFramework, source: CodegenSource): InsertionPlan {
  try {
    return planPythonInsertion(python, spec, framework, source.text);
  } catch (error) {
    if (error instanceof SpecError || error instanceof CodegenError || !(error instanceof Error) || error.name !== 'Error') throw error;
    throw new CodegenError(`${source.fileName}: ${error.message}`, source.fileName);
  }
}

function anchors(parsers: Parsers, source: CodegenSource): Anchor[] {
  switch (languageOf(source.fileName)) {
    case 'python':
      return detectPythonAnchors(parsers.python, source.text);
    case 'typescript':
      return detectTsAnchors(parsers.script, source.text, source.fileName);
    case 'json':
    case null:
      return [];
  }
}

function frameworkOf(parsers: Parsers, source: CodegenSource): Framework | null {
  switch (languageOf(source.fileName)) {
    case 'python':
      return detectPythonFramework(source.text, parsers.python);
    case 'typescript':
      return tfjsFrameworkOf(parsers.script, source.text, source.fileName);
    case 'json':
      return 'json';
    case null:
      return null;
  }
}
