/**
 * Schedule insertion in VS Code (issue 4 §4): the handler behind `lrScope.insertSchedule`, the
 * panel's Insert button and the CodeLenses. It finds the target document, asks for what the file
 * and the runs do not tell (framework, max LR, epochs × steps), plans with the core's code
 * generator and applies the plan as ONE WorkspaceEdit: one undo step, nothing saved, refused when
 * the document changed since the plan was made.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatLr, type RecommendFlavor } from '../../core/analysis/index';
import type { Codegen, CodegenSource, CodeLanguage } from '../../codegen/index';
import type { ScheduleSpec } from '../../codegen/types';
import { FRAMEWORK_INFO, frameworkLanguage, type Framework } from '../../core/frameworks';
import type { OneCycleFlavor } from '../../core/schedules/spec';
import type { LrRecommendation } from '../runs/recommendations';
import type { InsertSchedule, InsertScheduleRequest, InsertScheduleResult } from './insert-request';
import {
  appliedMessage,
  codeLanguageOfId,
  decideApply,
  flavorFor,
  frameworkChoices,
  isLensInsertArgs,
  stepCountOf,
  parseCount,
  parseLr,
  specFor,
  type LensInsertArgs,
  type PlannedInsertion,
} from './planning';
import { RecentEditors } from './recent-editors';

const DEFAULT_EPOCHS = 5;
const DEFAULT_STEPS_PER_EPOCH = 100;
const TITLE = 'LR Scope: Insert Schedule';


/** One disposable for several (plain object: no dependency on vscode.Disposable at activation). */
export function disposeAll(...items: vscode.Disposable[]): vscode.Disposable {
  return { dispose: () => items.splice(0).reverse().forEach((d) => d.dispose()) };
}

/** Thrown to end the flow quietly (the user cancelled a question). */
class Cancelled extends Error {}

export interface InsertionDeps {
  codegen: () => Promise<Codegen>;
  log: vscode.LogOutputChannel;
  /** The user's default framework and one-cycle flavor for a file (settings). */
  defaults(resource: string): { framework: Framework; flavor: OneCycleFlavor };
  /** The LR picked on the curve, else the newest recommendation of a saved range test. */
  latestRecommendation(): Promise<LrRecommendation | undefined>;
}

/** The insertion behind `lrScope.insertSchedule`, the panel's Insert and the lenses; dispose to stop following editors. */
export function createInsertion(deps: InsertionDeps): { insert: InsertSchedule; disposable: vscode.Disposable } {
  const recent = new RecentEditors();
  const insert: InsertSchedule = async (request) => {
    try {
      return await insertSchedule(deps, recent, request);
    } catch (err) {
      if (err instanceof Cancelled) return undefined;
      if (err instanceof Error && ['SpecError', 'RecommendScheduleError'].includes(err.name)) return { level: 'error', message: err.message };
      throw err;
    }
  };
  return { insert, disposable: disposeAll(recent) };
}

async function insertSchedule(deps: InsertionDeps, recent: RecentEditors, request: InsertScheduleRequest): Promise<InsertScheduleResult | undefined> {
  const lens = (request.args ?? []).find(isLensInsertArgs);
  const document = await targetDocument(request, lens, recent);
  if (!document) return undefined;
  const language = codeLanguageOfId(document.languageId);
  if (language === null) {
    return { level: 'error', message: `${basename(document.fileName)} is not a Python, TS/JS or JSON file; open your training script and try again.` };
  }
  const codegen = await deps.codegen();
  const source: CodegenSource = { text: document.getText(), fileName: document.fileName };
  const framework = request.framework ?? lens?.framework ?? (await pickFramework(codegen, source, language, deps.defaults(document.uri.fsPath).framework));
  const spec = request.spec ?? (await askSpec(deps, codegen, source, framework, lens, document));
  if (!spec) return undefined;

  // The plan is valid for exactly this version of the document.
  const outcome = codegen.plan(spec, framework, source);
  if (!outcome.ok) return { level: 'error', message: outcome.problem.message };
  const planned: PlannedInsertion = { uri: document.uri.toString(), version: document.version, plan: outcome.plan };
  deps.log.info(`insertion plan for ${document.uri.fsPath} (v${planned.version}): ${planned.plan.summary.join('; ')}`);
  if (request.source === 'command' && !lens && !(await confirm(planned, document))) return undefined;
  return applyPlanned(planned, document, request.source === 'panel');
}

