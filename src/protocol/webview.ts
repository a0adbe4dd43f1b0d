/**
 * Extension host <-> webview messages (DESIGN.md, "Webview"; issue 4 §3).
 *
 * The host owns the state. The webview posts `ready` when it loads; the host answers with one full
 * `state` message and then streams incremental `points`, `epoch` and `status` messages. The webview
 * keeps only view-local UI choices (smoothing, clipping, picked LR, schedule form) in `setState`.
 * What the webview asks and waits for (insert, copy, export) carries a `requestId`; the host answers
 * each with exactly one `reply` (done, or the error's message), whatever happened on its side.
 *
 * Both sides validate what they receive with {@link isHostMessage} / {@link isWebviewMessage} and
 * drop (and report) anything else. This module is plain data + pure functions: it imports no DOM
 * and no `vscode` types, so the extension host and the browser bundle share it.
 */
import type { EpochPoint, RunKind, RunRecord, RunStatus, StepPoint } from '../core/runs/record';
import { FLAVOR_IDS, ONE_CYCLE_FLAVORS, type FlavorId, type ScheduleSpec } from '../core/schedules/spec';
import type { Framework } from '../core/frameworks';

/** Schedule flavors the webview can preview and insert: every registered flavor. */
export type PreviewFlavor = FlavorId;
export const PREVIEW_FLAVORS: readonly PreviewFlavor[] = FLAVOR_IDS;
export const WEBVIEW_FRAMEWORKS: readonly Framework[] = ['pytorch', 'lightning', 'keras', 'fastai', 'optax', 'tfjs', 'json'];

/** What the webview needs of one run: a subset of the run record, growing while the run streams. */
export interface RunSnapshot {
  id: string;
  kind: RunKind;
  /** Legend / title text, e.g. the experiment name or "wd=1e-4". */
  label: string;
  status: RunStatus;
  statusDetail?: string;
  /** The schedule the run follows: a `range` spec for range tests. */
  schedule: ScheduleSpec;
  /** Planned number of optimizer steps, when known (progress). */
  totalSteps?: number;
  /** Smoothing β the run was analysed with (default 0.98). */
  beta?: number;
  /** Divergence factor the run stopped on (default 4; null = disabled). */
  divergeFactor?: number | null;
  /** e.g. "wasm", "pytorch"; shown, never interpreted. */
  backend?: string;
  /**
   * An LR log of another tool, read whole (`imported`) or followed while it grows (`watched`): it has no
   * planned length, and its LR axis spans the data.
   */
  log?: 'imported' | 'watched';
  points: StepPoint[];
  epochs: EpochPoint[];
}

/** Defaults for the schedule section: the user's settings and what is known of the experiment. */
export interface ScheduleDefaults {
  flavor: PreviewFlavor;
  framework: Framework;
  epochs: number;
  stepsPerEpoch: number;
}

/** The whole panel, replayed by the host on `ready` and whenever the panel becomes visible again. */
export type PanelState =
  | { view: 'empty'; message: string }
  | { view: 'range-test'; run: RunSnapshot; schedule: ScheduleDefaults }
  | { view: 'training'; run: RunSnapshot }
  /** Range tests overlaid; `title` says what they share (the experiment, the sweep). */
  | { view: 'compare'; runs: RunSnapshot[]; title?: string }
  /** Schedule editor alone, e.g. "Insert Schedule…" with a known max LR (null: the user types one). */
  | { view: 'schedule'; maxLr: number | null; schedule: ScheduleDefaults };

export type PanelView = PanelState['view'];

export type HostMessage =
  | { type: 'state'; state: PanelState }
  /** Points appended to a run, in step order (the host coalesces; ≤ 10 messages/s). */
  | { type: 'points'; runId: string; points: StepPoint[] }
  | { type: 'epoch'; runId: string; epoch: EpochPoint }
  | { type: 'status'; runId: string; status: RunStatus; detail?: string }
  /** The one answer to a request of the webview (insert, copy, export), shown in the panel. */
  | ReplyMessage;

/**
 * The answer to the webview's request `requestId`: done (`message` says what happened; none when the
 * user cancelled a question on the way), or not (`message` says why). Each request gets exactly one.
 */
export type ReplyMessage = { type: 'reply'; requestId: string; ok: true; message?: string } | { type: 'reply'; requestId: string; ok: false; message: string };

export type ExportFormat = 'png' | 'csv' | 'json';

