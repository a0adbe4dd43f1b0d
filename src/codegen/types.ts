/** Code generation and insertion planning contracts (DESIGN.md, "Code generation"). */
import type { ScheduleSpec } from '../core/schedules/spec';

import type { Framework } from '../core/frameworks';

export { FRAMEWORKS, type Framework } from '../core/frameworks';

/** A replacement of the half-open character range [start, end) of the original text. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface InsertionPlan {
  framework: Framework;
  /** Non-overlapping edits against the original text, sorted by start. Applying them all gives the new text. */
  edits: TextEdit[];
  /** One line per change, for the UI ("create OneCycleLR after `optimizer = …` (line 12)"). */
  summary: string[];
  /** True when the plan updates a schedule that LR Scope (or the user) already had. */
  updatesExisting: boolean;
  /** What the user must check or edit for the schedule to be right (e.g. a length the file does not tell). */
  warnings?: string[];
  /** The number of optimizer steps the file takes, when the planner read it from the file. */
  stepCount?: { expr: string; describe: string };
}

/** Code without a target file: what `lrscope snippet` prints and the webview's Copy button copies. */
export interface Snippet {
  framework: Framework;
  language: 'python' | 'typescript' | 'json';
  code: string;
}

export type AnchorKind =
  | 'optimizer' // torch.optim.SGD(...), tf.train.adam(...), optax.adam(...), keras.optimizers.SGD(...)
  | 'fit' // learn.fit(...), model.fit(...), trainer.fit(...)
  | 'scheduler' // an existing OneCycleLR / CyclicLR / LambdaLR / optax schedule
  | 'configure-optimizers' // Lightning
  | 'compile' // TF.js / Keras model.compile(...)
  | 'experiment'; // the default export of an *.experiment.ts|js|mjs module

/** A place in a source file where a CodeLens belongs. Offsets are character offsets. */
export interface Anchor {
  kind: AnchorKind;
  framework: Framework;
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** e.g. the optimizer variable name, the scheduler class, the fit receiver. */
  name?: string;
  /** For 'scheduler' anchors: the max LR currently written in the code, when a literal. */
  maxLr?: number;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor || e.end < e.start || e.end > text.length) {
      throw new Error(`overlapping or out-of-range edit [${e.start}, ${e.end})`);
    }
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}

export type { ScheduleSpec };
