/**
 * The VS Code side of the CodeLenses: anchors from the core's code generator, the latest
 * recommendation from the host, the experiment's last range test from the run records; the choice
 * of lenses is `lensesFor` (pure). Refreshes when runs change or the setting is toggled.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Anchor, Codegen } from '../../codegen/index';
import type { RunRecord } from '../../core/runs/record';
import type { LrRecommendation } from '../runs/recommendations';
import { disposeAll } from '../insertion/insert-command';
import { stepCountOf } from '../insertion/planning';
import { listRecords } from '../runs/record-file';
import { confinedRunsDir } from '../settings';
import { lastRangeTestOf, lensesFor } from './lenses';

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
}

export class LrScopeCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private records: Promise<RunRecord[]> | undefined;
  private readonly stepCounts = new WeakMap<vscode.TextDocument, { version: number; value: string | undefined }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: CodeLensDeps) {
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
    const stepCount = this.stepCountOf(codegen, document, anchors);
    const specs = lensesFor(anchors, {
      ...(stepCount ? { stepCount } : {}),
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
    });
    return specs.map(
      (s) =>
        new vscode.CodeLens(new vscode.Range(document.positionAt(s.start), document.positionAt(s.end)), {
          title: s.title,
          tooltip: s.tooltip,
          command: s.command,
          arguments: s.arguments,
        }),
    );
  }

  /** The step count the insertion planner reads from the document (the lens shows it), once per document version. */
  private stepCountOf(codegen: Codegen, document: vscode.TextDocument, anchors: readonly Anchor[]): string | undefined {
    const cached = this.stepCounts.get(document);
    if (cached && cached.version === document.version) return cached.value;
    const anchor = anchors.find((a) => a.kind === 'optimizer' || a.kind === 'fit' || a.kind === 'compile' || a.kind === 'configure-optimizers');
    const value = anchor ? stepCountOf(codegen, 'pytorch', 1e-3, anchor.framework, { text: document.getText(), fileName: document.fileName })?.expr : undefined;
    this.stepCounts.set(document, { version: document.version, value });
    return value;
  }

  /** A script's own latest recommendation (its range tests through the probe), else the latest of any run. */
  private async recommendationFor(scriptPath: string | undefined): Promise<LrRecommendation | undefined> {
    const own = scriptPath === undefined ? undefined : await this.deps.latestRecommendation(scriptPath);
    return own ?? this.deps.latestRecommendation();
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
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Registers the CodeLens provider for Python and TS/JS files. */
export function registerCodeLens(deps: CodeLensDeps): vscode.Disposable {
  const provider = new LrScopeCodeLensProvider(deps);
  return disposeAll(vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, provider), provider);
}

/** A model's short name for a lens: its file name without `.experiment.ts` or the extension (`digits`, `train`). */
function modelName(path: string): string {
  return basename(path).replace(/\.experiment\.(ts|js|mjs)$/i, '').replace(/\.[^.]+$/, '');
}