/** What the webview asks the host to do and waits for: each carries a `requestId` and gets one `reply`. */
export type RequestMessage =
  /** Insert the schedule into the user's code; `spec` has passed the core's `validateSpec`. */
  | { type: 'insert'; requestId: string; spec: ScheduleSpec; framework: Framework }
  /** Copy the generated code for `spec` to the clipboard (the host generates it). */
  | { type: 'copy'; requestId: string; spec: ScheduleSpec; framework: Framework }
  /** Save a file: `data` is a `data:image/png;base64,…` URL for png, the text itself otherwise. */
  | { type: 'export'; requestId: string; format: ExportFormat; fileName: string; data: string };

/** A request before its id is given (the webview's request tracker numbers it). */
export type RequestBody = RequestMessage extends unknown ? DistributiveOmit<RequestMessage, 'requestId'> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  | RequestMessage
  /** The user picked an LR on the curve (null: back to the recommendation). */
  | { type: 'pick'; runId: string; lr: number | null }
  /** Something the host should log: dropped invalid messages, runtime errors in the webview. */
  | { type: 'log'; level: 'warn' | 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Runtime validation. Hand-written (no schema library) and strict about what is used; unknown
// extra fields are tolerated so either side can add optional fields without breaking the other.

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isStr(x: unknown): x is string {
  return typeof x === 'string';
}
function isNum(x: unknown): x is number {
  return typeof x === 'number' && !Number.isNaN(x);
}
function isFiniteNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
function isPosInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}
function optional(x: unknown, check: (v: unknown) => boolean): boolean {
  return x === undefined || check(x);
}
function oneOf<T extends string>(values: readonly T[]) {
  return (x: unknown): x is T => typeof x === 'string' && (values as readonly string[]).includes(x);
}

const RUN_KINDS = ['range-test', 'train'] as const;
const RUN_STATUSES = ['running', 'completed', 'diverged', 'cancelled', 'crashed', 'failed'] as const;
const POLICIES = ['range', 'constant', 'cyclic', 'onecycle'] as const;

/** A request's id: a short token of letters, digits and dashes. */
function isRequestId(x: unknown): x is string {
  return typeof x === 'string' && /^[\w-]{1,64}$/.test(x);
}

const isRunKind = oneOf(RUN_KINDS);
const isRunStatus = oneOf(RUN_STATUSES);
const isFramework = oneOf(WEBVIEW_FRAMEWORKS);
const isPreviewFlavor = oneOf(PREVIEW_FLAVORS);
const isExportFormat = oneOf(['png', 'csv', 'json'] as const);

/**
 * A step point: finite lr > 0 and step ≥ 0; the loss may be any number, including ±Infinity
 * (a diverging run reports it, the analysis drops it) but not NaN-typed garbage like strings.
 * JSON turns NaN and Infinity into null, so null losses are accepted as "non-finite".
 */
function isStepPoint(x: unknown): x is StepPoint {
  return (
    isObj(x) &&
    Number.isInteger(x.step) &&
    (x.step as number) >= 0 &&
    isFiniteNum(x.lr) &&
    x.lr > 0 &&
    (typeof x.loss === 'number' || x.loss === null) &&
    optional(x.smoothed, (v) => typeof v === 'number' || v === null) &&
    optional(x.momentum, isFiniteNum)
  );
}

function isEpochPoint(x: unknown): x is EpochPoint {
  return (
    isObj(x) &&
    Number.isInteger(x.epoch) &&
    (x.epoch as number) >= 0 &&
    (typeof x.loss === 'number' || x.loss === null) &&
    optional(x.valLoss, (v) => typeof v === 'number' || v === null) &&
    isObj(x.metrics) &&
    Object.values(x.metrics).every((v) => typeof v === 'number' || v === null)
  );
}

/**
 * Structural check of a schedule spec: a known policy (and flavor), and every present field is a
 * number, boolean, string or a small array/object of numbers. The meaning of the numbers is the
 * core's `validateSpec`'s business; the receiving side runs it before using a spec.
 */
export function isScheduleSpecShape(x: unknown): x is ScheduleSpec {
  if (!isObj(x) || !oneOf(POLICIES)(x.policy)) return false;
  if (x.policy === 'onecycle' && !oneOf(ONE_CYCLE_FLAVORS)(x.flavor)) return false;
  return Object.entries(x).every(([key, v]) => {
    if (key === 'policy' || key === 'flavor' || key === 'mode' || key === 'annealStrategy') return isStr(v);
    if (typeof v === 'number' || typeof v === 'boolean') return true;
    if (Array.isArray(v)) return v.every(isNum);
    if (isObj(v)) return Object.values(v).every(isNum);
    return v === undefined;
  });
}

