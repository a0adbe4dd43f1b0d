/**
 * The vscode-free half of schedule insertion: which frameworks fit a file, the spec to insert,
 * whether the file itself sizes the schedule, and whether a plan may still be applied to a
 * document (tested in plain node; `insert-command.ts` is the thin VS Code side).
 */
import type { RecommendFlavor } from '../../core/analysis/index';
import { flavorById } from '../../core/schedules/index';
import { applyEdits, type AnchorKind, type InsertionPlan, type TextEdit } from '../../codegen/types';
import { FRAMEWORKS, frameworkLanguage, type Framework } from '../../core/frameworks';
import type { Codegen, CodegenSource, CodeLanguage } from '../../codegen/index';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { LrSource } from './provenance';

/** A plan together with the document version it was computed against. */
export interface PlannedInsertion {
  uri: string;
  /** `TextDocument.version` when the plan was made; the plan's offsets are only valid for it. */
  version: number;
  plan: InsertionPlan;
}

/** What to do with a plan now: apply these edits, nothing (already up to date), or refuse. */
export type ApplyDecision =
  | { kind: 'apply'; edits: TextEdit[] }
  | { kind: 'up-to-date'; message: string }
  | { kind: 'refused'; message: string };

/**
 * Decides whether `planned` may be applied to the document as it is now (`current`): refused when
 * the document changed since the plan was made (its offsets would land in the wrong places),
 * `up-to-date` when applying it would not change the text (re-inserting the same schedule).
 */
export function decideApply(planned: PlannedInsertion, current: { version: number; text: string }): ApplyDecision {
  if (current.version !== planned.version) {
    return {
      kind: 'refused',
      message: 'the file changed while the schedule was being planned, so nothing was inserted. Run the insertion again on the current text.',
    };
  }
  const edits = planned.plan.edits.filter((e) => current.text.slice(e.start, e.end) !== e.newText);
  if (edits.length === 0 || applyEdits(current.text, edits) === current.text) {
    return { kind: 'up-to-date', message: `the ${planned.plan.framework} schedule in this file is already up to date.` };
  }
  return { kind: 'apply', edits };
}

/** The VS Code language ids whose files LR Scope inserts schedules into, by code language. */
export const LANGUAGE_IDS: Record<CodeLanguage, readonly string[]> = {
  python: ['python'],
  typescript: ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'],
  json: ['json', 'jsonc'],
};

/** The code language of a VS Code language id, or null when LR Scope does not write that language. */
export function codeLanguageOfId(languageId: string): CodeLanguage | null {
  for (const language of ['python', 'typescript', 'json'] as const) {
    if (LANGUAGE_IDS[language].includes(languageId)) return language;
  }
  return null;
}



/**
 * The frameworks that can be written into a file of `language`, best guess first: the framework the
 * file trains with, else the user's default (when it fits the language), then the rest in the usual order.
 */
export function frameworkChoices(language: CodeLanguage, detected: Framework | null, preferred: Framework): Framework[] {
  const fitting = FRAMEWORKS.filter((f) => frameworkLanguage(f) === language);
  const first = [detected, preferred].filter((f): f is Framework => f !== null && fitting.includes(f));
  return [...new Set([...first, ...fitting])];
}

/**
 * The schedule flavor to insert: `cyclic` when updating an existing CyclicLR (keeps the user's
 * policy), else the one-cycle flavor of the settings.
 */
export function flavorFor(anchor: { kind: AnchorKind; name?: string } | undefined, oneCycleFlavor: RecommendFlavor): RecommendFlavor {
  return anchor?.kind === 'scheduler' && anchor.name === 'CyclicLR' ? 'cyclic' : oneCycleFlavor;
}

/** A schedule spec for `flavor` peaking at `maxLr` over `epochs × stepsPerEpoch` optimizer steps. */
export function specFor(flavor: RecommendFlavor, maxLr: number, epochs: number, stepsPerEpoch: number): ScheduleSpec {
  return flavorById(flavor).fromMaxLr(maxLr, { epochs, stepsPerEpoch });
}

