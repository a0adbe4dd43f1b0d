/**
 * Hooks the extension leaves for features that register themselves later (schedule insertion and
 * CodeLens, issue 4 §4). `main.ts` creates one `LrScopeHost` and passes it to them; they fill the
 * insertion handler and read the latest recommendation from it.
 */
import type { Codegen } from '../codegen/index';
import type { Disposable } from 'vscode';
import type { Framework, ScheduleSpec } from '../codegen/types';
import type { OneCycleFlavor } from '../core/schedules/spec';

/** Why an insertion was asked for, and what is known at that moment. */
export interface InsertScheduleRequest {
  /** `command`: palette/menu (ask what is missing); `panel`: the plot's Insert button; `codelens`: a lens. */
  source: 'command' | 'panel' | 'codelens';
  /** The schedule to insert, when the caller has one (the panel always does). */
  spec?: ScheduleSpec;
  framework?: Framework;
  /** Target document (e.g. the CodeLens' document); else the handler picks the active editor. */
  uri?: string;
  /** Extra arguments of the command (a CodeLens may pass its anchor). */
  args?: unknown[];
}

/** The result shown to the user (in the panel as a notice; as a message otherwise). */
export interface InsertScheduleResult {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type InsertScheduleHandler = (request: InsertScheduleRequest) => Promise<InsertScheduleResult | undefined>;

/** The LR a schedule should peak at, and where it comes from. */
export interface LrRecommendation {
  lr: number;
  /** `recommended` by the analysis of a run, or `picked` by the user on the curve. */
  origin: 'recommended' | 'picked';
  runId: string;
  /** Experiment (or log) the run was on. */
  experimentPath: string;
  /** Steps per epoch the run knew of (sizes a schedule), when known. */
  stepsPerEpoch?: number;
}

/** What later features get from the extension. */
export interface LrScopeHost {
  /**
   * Installs the handler of `lrScope.insertSchedule` and of the panel's Insert button. One
   * handler at a time; disposing the result removes it.
   */
  setInsertScheduleHandler(handler: InsertScheduleHandler): Disposable;
  /** The extension's code generator, loaded on first use (it holds tree-sitter and its grammars). */
  codegen(): Promise<Codegen>;
  /** The LR picked on the curve, else the newest recommendation of a saved range test, else undefined. */
  latestRecommendation(experimentPath?: string): Promise<LrRecommendation | undefined>;
  /** The user's default framework and one-cycle flavor (settings). */
  defaults(resource?: string): { framework: Framework; flavor: OneCycleFlavor };
  /** Opens the schedule editor in the results panel with this max LR (null: the user types one). */
  showSchedule(maxLr: number | null): void;
  /** Starts a range test on an experiment (the CodeLens "▶ Range test"); same checks as the command. */
  runRangeTest(experimentPath: string): Promise<void>;
  /** Starts one-cycle training on an experiment (the CodeLens "▶ Train one-cycle"). */
  trainOneCycle(experimentPath: string): Promise<void>;
  /** Fires when runs are added, changed or removed (CodeLens titles show the last result). */
  onDidChangeRuns(listener: () => void): Disposable;
}

/** Holds the insertion handler; `undefined` until the insertion feature registers. */
export class InsertScheduleSlot {
  private handler: InsertScheduleHandler | undefined;

  set(handler: InsertScheduleHandler): Disposable {
    this.handler = handler;
    return {
      dispose: () => {
        if (this.handler === handler) this.handler = undefined;
      },
    };
  }

  /** Runs the handler, or says that insertion is not available. */
  async run(request: InsertScheduleRequest): Promise<InsertScheduleResult | undefined> {
    if (!this.handler) {
      return { level: 'error', message: 'Schedule insertion is not available in this build of LR Scope. Use Copy and paste the code instead.' };
    }
    return this.handler(request);
  }
}
