/** What an insertion is asked with (the command, the panel's Insert, a CodeLens) and what it answers. */
import type { Framework, ScheduleSpec } from '../../codegen/types';

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

/** Plans and applies a schedule; undefined when the user cancelled a question. */
export type InsertSchedule = (request: InsertScheduleRequest) => Promise<InsertScheduleResult | undefined>;