/** The document to insert into: the lens' or request's file, else the active or most recent matching editor, else the user's pick. */
async function targetDocument(request: InsertScheduleRequest, lens: LensInsertArgs | undefined, recent: RecentEditors): Promise<vscode.TextDocument | undefined> {
  const explicit = lens?.uri ?? request.uri;
  if (explicit !== undefined) return vscode.workspace.openTextDocument(/^[a-z][\w+.-]*:/i.test(explicit) ? vscode.Uri.parse(explicit) : vscode.Uri.file(explicit));
  const wanted: CodeLanguage | null = request.framework ? frameworkLanguage(request.framework) : null;
  const fits = (d: vscode.TextDocument): boolean => {
    const language = codeLanguageOfId(d.languageId);
    return language !== null && (wanted === null || language === wanted) && language !== 'json';
  };
  const active = vscode.window.activeTextEditor?.document;
  if (active && fits(active)) return active;
  const found = recent.find(fits);
  if (found) return found;
  const candidates = vscode.workspace.textDocuments.filter((d) => !d.isClosed && fits(d) && d.uri.scheme === 'file');
  const what = wanted === 'python' ? 'Python training script' : wanted === 'typescript' ? 'TS/JS training script' : 'training script';
  if (candidates.length === 0) {
    const open = 'Open File…';
    const choice = await vscode.window.showInformationMessage(`LR Scope: open the ${what} to insert the schedule into, then insert again.`, open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.quickOpen');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((d) => ({ label: basename(d.fileName), description: vscode.workspace.asRelativePath(d.uri), document: d })),
    { title: TITLE, placeHolder: `The ${what} to insert the schedule into` },
  );
  return picked?.document;
}

async function pickFramework(codegen: Codegen, source: CodegenSource, language: CodeLanguage, preferred: Framework): Promise<Framework> {
  const choices = frameworkChoices(language, codegen.frameworkOf(source), preferred);
  if (choices.length === 1) return choices[0]!;
  const picked = await vscode.window.showQuickPick(
    choices.map((framework, i) => ({ label: FRAMEWORK_INFO[framework].label, description: i === 0 ? 'detected / default' : '', framework })),
    { title: `${TITLE} (1/3): framework`, placeHolder: `Framework of ${basename(source.fileName)}` },
  );
  if (!picked) throw new Cancelled();
  return picked.framework;
}

/** Builds the spec: flavor from the settings (or the existing scheduler), max LR, and the length when the file does not give it. */
async function askSpec(
  deps: InsertionDeps,
  codegen: Codegen,
  source: CodegenSource,
  framework: Framework,
  lens: LensInsertArgs | undefined,
  document: vscode.TextDocument,
): Promise<ScheduleSpec | undefined> {
  const anchor = lens ? { kind: lens.anchorKind, ...(lens.anchorName !== undefined ? { name: lens.anchorName } : {}) } : undefined;
  const flavor: RecommendFlavor = flavorFor(anchor, deps.defaults(document.uri.fsPath).flavor);
  const recommendation = await deps.latestRecommendation();
  let maxLr: number | undefined = lens?.maxLr ?? undefined;
  if (maxLr === undefined) {
    if (lens && !recommendation) {
      // "Find LR…": no recommendation yet.
      if (!(await offerToFindLr())) return undefined;
    }
    const typed = await vscode.window.showInputBox({
      title: `${TITLE} (2/3): maximum learning rate`,
      prompt: recommendation
        ? `${recommendation.origin === 'picked' ? 'Picked on the curve of' : 'Recommended by the range test'} ${recommendation.runId}; edit it if you like.`
        : 'No range test yet: type the peak LR (or run "LR Scope: Run Range Test" first).',
      value: recommendation ? formatLr(recommendation.lr) : '',
      validateInput: (v) => (parseLr(v) === null ? 'A learning rate > 0, e.g. 3e-3' : undefined),
    });
    if (typed === undefined) throw new Cancelled();
    maxLr = parseLr(typed)!;
  }
  if (stepCountOf(codegen, flavor, maxLr, framework, source)) return specFor(flavor, maxLr, 1, DEFAULT_STEPS_PER_EPOCH);
  const epochs = await askCount(`${TITLE} (3/3): epochs`, `${basename(source.fileName)} does not say how long it trains: the number of epochs`, DEFAULT_EPOCHS);
  const steps = await askCount(
    `${TITLE} (3/3): steps per epoch`,
    'Batches per epoch (training examples ÷ batch size); the schedule spans epochs × this many optimizer steps.',
    recommendation?.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH,
  );
  return specFor(flavor, maxLr, epochs, steps);
}

/** "Find LR…" without a recommendation: start a range test, import a log, or type an LR. False when the flow ends here. */
async function offerToFindLr(): Promise<boolean> {
  const items = [
    { label: '$(play) Run a range test on an experiment…', detail: 'Find the LR with your *.experiment.ts (or the bundled example), then insert.', action: 'range-test' as const },
    { label: '$(go-to-file) Import an LR log…', detail: 'A CSV/JSONL of (lr, loss) from your own PyTorch, Keras or fastai range test.', action: 'import' as const },
    { label: '$(edit) Type a max LR', detail: 'Insert now with a learning rate you choose.', action: 'type' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'LR Scope: Find LR', placeHolder: 'No learning rate recommended yet' });
  switch (picked?.action) {
    case undefined:
      return false;
    case 'range-test':
      await vscode.commands.executeCommand('lrScope.runRangeTest');
      return false;
    case 'import':
      await vscode.commands.executeCommand('lrScope.importLog');
      return false;
    case 'type':
      return true;
  }
}

async function askCount(title: string, prompt: string, value: number): Promise<number> {
  const typed = await vscode.window.showInputBox({ title, prompt, value: String(value), validateInput: (v) => (parseCount(v) === null ? 'A whole number ≥ 1' : undefined) });
  if (typed === undefined) throw new Cancelled();
  return parseCount(typed)!;
}

async function confirm(planned: PlannedInsertion, document: vscode.TextDocument): Promise<boolean> {
  const action = planned.plan.updatesExisting ? 'Update' : 'Insert';
  const choice = await vscode.window.showInformationMessage(
    `${action} the ${planned.plan.framework} schedule in ${basename(document.fileName)}?`,
    { modal: true, detail: planned.plan.summary.map((s) => `• ${s}`).join('\n') },
    action,
  );
  return choice === action;
}

/** Applies the plan as one WorkspaceEdit (one undo step) unless the document changed since it was made. */
async function applyPlanned(planned: PlannedInsertion, document: vscode.TextDocument, keepFocus: boolean): Promise<InsertScheduleResult> {
  const decision = decideApply(planned, { version: document.version, text: document.getText() });
  switch (decision.kind) {
    case 'refused':
      return { level: 'error', message: `${basename(document.fileName)}: ${decision.message}` };
    case 'up-to-date':
      return { level: 'info', message: `${basename(document.fileName)}: ${decision.message}` };
    case 'apply': {
      const edit = new vscode.WorkspaceEdit();
      for (const e of decision.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
      // positionAt above read this very version; a change since would have been refused.
      if (!(await vscode.workspace.applyEdit(edit))) {
        return { level: 'error', message: `VS Code did not apply the edit to ${basename(document.fileName)} (is it read-only?).` };
      }
      // Reveal the first changed line from its start (no horizontal scroll).
      const at = document.positionAt(decision.edits[0]!.start).with({ character: 0 });
      // Show the change; from the panel, beside it (the panel stays in view with its notice).
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      const column = visible?.viewColumn ?? (keepFocus ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
      const editor = await vscode.window.showTextDocument(document, { preserveFocus: keepFocus, viewColumn: column });
      editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return { level: (planned.plan.warnings ?? []).length > 0 ? 'warning' : 'info', message: appliedMessage(planned.plan, basename(document.fileName)) };
    }
  }
}
