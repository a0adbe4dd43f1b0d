/**
 * The code generator's framework registry: for each framework (ids and languages in core/frameworks.ts), how a
 * file is recognised as training with it, its snippet, and its insertion planner. Detection tries a language's
 * frameworks in registry order; the first whose `detect` fits wins.
 */
import { FRAMEWORK_INFO, type CodeLanguage, type Framework } from '../core/frameworks';
import type { ScheduleSpec } from '../core/schedules/spec';
import { jsonSnippet, planJsonInsertion } from './json';
import { PYTHON_DETECTORS, planPythonInsertion, pythonFacts, pythonSnippet, type PythonFacts, type PythonFramework, type PythonParser } from './python';
import type { InsertionPlan, Snippet } from './types';
import { planTfjsInsertion, tfjsFrameworkOf, tfjsSnippet, type ScriptParser } from './typescript';

/** A file as code generation sees it: its text and its name (the extension picks the language). */
export interface CodegenSource {
  text: string;
  fileName: string;
}

/** The parsers, loaded once. */
export interface Readers {
  python: PythonParser;
  script: ScriptParser;
}

/** What a file of one language offers the detectors, computed once per detection. */
export type LanguageFacts = { language: 'python'; facts: PythonFacts } | { language: 'typescript'; script: ScriptParser; source: CodegenSource } | { language: 'json' };

export interface FrameworkCodegen {
  framework: Framework;
  language: CodeLanguage;
  /** Whether a file of this framework's language trains with it. */
  detect(facts: LanguageFacts): boolean;
  /** Code to paste, without a target file. Throws SpecError for an invalid spec. */
  snippet(spec: ScheduleSpec): Snippet;
  /** The edits that make the file train with the spec; throws (CodegenError, SpecError, a refusal) when it cannot. */
  plan(readers: Readers, spec: ScheduleSpec, source: CodegenSource): InsertionPlan;
}

function python(framework: PythonFramework): FrameworkCodegen {
  const detector = PYTHON_DETECTORS.find((d) => d.framework === framework)!;
  return {
    framework,
    language: 'python',
    detect: (f) => f.language === 'python' && detector.detect(f.facts),
    snippet: (spec) => pythonSnippet(spec, framework),
    plan: (readers, spec, source) => planPythonInsertion(readers.python, spec, framework, source.text),
  };
}

/** In detection order within each language. */
export const CODEGEN: readonly FrameworkCodegen[] = [
  ...PYTHON_DETECTORS.map((d) => python(d.framework)),
  {
    framework: 'tfjs',
    language: 'typescript',
    detect: (f) => f.language === 'typescript' && tfjsFrameworkOf(f.script, f.source.text, f.source.fileName) !== null,
    snippet: tfjsSnippet,
    plan: (readers, spec, source) => planTfjsInsertion(readers.script, spec, source),
  },
  { framework: 'json', language: 'json', detect: (f) => f.language === 'json', snippet: jsonSnippet, plan: (_readers, spec, source) => planJsonInsertion(spec, source) },
];

export function codegenFor(framework: Framework): FrameworkCodegen {
  return CODEGEN.find((c) => c.framework === framework)!;
}

/** The facts the detectors of `language` read from `source`. */
export function languageFacts(readers: Readers, language: CodeLanguage, source: CodegenSource): LanguageFacts {
  switch (language) {
    case 'python':
      return { language, facts: pythonFacts(readers.python.parse(source.text).rootNode, source.text) };
    case 'typescript':
      return { language, script: readers.script, source };
    case 'json':
      return { language };
  }
}

// every framework of core has its entry here
for (const framework of Object.keys(FRAMEWORK_INFO) as Framework[]) {
  if (!CODEGEN.some((c) => c.framework === framework && c.language === FRAMEWORK_INFO[framework].language)) {
    throw new Error(`codegen registry: no entry for ${framework}`);
  }
}
