/**
 * Planning the TF.js insertion: the schedule block after the imports (or in place of the block a
 * previous run wrote) and `callbacks: withLrSchedule(model, …)` in every `model.fit` /
 * `model.fitDataset` call, as text edits that keep the file's formatting.
 */
import ts from 'typescript';
import type { ScheduleSpec } from '../../core/schedules/spec';
import { CodegenError } from '../errors';
import type { InsertionPlan, TextEdit } from '../types';
import { restyle } from './restyle';
import { detectStyle, type CodeStyle } from './style';
import {
  findBlock,
  findFitCalls,
  findTfImports,
  isExperimentFile,
  isPlainReference,
  isWired,
  lastHeaderStatement,
  parseScript,
  scriptLanguageOf,
  usesIdentifier,
  type FitCall,
} from './syntax';
import { CALLBACK_FUNCTION, tfjsBlock } from './tfjs-block';

export interface ScriptSource {
  text: string;
  fileName: string;
}

/**
 * Plans the TF.js schedule for a TS/JS training script. Re-applying replaces the block a previous
 * run inserted (marked `// lr-scope: schedule (generated)`) and leaves already wired fit calls
 * alone, so applying the same spec twice changes nothing. Throws CodegenError for experiment
 * modules (LR Scope owns their learning rate) and for files with neither a fit call nor a block.
 */
export function planTfjsInsertion(spec: ScheduleSpec, source: ScriptSource): InsertionPlan {
  const { fileName } = source;
  if (isExperimentFile(fileName)) {
    throw new CodegenError(
      `${fileName} is an experiment module: LR Scope sets its learning rate itself during range tests and training, so there is no schedule to insert. Use "Train One-Cycle" on it, or insert the schedule into a training script that calls model.fit.`,
      fileName,
    );
  }
  const sourceFile = parseScript(source.text, fileName);
  const style = detectStyle(sourceFile);
  const block = findBlock(sourceFile);
  if (block === 'unterminated') {
    throw new CodegenError(
      `${fileName}: the LR Scope schedule block has lost its "// lr-scope: end of schedule" line; delete the block (from "// lr-scope: schedule (generated)") and insert the schedule again.`,
      fileName,
    );
  }
  const fits = findFitCalls(sourceFile);
  if (fits.length === 0 && block === null) {
    throw new CodegenError(
      `${fileName}: no model.fit(…) or model.fitDataset(…) call found to attach the schedule to. Insert it into the script that trains the model, or copy the snippet (lrscope snippet --framework tfjs) and pass callbacks: withLrSchedule(model) to your fit call.`,
      fileName,
    );
  }

  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const tfImports = findTfImports(sourceFile);
  let tf = tfImports.namespace;
  let importText = '';
  if (tf === null) {
    tf = usesIdentifier(sourceFile, 'tf') ? 'tfjs' : 'tf';
    const moduleName = tfImports.moduleName ?? '@tensorflow/tfjs';
    const q = style.quote;
    importText = tfImports.commonJs
      ? `const ${tf} = require(${q}${moduleName}${q})${style.semicolons ? ';' : ''}`
      : `import * as ${tf} from ${q}${moduleName}${q}${style.semicolons ? ';' : ''}`;
    summary.push(`import ${moduleName} as \`${tf}\` (the schedule callback needs tf.CustomCallback)`);
  }

  const { lines, schedule } = tfjsBlock(spec, scriptLanguageOf(fileName), tf);
  const blockText = restyle(lines, style);
  const text = sourceFile.text;
  if (block !== null) {
    if (importText !== '') edits.push(insertAfterHeader(sourceFile, '', style, importText));
    edits.push({ start: block.start, end: block.end, newText: blockText });
    summary.push(`update the LR Scope schedule (line ${lineOf(sourceFile, block.start) + 1}): ${schedule.description}`);
  } else {
    const insertion = insertAfterHeader(sourceFile, blockText, style, importText);
    edits.push(insertion);
    summary.push(
      `insert the schedule (lrAt${schedule.cyclesMomentum ? ', momentumAt' : ''}, withLrSchedule) after the imports (line ${lineOf(sourceFile, insertion.start) + 1}): ${schedule.description}`,
    );
  }

  for (const fit of fits) {
    const line = lineOf(sourceFile, fit.call.getStart(sourceFile)) + 1;
    const model = fit.receiver.getText(sourceFile);
    const call = `${model}.${fit.method}(…)`;
    if (isWired(fit)) continue;
    if (!isPlainReference(fit.receiver)) {
      summary.push(`not wired: \`${call}\` (line ${line}) — store the model in a variable, then pass callbacks: ${CALLBACK_FUNCTION}(model)`);
      continue;
    }
    const callbackEdits = wireCallbacks(sourceFile, fit, model, style);
    if (callbackEdits === null) {
      summary.push(`not wired: \`${call}\` (line ${line}) — its options are not an object or a name; add callbacks: ${CALLBACK_FUNCTION}(${model}) yourself`);
      continue;
    }
    edits.push(...callbackEdits);
    summary.push(`pass callbacks: ${CALLBACK_FUNCTION}(${model}, …) to \`${call}\` (line ${line})${batchNote(sourceFile, fit, schedule.length)}`);
  }

  const changed = edits.filter((e) => text.slice(e.start, e.end) !== e.newText).sort((a, b) => a.start - b.start);
  return { framework: 'tfjs', edits: changed, summary, updatesExisting: block !== null };
}

