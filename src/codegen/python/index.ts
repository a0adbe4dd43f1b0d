/**
 * Python code generation: snippets, insertion plans and CodeLens anchors for PyTorch, Lightning, Keras,
 * fastai and optax (issue 2 §3). Files are read with tree-sitter-python; edits are minimal text edits.
 */
import type { ScheduleSpec } from '../../core/schedules/spec';
import { validateSpec } from '../../core/schedules/validate';
import type { Anchor, InsertionPlan, Snippet } from '../types';
import { detectPythonAnchorsInTree } from './anchors';
import { planFastai } from './fastai';
import { detectPythonFramework as framework, type PythonFramework } from './framework';
import { planKeras } from './keras';
import { planOptax } from './optax';
import type { PythonParser } from './parser';
import type { Tree } from './syntax';
import { planLightning } from './lightning';
import { planPytorch } from './torch/plan';
import { pythonSnippet as snippet } from './snippet';

export { loadPythonParser, type PythonParser } from './parser';
export type { PythonFramework } from './framework';
export { PYTHON_DETECTORS, PYTHON_FRAMEWORKS, pythonFacts, type PythonFacts } from './framework';

/** The framework a Python file trains with, by what it trains with (see PYTHON_DETECTORS). */
export function detectPythonFramework(text: string, parser: PythonParser): PythonFramework {
  return framework(parser.parse(text).rootNode, text);
}

/** Code to paste for `spec` (validated: an invalid spec throws SpecError) in `framework` (no target file): the schedule, and where it goes, as comments. */
export function pythonSnippet(spec: ScheduleSpec, fw: PythonFramework): Snippet {
  return snippet(validateSpec(spec), fw);
}

/**
 * The edit a user would make to `text` to train with `spec` (see each framework's planner). Edits are sorted,
 * non-overlapping and minimal; `updatesExisting` is true when a schedule was already there and is replaced.
 * Throws SpecError for an invalid spec, and an Error with a clear message when the file has nothing to attach
 * the schedule to.
 */
export function planPythonInsertion(parser: PythonParser, input: ScheduleSpec, fw: PythonFramework, text: string): InsertionPlan {
  const spec = validateSpec(input);
  const tree = parser.parse(text);
  switch (fw) {
    case 'pytorch':
      return planPytorch(tree, text, spec);
    case 'lightning':
      return planLightning(tree, text, spec);
    case 'keras':
      return planKeras(tree, text, spec);
    case 'fastai':
      return planFastai(tree, text, spec);
    case 'optax':
      return planOptax(tree, text, spec);
  }
}

/**
 * CodeLens anchors, in document order: optimizer constructions, fit calls, existing schedulers (with `maxLr` when
 * a literal) and `configure_optimizers`. Comments and strings never produce anchors; calls may span lines. Read
 * from the syntax tree; the parser re-parses incrementally from the previous version of the same document, and
 * the anchors of a tree are computed once.
 */
export function detectPythonAnchors(parser: PythonParser, text: string, document?: string): Anchor[] {
  const tree = parser.parse(text, document);
  let found = anchorCache.get(tree);
  if (!found) anchorCache.set(tree, (found = detectPythonAnchorsInTree(tree.rootNode, text)));
  return found.map((a) => ({ ...a }));
}

/** The parser returns the same tree for the same text: its anchors are computed once. */
const anchorCache = new WeakMap<Tree, Anchor[]>();
