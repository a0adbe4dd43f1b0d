/**
 * Schedule insertion in VS Code (issue 4 §4): the handler behind `lrScope.insertSchedule`, the
 * panel's Insert button, the CodeLenses and "Insert This Schedule" after training. It finds the
 * target document, asks only what the file and the runs do not tell (the framework when the file
 * does not train with one, the max LR, epochs × steps when the planner cannot read the length),
 * with one step counter (questions.ts), plans with the code generator and applies the plan as ONE
 * WorkspaceEdit: one undo step, nothing saved, refused when the document changed since the plan was
 * made. No modal: a notification says what changed, where the LR comes from, and offers Undo.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RecommendFlavor } from '../../core/analysis/index';
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
  isOriginArgs,
  isTrainedScheduleArgs,
  stepCountOf,
  parseCount,
  parseLr,
  specFor,
  type LensInsertArgs,
  type PlannedInsertion,
} from './planning';
import { lrOrigin, offeredLr, originSentence, recommendationFor } from './provenance';
import { questionsFor, questionTitle, type Question } from './questions';
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
  /** The LR picked on the curve, else the newest recommendation of a saved range test (of that file, or of any). */
  latestRecommendation(experimentPath?: string): Promise<LrRecommendation | undefined>;
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
  const args = request.args ?? [];
  const lens = args.find(isLensInsertArgs);
  const trained = args.find(isTrainedScheduleArgs);
  const document = await targetDocument({ ...request, ...(trained?.uri !== undefined ? { uri: trained.uri } : {}) }, lens, recent);
  if (!document) return undefined;
  const language = codeLanguageOfId(document.languageId);
  if (language === null) {
    return { level: 'error', message: `${basename(document.fileName)} is not a Python, TS/JS or JSON file; open your training script and try again.` };
  }
  const codegen = await deps.codegen();
  const source: CodegenSource = { text: document.getText(), fileName: document.fileName };
  const given = request.spec ?? trained?.spec;
  const fixedFramework = request.framework ?? lens?.framework;
  // The framework the file trains with is not asked; only a file that does not tell gets the choice.
  const detected = codegen.frameworkOf(source);
  const choices = fixedFramework ? [fixedFramework] : detected ? [detected] : frameworkChoices(language, null, deps.defaults(document.uri.fsPath).framework);
  const anchor = lens ? { kind: lens.anchorKind, ...(lens.anchorName !== undefined ? { name: lens.anchorName } : {}) } : undefined;
  const flavor: RecommendFlavor = flavorFor(anchor, deps.defaults(document.uri.fsPath).flavor);
  // What the file already says: the length the planner reads from it (then nobody is asked for epochs or steps).
  const lengths = new Map<Framework, boolean>();
  const lengthInFile = (framework: Framework): boolean => {
    if (!lengths.has(framework)) lengths.set(framework, given !== undefined || stepCountOf(codegen, flavor, 1e-3, framework, source) !== null);
    return lengths.get(framework)!;
  };
  const known = (framework: Framework) => ({
    frameworkChoices: given ? 1 : choices.length,
    maxLr: given !== undefined || (lens?.maxLr ?? null) !== null,
    epochs: lengthInFile(framework),
    stepsPerEpoch: lengthInFile(framework),
  });
  const flow: Flow = { questions: questionsFor(known(choices[0]!)) };
  const framework = choices.length === 1 || given ? choices[0]! : await pickFramework(choices, source, flow);
  flow.questions = questionsFor(known(framework));
  const recommendation = given ? undefined : await recommendationFor((p) => deps.latestRecommendation(p), document.uri.fsPath);
  const spec = given ?? (await askSpec(flow, { codegen, source, framework, flavor, lens, document, recommendation }));
  if (!spec) return undefined;

  // The plan is valid for exactly this version of the document (read again: the user may have typed while answering).
  const version = document.version;
  const outcome = codegen.plan(spec, framework, { text: document.getText(), fileName: document.fileName });
  if (!outcome.ok) return { level: 'error', message: outcome.problem.message };
  const planned: PlannedInsertion = { uri: document.uri.toString(), version, plan: outcome.plan };
  deps.log.info(`insertion plan for ${document.uri.fsPath} (v${planned.version}): ${planned.plan.summary.join('; ')}`);
  const origin = trained
    ? `the schedule training run ${trained.runId} used`
    : lrOrigin(lrNameOf(framework), spec, args.find(isOriginArgs)?.source ?? recommendation, document.uri.fsPath);
  const result = await applyPlanned(planned, document, request.source === 'panel', origin);
  if (request.source === 'panel') return result.result;
  // From a command or a lens: a plain notification (never modal), with Undo when something was applied.
  await notify(result.result, result.applied);
  return undefined;
}

/** The questions of this insertion, for the step counter of each prompt. */
interface Flow {
  questions: Question[];
}

/** The LR argument's name in the framework's code, for notices. */
function lrNameOf(framework: Framework): string {
  return framework === 'tfjs' ? 'maxLr' : 'max_lr';
}


/** Shows how the insertion went; Undo reverts an applied edit in one step while the file has not changed since. */
async function notify(result: InsertScheduleResult, applied: AppliedEdit | undefined): Promise<void> {
  const text = `LR Scope: ${result.message}`;
  if (result.level === 'error') {
    void vscode.window.showErrorMessage(text);
    return;
  }
  const undo = 'Undo';
  const actions = applied ? [undo] : [];
  const choice = await (result.level === 'warning' ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions));
  if (choice !== undo || !applied) return;
  const { document, version } = applied;
  if (document.isClosed || document.version !== version) {
    void vscode.window.showWarningMessage(`LR Scope: ${basename(document.fileName)} changed since the schedule was inserted; use Edit › Undo in it.`);
    return;
  }
  await vscode.window.showTextDocument(document, { viewColumn: columnOf(document) ?? vscode.ViewColumn.Active });
  await vscode.commands.executeCommand('undo');
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

