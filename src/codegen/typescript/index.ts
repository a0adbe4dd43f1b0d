/** TS/JS code generation: TF.js schedules, insertion planning and CodeLens anchors. */
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { Framework, Snippet } from '../types';
import type { ScriptParser } from './parser';
import { restyle } from './restyle';
import { DEFAULT_STYLE } from './style';
import { findTfImports, isExperimentFile, isScriptFile, findFitCalls, findBlock } from './syntax';
import { tfjsBlock } from './tfjs-block';

export { detectTsAnchors } from './anchors';
export { loadScriptParser, type ScriptParser } from './parser';
export { planTfjsInsertion, type ScriptSource } from './tfjs-plan';
export { isScriptFile, isExperimentFile } from './syntax';
export { BLOCK_START, BLOCK_END, CALLBACK_FUNCTION } from './tfjs-block';
export { scheduleSource, type ScheduleSource, type ScriptLanguage } from './schedule-source';

/**
 * The TF.js schedule as a TypeScript snippet to paste: the tfjs import, the schedule block
 * (lrAt, momentumAt when cycled, withLrSchedule) and how to pass it to model.fit.
 * Throws the core's SpecError for an invalid spec.
 */
export function tfjsSnippet(spec: ScheduleSpec): Snippet {
  const { lines } = tfjsBlock(spec, 'ts', 'tf');
  const code = restyle(
    [
      `import * as tf from '@tensorflow/tfjs';`,
      '',
      ...lines,
      '',
      `// Then train with the schedule (it sets the learning rate before every batch):`,
      `// await model.fit(xs, ys, { epochs, batchSize, callbacks: withLrSchedule(model) });`,
    ],
    DEFAULT_STYLE,
  );
  return { framework: 'tfjs', language: 'typescript', code: code + '\n' };
}

/**
 * 'tfjs' when a TS/JS file is TF.js code (imports @tensorflow/tfjs*, is an experiment module,
 * calls model.fit/fitDataset or holds an LR Scope block), else null.
 */
export function tfjsFrameworkOf(parser: ScriptParser, text: string, fileName: string): Framework | null {
  if (!isScriptFile(fileName)) return null;
  if (isExperimentFile(fileName)) return 'tfjs';
  const root = parser.parse(text, fileName).rootNode;
  if (findTfImports(root, fileName).moduleName !== null) return 'tfjs';
  if (findFitCalls(root).length > 0 || findBlock(root, text) !== null) return 'tfjs';
  return null;
}