/**
 * Inserts `code` after the imports, separated by blank lines, or at the top of the file when there
 * are none; `importLine` (if any) goes right below the last import.
 */
function insertAfterHeader(sourceFile: ts.SourceFile, code: string, style: CodeStyle, importLine: string): TextEdit {
  const text = sourceFile.text;
  const { eol } = style;
  const header = lastHeaderStatement(sourceFile);
  const parts = [importLine, code].filter((part) => part !== '');
  if (header === null) {
    const body = parts.join(eol + eol);
    const first = sourceFile.statements[0];
    if (first === undefined) {
      const lead = text === '' || /\n\s*$/.test(text) ? '' : eol + eol;
      return { start: text.length, end: text.length, newText: lead + body + eol };
    }
    const at = lineStart(text, first.getStart(sourceFile));
    return { start: at, end: at, newText: body + eol + eol };
  }
  const at = lineEnd(text, header.end);
  const nextLineBlank = /^(\r?\n)?[ \t]*(\r?\n|$)/.test(text.slice(at));
  const importPart = importLine === '' ? '' : eol + importLine;
  const codePart = code === '' ? '' : eol + eol + code + (nextLineBlank ? '' : eol);
  return { start: at, end: at, newText: importPart + codePart };
}

/** The edits that route a fit call's callbacks through withLrSchedule, or null when its options cannot be edited safely. */
function wireCallbacks(sourceFile: ts.SourceFile, fit: FitCall, model: string, style: CodeStyle): TextEdit[] | null {
  const text = sourceFile.text;
  const args = fit.call.arguments;
  const options = args[fit.optionsIndex];
  const bare = `callbacks: ${CALLBACK_FUNCTION}(${model})`;
  if (options === undefined) {
    const last = args[args.length - 1]!;
    const at = args.hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
    const lead = args.hasTrailingComma ? ' ' : ', ';
    return [{ start: at, end: at, newText: `${lead}{ ${bare} }` }];
  }
  if (ts.isObjectLiteralExpression(options)) {
    const existing = options.properties.find(
      (p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
        (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && propertyName(p.name) === 'callbacks',
    );
    if (existing && ts.isPropertyAssignment(existing)) {
      const value = existing.initializer;
      return [
        { start: value.getStart(sourceFile), end: value.getStart(sourceFile), newText: `${CALLBACK_FUNCTION}(${model}, ` },
        { start: value.end, end: value.end, newText: ')' },
      ];
    }
    if (existing) {
      return [{ start: existing.getStart(sourceFile), end: existing.end, newText: `callbacks: ${CALLBACK_FUNCTION}(${model}, callbacks)` }];
    }
    return addProperty(sourceFile, options, bare, style);
  }
  if (isPlainReference(options)) {
    const name = options.getText(sourceFile);
    return [
      {
        start: options.getStart(sourceFile),
        end: options.end,
        newText: `{ ...${name}, callbacks: ${CALLBACK_FUNCTION}(${model}, ${name}.callbacks) }`,
      },
    ];
  }
  return null;
}

/** Adds `property` as the last member of an object literal, on its own line when the members are on their own lines. */
function addProperty(sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string, style: CodeStyle): TextEdit[] {
  const text = sourceFile.text;
  const members = object.properties;
  const last = members[members.length - 1];
  if (last === undefined) {
    return [{ start: object.getStart(sourceFile), end: object.end, newText: `{ ${property} }` }];
  }
  const afterLast = members.hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
  const lastLine = lineOf(sourceFile, last.end);
  const ownLines =
    lineOf(sourceFile, last.getStart(sourceFile)) !== lineOf(sourceFile, object.getStart(sourceFile)) &&
    lastLine !== lineOf(sourceFile, object.end - 1);
  if (!ownLines) {
    return [{ start: afterLast, end: afterLast, newText: members.hasTrailingComma ? ` ${property},` : `, ${property}` }];
  }
  const lastStart = last.getStart(sourceFile);
  const indent = text.slice(lineStart(text, lastStart), lastStart);
  // The new member goes on its own line, after any comment that trails the last member.
  const at = lineEnd(text, afterLast);
  if (members.hasTrailingComma) return [{ start: at, end: at, newText: `${style.eol}${indent}${property},` }];
  return [
    { start: afterLast, end: afterLast, newText: ',' },
    { start: at, end: at, newText: `${style.eol}${indent}${property}` },
  ];
}

function propertyName(name: ts.PropertyName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return null;
}

/** " — fit runs EPOCHS (= 5) epochs …" when the fit call names its epochs / batch size, with a warning when the counts disagree. */
function batchNote(sourceFile: ts.SourceFile, fit: FitCall, length: number | null): string {
  const options = fit.call.arguments[fit.optionsIndex];
  if (options === undefined || !ts.isObjectLiteralExpression(options)) return '';
  const epochs = optionValue(sourceFile, options, 'epochs');
  const perEpoch = optionValue(sourceFile, options, fit.method === 'fit' ? 'batchSize' : 'batchesPerEpoch');
  if (epochs === null || length === null) return '';
  const describe = (name: string, v: { text: string; value: number | null }): string =>
    v.value !== null && v.text !== String(v.value) ? `${name} = ${v.text} (${v.value})` : `${name} = ${v.text}`;
  const parts = [describe('epochs', epochs)];
  if (perEpoch) parts.push(describe(fit.method === 'fit' ? 'batchSize' : 'batchesPerEpoch', perEpoch));
  let note = `; it trains with ${parts.join(', ')} and the schedule covers ${length} batches`;
  if (fit.method === 'fitDataset' && epochs.value !== null && perEpoch?.value != null && epochs.value * perEpoch.value !== length) {
    note += ` — but ${epochs.value} × ${perEpoch.value} = ${epochs.value * perEpoch.value}: make the schedule that long`;
  } else if (epochs.value !== null && length % epochs.value !== 0) {
    note += ` — not a whole number of batches per epoch: check the schedule's length`;
  }
  return note;
}

/** An option's source text and, when it is a number literal or a const bound to one, its value. */
function optionValue(
  sourceFile: ts.SourceFile,
  object: ts.ObjectLiteralExpression,
  name: string,
): { text: string; value: number | null } | null {
  for (const member of object.properties) {
    if (ts.isPropertyAssignment(member) && propertyName(member.name) === name) {
      return { text: member.initializer.getText(sourceFile), value: numericValue(sourceFile, member.initializer) };
    }
    if (ts.isShorthandPropertyAssignment(member) && member.name.text === name) {
      return { text: name, value: numericValue(sourceFile, member.name) };
    }
  }
  return null;
}

function numericValue(sourceFile: ts.SourceFile, node: ts.Expression): number | null {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (!ts.isIdentifier(node)) return null;
  let value: number | null = null;
  const visit = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === node.text &&
      n.initializer &&
      ts.isNumericLiteral(n.initializer) &&
      (n.parent.flags & ts.NodeFlags.Const) !== 0
    ) {
      value = Number(n.initializer.text);
    }
    if (value === null) ts.forEachChild(n, visit);
  };
  visit(sourceFile);
  return value;
}

function lineOf(sourceFile: ts.SourceFile, pos: number): number {
  return sourceFile.getLineAndCharacterOfPosition(pos).line;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Position of the line break ending the line that holds `pos` (or the end of the text). */
function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  if (nl === -1) return text.length;
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}
