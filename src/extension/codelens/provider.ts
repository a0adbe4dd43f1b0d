/**
 * The VS Code side of the CodeLenses: anchors from the core's code generator, the latest
 * recommendation from the host, the experiment's last range test from the run records; the choice
 * of lenses is `lensesFor` (pure). Refreshes when runs change or the setting is toggled.
 */
import * as vscode from 'vscode';
import type { Anchor, Codegen } from '../../codegen/index';
import type { RunRecord } from '../../core/runs/record';
import type { LrRecommendation } from '../runs/recommendations';
import { disposeAll } from '../insertion/insert-command';
import { stepCountOf } from '../insertion/planning';
import { modelName, recommendationFor } from '../insertion/provenance';
import { listRecords } from '../runs/record-file';
import { confinedRunsDir } from '../settings';
import { lastRangeTestOf, lensesFor, type LensContext, type LensSpec } from './lenses';
import { StepCounts } from './step-counts';

/** Languages that get lenses (the core reads Python and TS/JS), on disk or untitled. */
export const CODELENS_SELECTOR: vscode.DocumentFilter[] = ['python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'].flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

export interface CodeLensDeps {
  /** The LR picked on the curve, else the newest recommendation of a saved range test (of this script, or of any). */
  latestRecommendation(experimentPath?: string): Promise<LrRecommendation | undefined>;
  /** Fires when runs are added, changed or removed (the titles show the last result). */
  onDidChangeRuns: vscode.Event<void>;
  codegen: () => Promise<Codegen>;
  log: vscode.LogOutputChannel;
  /** The clock the step counts' idle time is measured on (default Date.now). */
  now?: () => number;
  /** How long a document must be left alone before its step count is read again (default STEP_COUNT_IDLE_MS). */
  idleMs?: number;
}

/** Typing pauses longer than this get the insert lens' step count read again. */
export const STEP_COUNT_IDLE_MS = 800;

/** What a lens whose title waits for the document's step count needs to get it (`resolveCodeLens`). */
interface Pending {
  document: vscode.TextDocument;
  version: number;
  anchors: readonly Anchor[];
  context: LensContext;
  index: number;
}

