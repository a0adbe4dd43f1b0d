/**
 * Planning the TF.js insertion: the schedule block after the imports (or in place of the block a
 * previous run wrote) and `callbacks: withLrSchedule(model, …)` in every `model.fit` /
 * `model.fitDataset` call, as text edits that keep the file's formatting.
 */
import type { ScheduleSpec } from '../../core/schedules/spec';
import { CodegenError } from '../errors';
import type { InsertionPlan, TextEdit } from '../types';
import { restyle } from './restyle';
import { detectStyle, type CodeStyle } from './style';
import type { ScriptParser } from './parser';
import {
  endOf,
  findBlock,
  findFitCalls,
  findTfImports,
  findUnfinishedFitCalls,
  hasTrailingComma,
  isExperimentFile,
  isPlainReference,
  isWired,
  lastHeaderStatement,
  lineAt,
  members,
  numberValue,
  propertyName,
  scriptLanguageOf,
  usesIdentifier,
  type FitCall,
  type Node,
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
export function planTfjsInsertion(parser: ScriptParser, spec: ScheduleSpec, source: ScriptSource): InsertionPlan {
  const { fileName } = source;
  if (isExperimentFile(fileName)) {
    throw new CodegenError(
      `${fileName} is an experiment module: LR Scope sets its learning rate itself during range tests and training, so there is no schedule to insert. Use "Train One-Cycle" on it, or insert the schedule into a training script that calls model.fit.`,
      fileName,
    );
  }
  const { text } = source;
  const root = parser.parse(text, fileName).rootNode;
  const style = detectStyle(root, text);
  const block = findBlock(root, text);
  if (block === 'unterminated') {
    throw new CodegenError(
      `${fileName}: the LR Scope schedule block has lost its "// lr-scope: end of schedule" line; delete the block (from "// lr-scope: schedule (generated)") and insert the schedule again.`,
      fileName,
    );
  }
  const fits = findFitCalls(root);
  const unfinished = findUnfinishedFitCalls(root);
  if (fits.length === 0 && block === null && unfinished.length > 0) {
    const { callee, method } = unfinished[0]!;
    throw new CodegenError(
      `${fileName}: \`${callee.firstChild!.text}.${method}(…)\` (line ${lineAt(text, callee.startIndex) + 1}) is not finished (the file does not parse there); finish the call, then insert the schedule again.`,
      fileName,
    );
  }
  if (fits.length === 0 && block === null) {
    throw new CodegenError(
      `${fileName}: no model.fit(…) or model.fitDataset(…) call found to attach the schedule to. Insert it into the script that trains the model, or copy the snippet (lrscope snippet --framework tfjs) and pass callbacks: withLrSchedule(model) to your fit call.`,
      fileName,
    );
  }

  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const tfImports = findTfImports(root, fileName);
  let tf = tfImports.namespace;
  let importText = '';
  if (tf === null) {
    tf = usesIdentifier(root, text, 'tf') ? 'tfjs' : 'tf';
    const moduleName = tfImports.moduleName ?? '@tensorflow/tfjs';
    const q = style.quote;
    importText = tfImports.commonJs
      ? `const ${tf} = require(${q}${moduleName}${q})${style.semicolons ? ';' : ''}`
      : `import * as ${tf} from ${q}${moduleName}${q}${style.semicolons ? ';' : ''}`;
    summary.push(`import ${moduleName} as \`${tf}\` (the schedule callback needs tf.CustomCallback)`);
  }

  const { lines, schedule } = tfjsBlock(spec, scriptLanguageOf(fileName), tf);
  const blockText = restyle(lines, style);
  if (block !== null) {
    if (importText !== '') {
      // Without imports to follow, the import goes above the block (never inside it).
      const insertion = insertAfterHeader(root, text, '', style, importText);
      const inBlock = insertion.start > block.start && insertion.start < block.end;
      edits.push(inBlock ? { start: block.start, end: block.start, newText: importText + style.eol + style.eol } : insertion);
    }
    edits.push({ start: block.start, end: block.end, newText: blockText });
    summary.push(`update the LR Scope schedule (line ${lineAt(text, block.start) + 1}): ${schedule.description}`);
  } else {
    const insertion = insertAfterHeader(root, text, blockText, style, importText);
    edits.push(insertion);
    summary.push(
      `insert the schedule (lrAt${schedule.cyclesMomentum ? ', momentumAt' : ''}, withLrSchedule) after the imports (line ${lineAt(text, insertion.start) + 1}): ${schedule.description}`,
    );
  }

  for (const fit of fits) {
    const line = lineAt(text, fit.call.startIndex) + 1;
    const model = fit.receiver.text;
    const call = `${model}.${fit.method}(…)`;
    if (isWired(fit)) continue;
    if (!isPlainReference(fit.receiver)) {
      summary.push(`not wired: \`${call}\` (line ${line}) — store the model in a variable, then pass callbacks: ${CALLBACK_FUNCTION}(model)`);
      continue;
    }
    const callbackEdits = wireCallbacks(text, fit, model, style);
    if (callbackEdits === null) {
      summary.push(`not wired: \`${call}\` (line ${line}) — its options are not an object or a name; add callbacks: ${CALLBACK_FUNCTION}(${model}) yourself`);
      continue;
    }
    edits.push(...callbackEdits);
    summary.push(`pass callbacks: ${CALLBACK_FUNCTION}(${model}, …) to \`${call}\` (line ${line})${batchNote(root, fit, schedule.length)}`);
  }
  for (const { callee, method } of unfinished) {
    summary.push(
      `not wired: \`${callee.firstChild!.text}.${method}(…)\` (line ${lineAt(text, callee.startIndex) + 1}) — the call is not finished (the file does not parse there); finish it, then insert the schedule again`,
    );
  }

  const changed = edits.filter((e) => text.slice(e.start, e.end) !== e.newText).sort((a, b) => a.start - b.start);
  return { framework: 'tfjs', edits: changed, summary, updatesExisting: block !== null };
}

/**
 * Inserts `code` after the imports, separated by blank lines, or at the top of the file when there
 * are none; `importLine` (if any) goes right below the last import.
 */
function insertAfterHeader(root: Node, text: string, code: string, style: CodeStyle, importLine: string): TextEdit {
  const { eol } = style;
  const header = lastHeaderStatement(root);
  const parts = [importLine, code].filter((part) => part !== '');
  if (header === null) {
    const body = parts.join(eol + eol);
    const first = members(root)[0];
    if (first === undefined) {
      const lead = text === '' || /\n\s*$/.test(text) ? '' : eol + eol;
      return { start: text.length, end: text.length, newText: lead + body + eol };
    }
    const at = lineStart(text, first.startIndex);
    return { start: at, end: at, newText: body + eol + eol };
  }
  const at = lineEnd(text, endOf(header));
  const nextLineBlank = /^(\r?\n)?[ \t]*(\r?\n|$)/.test(text.slice(at));
  const importPart = importLine === '' ? '' : eol + importLine;
  const codePart = code === '' ? '' : eol + eol + code + (nextLineBlank ? '' : eol);
  return { start: at, end: at, newText: importPart + codePart };
}

/** The `callbacks` member of an object literal (`callbacks: …`, `'callbacks': …` or the shorthand `callbacks`), if any. */
function callbacksMember(object: Node): Node | undefined {
  return members(object).find(
    (m) => (m.type === 'pair' && propertyName(m.childForFieldName('key')) === 'callbacks') || (m.type === 'shorthand_property_identifier' && m.text === 'callbacks'),
  );
}

/** The edits that route a fit call's callbacks through withLrSchedule, or null when its options cannot be edited safely. */
function wireCallbacks(text: string, fit: FitCall, model: string, style: CodeStyle): TextEdit[] | null {
  const args = fit.args;
  const options = args[fit.optionsIndex];
  const bare = `callbacks: ${CALLBACK_FUNCTION}(${model})`;
  if (options === undefined) {
    const last = args[args.length - 1]!;
    const trailing = hasTrailingComma(fit.argumentList);
    const at = trailing ? text.indexOf(',', last.endIndex) + 1 : last.endIndex;
    const lead = trailing ? ' ' : ', ';
    return [{ start: at, end: at, newText: `${lead}{ ${bare} }` }];
  }
  if (options.type === 'object') {
    const existing = callbacksMember(options);
    const value = existing?.type === 'pair' ? existing.childForFieldName('value') : null;
    if (value) {
      return [
        { start: value.startIndex, end: value.startIndex, newText: `${CALLBACK_FUNCTION}(${model}, ` },
        { start: value.endIndex, end: value.endIndex, newText: ')' },
      ];
    }
    if (existing) {
      return [{ start: existing.startIndex, end: existing.endIndex, newText: `callbacks: ${CALLBACK_FUNCTION}(${model}, callbacks)` }];
    }
    return addProperty(text, options, bare, style);
  }
  if (isPlainReference(options)) {
    const name = options.text;
    return [
      {
        start: options.startIndex,
        end: options.endIndex,
        newText: `{ ...${name}, callbacks: ${CALLBACK_FUNCTION}(${model}, ${name}.callbacks) }`,
      },
    ];
  }
  return null;
}

/** Adds `property` as the last member of an object literal, on its own line when the members are on their own lines. */
function addProperty(text: string, object: Node, property: string, style: CodeStyle): TextEdit[] {
  const list = members(object);
  const last = list[list.length - 1];
  if (last === undefined) {
    return [{ start: object.startIndex, end: object.endIndex, newText: `{ ${property} }` }];
  }
  const trailing = hasTrailingComma(object);
  const afterLast = trailing ? text.indexOf(',', last.endIndex) + 1 : last.endIndex;
  const lastLine = lineAt(text, last.endIndex);
  const ownLines = lineAt(text, last.startIndex) !== lineAt(text, object.startIndex) && lastLine !== lineAt(text, object.endIndex - 1);
  if (!ownLines) {
    return [{ start: afterLast, end: afterLast, newText: trailing ? ` ${property},` : `, ${property}` }];
  }
  const indent = text.slice(lineStart(text, last.startIndex), last.startIndex);
  // The new member goes on its own line, after any comment that trails the last member.
  const at = lineEnd(text, afterLast);
  if (trailing) return [{ start: at, end: at, newText: `${style.eol}${indent}${property},` }];
  return [
    { start: afterLast, end: afterLast, newText: ',' },
    { start: at, end: at, newText: `${style.eol}${indent}${property}` },
  ];
}

/** " — fit runs EPOCHS (= 5) epochs …" when the fit call names its epochs / batch size, with a warning when the counts disagree. */
function batchNote(root: Node, fit: FitCall, length: number | null): string {
  const options = fit.args[fit.optionsIndex];
  if (options === undefined || options.type !== 'object') return '';
  const epochs = optionValue(root, options, 'epochs');
  const perEpoch = optionValue(root, options, fit.method === 'fit' ? 'batchSize' : 'batchesPerEpoch');
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
function optionValue(root: Node, object: Node, name: string): { text: string; value: number | null } | null {
  for (const member of members(object)) {
    const value = member.type === 'pair' && propertyName(member.childForFieldName('key')) === name ? member.childForFieldName('value') : null;
    if (value) return { text: value.text, value: numericValue(root, value) };
    if (member.type === 'shorthand_property_identifier' && member.text === name) return { text: name, value: constValue(root, name) };
  }
  return null;
}

function numericValue(root: Node, node: Node): number | null {
  if (node.type === 'number') return numberValue(node);
  return node.type === 'identifier' ? constValue(root, node.text) : null;
}

/** The number literal the first `const name = …` of the file binds `name` to, else null. */
function constValue(root: Node, name: string): number | null {
  for (const declaration of root.descendantsOfType('lexical_declaration')) {
    if (declaration?.firstChild?.type !== 'const') continue;
    for (const declarator of members(declaration)) {
      if (declarator.type !== 'variable_declarator' || declarator.childForFieldName('name')?.text !== name) continue;
      const value = declarator.childForFieldName('name')?.type === 'identifier' ? numberValue(declarator.childForFieldName('value')) : null;
      if (value !== null) return value;
    }
  }
  return null;
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