function isRunSnapshot(x: unknown): x is RunSnapshot {
  return (
    isObj(x) &&
    isStr(x.id) &&
    isRunKind(x.kind) &&
    isStr(x.label) &&
    isRunStatus(x.status) &&
    optional(x.statusDetail, isStr) &&
    isScheduleSpecShape(x.schedule) &&
    optional(x.totalSteps, isPosInt) &&
    optional(x.beta, (v) => isFiniteNum(v) && v >= 0 && v < 1) &&
    optional(x.divergeFactor, (v) => v === null || (isFiniteNum(v) && v > 1)) &&
    optional(x.backend, isStr) &&
    optional(x.log, (v) => v === 'imported' || v === 'watched') &&
    Array.isArray(x.points) &&
    x.points.every(isStepPoint) &&
    Array.isArray(x.epochs) &&
    x.epochs.every(isEpochPoint)
  );
}

function isScheduleDefaults(x: unknown): x is ScheduleDefaults {
  return isObj(x) && isPreviewFlavor(x.flavor) && isFramework(x.framework) && isPosInt(x.epochs) && isPosInt(x.stepsPerEpoch);
}

function isPanelState(x: unknown): x is PanelState {
  if (!isObj(x)) return false;
  switch (x.view) {
    case 'empty':
      return isStr(x.message);
    case 'range-test':
      return isRunSnapshot(x.run) && isScheduleDefaults(x.schedule);
    case 'training':
      return isRunSnapshot(x.run);
    case 'compare':
      return Array.isArray(x.runs) && x.runs.every(isRunSnapshot) && optional(x.title, isStr);
    case 'schedule':
      return (x.maxLr === null || (isFiniteNum(x.maxLr) && x.maxLr > 0)) && isScheduleDefaults(x.schedule);
    default:
      return false;
  }
}

/** True when `x` is a well-formed message from the host to the webview. */
export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObj(x)) return false;
  switch (x.type) {
    case 'state':
      return isPanelState(x.state);
    case 'points':
      return isStr(x.runId) && Array.isArray(x.points) && x.points.every(isStepPoint);
    case 'epoch':
      return isStr(x.runId) && isEpochPoint(x.epoch);
    case 'status':
      return isStr(x.runId) && isRunStatus(x.status) && optional(x.detail, isStr);
    case 'reply':
      return isRequestId(x.requestId) && (x.ok === true ? optional(x.message, isStr) : x.ok === false && isStr(x.message));
    default:
      return false;
  }
}

/** True when `x` is a well-formed message from the webview to the host. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isObj(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'stop':
      return isStr(x.runId);
    case 'insert':
    case 'copy':
      return isRequestId(x.requestId) && isScheduleSpecShape(x.spec) && isFramework(x.framework);
    case 'pick':
      return isStr(x.runId) && (x.lr === null || (isFiniteNum(x.lr) && x.lr > 0));
    case 'export':
      return (
        isRequestId(x.requestId) &&
        isExportFormat(x.format) &&
        isStr(x.fileName) &&
        /^[\w.+-]+$/.test(x.fileName) &&
        isStr(x.data) &&
        (x.format !== 'png' || x.data.startsWith('data:image/png;base64,'))
      );
    case 'log':
      return (x.level === 'warn' || x.level === 'error') && isStr(x.message);
    default:
      return false;
  }
}

/**
 * The id of what looks like a request (insert, copy, export) with a well-formed id, whether or not
 * the rest of it is valid: a rejected request is still answered, so the webview never waits forever.
 */
export function requestIdOf(x: unknown): string | undefined {
  return isObj(x) && (x.type === 'insert' || x.type === 'copy' || x.type === 'export') && isRequestId(x.requestId) ? x.requestId : undefined;
}

/** A short, safe description of a rejected message for logs ("type=points, 3 keys"). */
export function describeMessage(x: unknown): string {
  if (!isObj(x)) return x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;
  const type = isStr(x.type) ? x.type.slice(0, 40) : String(typeof x.type);
  return `type=${type}, keys=${Object.keys(x).slice(0, 8).join(',')}`;
}

/** The webview's view of a saved (or in-progress) run record. */
export function snapshotFromRecord(record: RunRecord, label?: string): RunSnapshot {
  const beta = record.options.beta;
  const divergeFactor = record.options.divergeFactor;
  const log = record.options.log;
  return {
    id: record.id,
    kind: record.kind,
    label: label ?? record.experiment.label ?? record.experiment.path.split(/[\\/]/).pop() ?? record.id,
    status: record.status,
    ...(record.statusDetail !== undefined ? { statusDetail: record.statusDetail } : {}),
    schedule: record.schedule,
    ...(typeof beta === 'number' ? { beta } : {}),
    ...(typeof divergeFactor === 'number' || divergeFactor === null ? { divergeFactor } : {}),
    backend: record.environment.backend,
    ...(log === 'imported' || log === 'watched' ? { log } : {}),
    points: record.points,
    epochs: record.epochs,
  };
}