export class LrScopeCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private records: Promise<RunRecord[]> | undefined;
  private readonly stepCounts: StepCounts<vscode.TextDocument>;
  private readonly pending = new WeakMap<vscode.CodeLens, Pending>();
  private readonly now: () => number;
  /** Asks VS Code for the lenses again once typing stopped (a stale step count is then read afresh). */
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: CodeLensDeps) {
    this.now = deps.now ?? Date.now;
    this.stepCounts = new StepCounts(deps.idleMs ?? STEP_COUNT_IDLE_MS);
    const refresh = (): void => {
      this.records = undefined;
      this.changed.fire();
    };
    this.subscriptions = [
      this.changed,
      // The host watches the run records (also before their folder exists) and fires this.
      deps.onDidChangeRuns(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrScope.codeLens.enabled') || e.affectsConfiguration('lrScope.runsFolder')) refresh();
      }),
    ];
  }

  /** The runs folder of every workspace folder (setting `lrScope.runsFolder`). */
  private runsDirs(): string[] {
    const dirs = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const config = vscode.workspace.getConfiguration('lrScope', folder.uri);
      return confinedRunsDir(config.inspect('runsFolder'), folder.uri.fsPath).dir;
    });
    return [...new Set(dirs)];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (vscode.workspace.getConfiguration('lrScope', document).get('codeLens.enabled') === false) return [];
    const codegen = await this.deps.codegen();
    if (token.isCancellationRequested) return [];
    const anchors = codegen.anchors({ text: document.getText(), fileName: document.fileName });
    if (anchors.length === 0) return [];
    const path = document.uri.fsPath;
    const isExperiment = anchors.some((a) => a.kind === 'experiment');
    const runnableScript = document.uri.scheme === 'file' && /\.py$/i.test(path);
    const withRuns = isExperiment || runnableScript;
    const [recommendation, records] = await Promise.all([this.recommendationFor(runnableScript ? path : undefined), withRuns ? this.allRecords() : Promise.resolve([])]);
    // The step count costs a plan of the whole file: it is read when a lens that shows it is resolved
    // (visible), once per document version and not while the user types (step-counts.ts), never here.
    this.stepCounts.seen(document, document.version, this.now());
    const known = this.stepCounts.known(document, document.version);
    const context: LensContext = {
      ...(known?.value !== undefined ? { stepCount: known.value } : {}),
      ...(known ? {} : { stepCountPending: true }),
      uri: document.uri.toString(),
      path,
      recommendation: recommendation && {
        lr: recommendation.lr,
        origin: recommendation.origin,
        ...(recommendation.experimentPath !== path ? { from: { model: modelName(recommendation.experimentPath), runId: recommendation.runId } } : {}),
      },
      lastRangeTest: withRuns ? lastRangeTestOf(records, path) : undefined,
      now: new Date(),
      runnableScript,
    };
    const version = document.version;
    return lensesFor(anchors, context).map((s, index) => {
      const range = new vscode.Range(document.positionAt(s.start), document.positionAt(s.end));
      if (!s.pending) return new vscode.CodeLens(range, commandOf(s));
      const lens = new vscode.CodeLens(range);
      this.pending.set(lens, { document, version, anchors, context, index });
      return lens;
    });
  }

  /** Gives a pending lens its title: the step count of the document (read once per version, not while typing). */
  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    const pending = this.pending.get(lens);
    if (!pending) return lens;
    const { document, version, anchors, context, index } = pending;
    const codegen = await this.deps.codegen();
    // a lens of an older version (its document moved on, new lenses are on their way) gets its title without the count
    const current = !token.isCancellationRequested && document.version === version;
    const read = current ? this.stepCounts.read(document, version, this.now(), () => stepCountIn(codegen, document, anchors)) : undefined;
    if (read?.stale) this.refreshWhenIdle();
    const { stepCountPending: _pending, ...rest } = context;
    const spec = lensesFor(anchors, { ...rest, ...(read?.value !== undefined ? { stepCount: read.value } : {}) })[index];
    if (spec) lens.command = commandOf(spec);
    return lens;
  }

  private refreshWhenIdle(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, this.deps.idleMs ?? STEP_COUNT_IDLE_MS);
  }

  /** A script's own latest recommendation (its range tests through the probe), else the latest of any run. */
  private recommendationFor(scriptPath: string | undefined): Promise<LrRecommendation | undefined> {
    return recommendationFor((p) => this.deps.latestRecommendation(p), scriptPath);
  }

  /** Every readable record of the workspace's runs folders (cached until runs change). */
  private allRecords(): Promise<RunRecord[]> {
    this.records ??= (async () => {
      const reads = await Promise.all(this.runsDirs().map((dir) => listRecords(dir)));
      return reads.flat().flatMap((r) => (r.ok ? [r.record] : []));
    })().catch((err: unknown) => {
      this.deps.log.warn(`CodeLens: could not read run records: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    });
    return this.records;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Registers the CodeLens provider for Python and TS/JS files. */
export function registerCodeLens(deps: CodeLensDeps): vscode.Disposable {
  const provider = new LrScopeCodeLensProvider(deps);
  return disposeAll(vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, provider), provider);
}

/** The number of optimizer steps the insertion planner reads from the document (an expression of its names). */
function stepCountIn(codegen: Codegen, document: vscode.TextDocument, anchors: readonly Anchor[]): string | undefined {
  const anchor = anchors.find((a) => a.kind === 'optimizer' || a.kind === 'fit' || a.kind === 'compile' || a.kind === 'configure-optimizers');
  return anchor ? stepCountOf(codegen, 'pytorch', 1e-3, anchor.framework, { text: document.getText(), fileName: document.fileName })?.expr : undefined;
}

function commandOf(spec: LensSpec): vscode.Command {
  return { title: spec.title, tooltip: spec.tooltip, command: spec.command, arguments: spec.arguments };
}