async function pickFramework(choices: Framework[], source: CodegenSource, flow: Flow): Promise<Framework> {
  const picked = await vscode.window.showQuickPick(
    choices.map((framework, i) => ({ label: FRAMEWORK_INFO[framework].label, description: i === 0 ? 'detected / default' : '', framework })),
    { title: questionTitle(TITLE, flow.questions, 'framework'), placeHolder: `Framework of ${basename(source.fileName)}` },
  );
  if (!picked) throw new Cancelled();
  return picked.framework;
}

interface SpecInputs {
  codegen: Codegen;
  source: CodegenSource;
  framework: Framework;
  flavor: RecommendFlavor;
  lens: LensInsertArgs | undefined;
  document: vscode.TextDocument;
  /** The file's own latest LR, else another run's (named as such). */
  recommendation: LrRecommendation | undefined;
}

/** Builds the spec: the lens' LR or the user's (offered: the recommendation, rounded and named), and the length only when the file does not give it. */
async function askSpec(flow: Flow, inputs: SpecInputs): Promise<ScheduleSpec | undefined> {
  const { source, flavor, lens, document, recommendation } = inputs;
  const path = document.uri.fsPath;
  let maxLr: number | undefined = lens?.maxLr ?? undefined;
  if (maxLr === undefined) {
    if (lens && !recommendation) {
      // "Find LR…": no recommendation yet.
      if (!(await offerToFindLr())) return undefined;
    }
    const typed = await vscode.window.showInputBox({
      title: questionTitle(TITLE, flow.questions, 'max-lr'),
      prompt: recommendation
        ? `${originSentence(recommendation, path)}; edit it if you like.`
        : 'No range test yet: type the peak LR (or run "LR Scope: Run Range Test" first).',
      value: recommendation ? String(offeredLr(recommendation)) : '',
      validateInput: (v) => (parseLr(v) === null ? 'A learning rate > 0, e.g. 3e-3' : undefined),
    });
    if (typed === undefined) throw new Cancelled();
    maxLr = parseLr(typed)!;
  }
  if (!flow.questions.includes('epochs') && !flow.questions.includes('steps-per-epoch')) return specFor(flavor, maxLr, 1, DEFAULT_STEPS_PER_EPOCH);
  // Only the file's own runs know its batches per epoch: another model's would be a wrong guess.
  const own = recommendation && recommendation.experimentPath === path ? recommendation : undefined;
  const epochs = await askCount(questionTitle(TITLE, flow.questions, 'epochs'), `${basename(source.fileName)} does not say how long it trains: the number of epochs`, DEFAULT_EPOCHS);
  const steps = await askCount(
    questionTitle(TITLE, flow.questions, 'steps-per-epoch'),
    `Batches per epoch of ${basename(source.fileName)} (training examples ÷ batch size); the schedule spans epochs × this many optimizer steps.`,
    own?.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH,
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

/** An edit LR Scope applied: the document and its version right after (Undo is offered while it stays so). */
interface AppliedEdit {
  document: vscode.TextDocument;
  version: number;
}

/**
 * Applies the plan as one WorkspaceEdit (one undo step) unless the document changed since it was made,
 * and shows the change in the editor group that holds the document (never a new group): from the
 * panel, with the focus kept on the panel, and only where the document is already in view or no
 * editor holds it.
 */
async function applyPlanned(planned: PlannedInsertion, document: vscode.TextDocument, fromPanel: boolean, origin: string | undefined): Promise<{ result: InsertScheduleResult; applied?: AppliedEdit }> {
  const decision = decideApply(planned, { version: document.version, text: document.getText() });
  switch (decision.kind) {
    case 'refused':
      return { result: { level: 'error', message: `${basename(document.fileName)}: ${decision.message}` } };
    case 'up-to-date':
      return { result: { level: 'info', message: `${basename(document.fileName)}: ${decision.message}` } };
    case 'apply': {
      const edit = new vscode.WorkspaceEdit();
      for (const e of decision.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
      // positionAt above read this very version; a change since would have been refused.
      if (!(await vscode.workspace.applyEdit(edit))) {
        return { result: { level: 'error', message: `VS Code did not apply the edit to ${basename(document.fileName)} (is it read-only?).` } };
      }
      const applied: AppliedEdit = { document, version: document.version };
      // Reveal the first changed line from its start (no horizontal scroll).
      const at = document.positionAt(decision.edits[0]!.start).with({ character: 0 });
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      const column = visible?.viewColumn ?? columnOf(document);
      // From the panel, a document in a tab behind the panel stays there (the panel's notice names it).
      if (visible || !fromPanel || column === undefined) {
        const editor = await vscode.window.showTextDocument(document, { preserveFocus: fromPanel, viewColumn: column ?? textEditorColumn() ?? vscode.ViewColumn.Active });
        editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
      return { result: { level: (planned.plan.warnings ?? []).length > 0 ? 'warning' : 'info', message: appliedMessage(planned.plan, basename(document.fileName), origin) }, applied };
    }
  }
}

/** The editor group whose tabs hold `document`, if any. */
function columnOf(document: vscode.TextDocument): vscode.ViewColumn | undefined {
  const uri = document.uri.toString();
  const groups = vscode.window.tabGroups?.all ?? [];
  return groups.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri))?.viewColumn;
}

/** A group that shows a text editor (not the panel), to open a document that no group holds yet. */
function textEditorColumn(): vscode.ViewColumn | undefined {
  return vscode.window.visibleTextEditors[0]?.viewColumn;
}
