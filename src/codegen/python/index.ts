/**
 * Python code generation: snippets, insertion plans and CodeLens anchors for PyTorch, Lightning, Keras,
 * fastai and optax (issue 2 §3). Files are read with tree-sitter-python; edits are minimal text edits.
 */
import type { ScheduleSpec } from '../../core/schedules/spec';
import { validateSpec } from '../../core/schedules/validate';
import type { Anchor, InsertionPlan, Snippet } from '../types';
import { anchorsBetween } from './anchors';
import { reparseOf } from '../parsers';
import { kids } from './syntax';
import type { Framework } from '../types';
import { planFastai } from './fastai';
import { detectPythonFramework as framework, detectPythonFramework as detectFramework, type PythonFramework } from './framework';
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
  if (!found) anchorCache.set(tree, (found = anchorsOf(tree, text)));
  return found.anchors.map((a) => ({ ...a }));
}

/**
 * The anchors of a tree. After an incremental reparse, only the top-level statements that the edit or a
 * syntax change touched are read again; the previous anchors of the others move with the text (an anchor
 * lies inside one top-level statement, so an untouched statement holds the anchors it held).
 */
function anchorsOf(tree: Tree, text: string): { framework: Framework; anchors: Anchor[] } {
  const root = tree.rootNode;
  const framework = detectFramework(root, text);
  const reparse = reparseOf(tree);
  const before = reparse && anchorCache.get(reparse.previous);
  if (!reparse || !before || before.framework !== framework) return { framework, anchors: anchorsBetween(root, text, framework, 0, text.length).map(withLine(text)) };
  const { edit, changed } = reparse;
  const shift = edit.newEnd - edit.oldEnd;
  const dirty = [{ start: edit.start, end: edit.newEnd }, ...changed];
  const anchors: Anchor[] = [];
  const kept = before.anchors.map((a) => (a.start >= edit.oldEnd ? { ...a, start: a.start + shift, end: a.end + shift } : a)).filter((a) => a.end <= edit.start || a.start >= edit.newEnd);
  let k = 0;
  for (const statement of kids(root)) {
    const [start, end] = [statement.startIndex, statement.endIndex];
    while (k < kept.length && kept[k]!.start < start) k++;
    if (dirty.some((d) => d.start <= end && d.end >= start)) {
      anchors.push(...anchorsBetween(root, text, framework, start, end));
    } else {
      for (; k < kept.length && kept[k]!.start < end; k++) anchors.push(kept[k]!);
    }
  }
  return { framework, anchors: anchors.map(withLine(text)) };
}

/** Fills in each anchor's 0-based line (a line index of the text, built once). */
function withLine(text: string): (a: Anchor) => Anchor {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (a) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= a.start) lo = mid;
      else hi = mid - 1;
    }
    return { ...a, line: lo };
  };
}

/** The parser returns the same tree for the same text: its anchors are computed once. */
const anchorCache = new WeakMap<Tree, { framework: Framework; anchors: Anchor[] }>();