/**
 * The number of optimizer steps the file takes, when the planner can read it from the file (then the schedule
 * is sized by the file and nobody needs to be asked for epochs and steps per epoch); null when it cannot, or
 * when the file cannot take the schedule at all (the plan itself then says why).
 */
export function stepCountOf(codegen: Pick<Codegen, 'plan'>, flavor: RecommendFlavor, maxLr: number, framework: Framework, source: CodegenSource): { expr: string; describe: string } | null {
  const outcome = codegen.plan(specFor(flavor, maxLr, 7, 101), framework, source);
  return outcome.ok ? (outcome.plan.stepCount ?? null) : null;
}

/** Parses a learning rate typed by the user (`3e-3`, `0.003`); null when it is not a finite number > 0. */
export function parseLr(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Parses a whole number ≥ 1 typed by the user; null otherwise. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : null;
}

/**
 * The message shown after a plan was applied: what changed (with where its LR comes from, `origin`:
 * "max_lr=2.8e-3 from digits, run R"), and that saving is up to the user.
 */
export function appliedMessage(plan: InsertionPlan, fileName: string, origin?: string): string {
  const what = `${plan.updatesExisting ? `Updated the ${plan.framework} schedule in ${fileName}` : `Inserted a ${plan.framework} schedule into ${fileName}`}${origin ? ` (${origin})` : ''}`;
  const check = (plan.warnings ?? []).length > 0 ? ` Check: ${plan.warnings!.join('; ')}.` : '';
  return `${what}: ${plan.summary.join('; ')}. Not saved yet; Undo reverts it in one step.${check}`;
}

/** The payload a CodeLens passes to `lrScope.insertSchedule` (its document and anchor, and the LR it showed). */
export interface LensInsertArgs {
  kind: 'lrScope.lensInsert';
  uri: string;
  framework: Framework;
  anchorKind: AnchorKind;
  anchorName?: string;
  /** The LR the lens title showed; null for "Find LR…". */
  maxLr: number | null;
}

/** Type guard for a CodeLens' insertion arguments (command arguments are untyped). */
export function isLensInsertArgs(value: unknown): value is LensInsertArgs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === 'lrScope.lensInsert' &&
    typeof v.uri === 'string' &&
    typeof v.framework === 'string' &&
    (FRAMEWORKS as readonly string[]).includes(v.framework) &&
    typeof v.anchorKind === 'string' &&
    (v.maxLr === null || (typeof v.maxLr === 'number' && Number.isFinite(v.maxLr) && v.maxLr > 0))
  );
}

/** The payload of "Insert This Schedule" after a training run: the schedule it trained with, into its script (or the active editor). */
export interface TrainedScheduleArgs {
  kind: 'lrScope.trainedSchedule';
  /** The script the run trained (a PyTorch script); absent: the active or last editor (an experiment's run). */
  uri?: string;
  spec: ScheduleSpec;
  /** The training run, named in the notice. */
  runId: string;
}

/** Type guard for "Insert This Schedule" arguments (the spec itself is checked by the planner). */
export function isTrainedScheduleArgs(value: unknown): value is TrainedScheduleArgs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === 'lrScope.trainedSchedule' &&
    (v.uri === undefined || typeof v.uri === 'string') &&
    typeof v.runId === 'string' &&
    typeof v.spec === 'object' &&
    v.spec !== null &&
    typeof (v.spec as Record<string, unknown>).policy === 'string'
  );
}

/** Where the panel's LR comes from, passed along with its Insert (`lrScope.insertSchedule`'s extra argument). */
export interface OriginArgs {
  kind: 'lrScope.lrOrigin';
  source: LrSource;
}

export function isOriginArgs(value: unknown): value is OriginArgs {
  if (typeof value !== 'object' || value === null || (value as Record<string, unknown>).kind !== 'lrScope.lrOrigin') return false;
  const source = (value as Record<string, unknown>).source as Record<string, unknown> | undefined;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.lr === 'number' &&
    (source.origin === 'recommended' || source.origin === 'picked') &&
    typeof source.runId === 'string' &&
    typeof source.experimentPath === 'string'
  );
}
