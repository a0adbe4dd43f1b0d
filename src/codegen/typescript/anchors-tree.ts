/**
 * CodeLens anchors in TS/JS files, read from the full syntax tree: experiment modules' default
 * export, TF.js fit / fitDataset / compile calls, `tf.train.*` optimizer constructions and LR
 * Scope's own schedule blocks. The reference for the faster token-based detector (anchors.ts),
 * which uses it for JSX files and for default exports.
 */
import ts from 'typescript';
import type { Anchor, AnchorKind } from '../types';
import { asFitCall, findBlock, isExperimentFile, isPlainReference, parseScript } from './syntax';

/** tf.train.* factory functions. */
export const OPTIMIZER_FACTORIES = new Set(['sgd', 'momentum', 'adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta']);
/** tf.js optimizer classes, for `new tf.AdamOptimizer(…)`. */
export const OPTIMIZER_CLASSES = new Set([
  'SGDOptimizer',
  'MomentumOptimizer',
  'AdamOptimizer',
  'AdamaxOptimizer',
  'RMSPropOptimizer',
  'AdagradOptimizer',
  'AdadeltaOptimizer',
]);
/** Constants of a generated block that hold its peak learning rate. */
export const PEAK_NAMES = new Set(['maxLr', 'lrMax', 'peakValue', 'endLr', 'lr']);

/** Finds the anchors of a TS/JS file from its syntax tree, sorted by position. */
export function detectTsAnchorsFromTree(text: string, fileName: string): Anchor[] {
  const sourceFile = parseScript(text, fileName);
  const anchors: Anchor[] = [];
  const experimentFile = isExperimentFile(fileName);
  const add = (kind: AnchorKind, node: ts.Node, name?: string, maxLr?: number): void => {
    const start = node.getStart(sourceFile);
    const anchor: Anchor = { kind, framework: 'tfjs', start, end: node.end, line: sourceFile.getLineAndCharacterOfPosition(start).line };
    if (name !== undefined) anchor.name = name;
    if (maxLr !== undefined) anchor.maxLr = maxLr;
    anchors.push(anchor);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const fit = asFitCall(node);
      if (fit) add('fit', node, fit.receiver.getText(sourceFile));
      else if (isCompileCall(node)) add('compile', node, (node.expression as ts.PropertyAccessExpression).expression.getText(sourceFile));
      else if (isOptimizerFactory(node.expression)) add('optimizer', node, optimizerName(node, sourceFile));
    } else if (ts.isNewExpression(node) && isOptimizerClass(node.expression)) {
      add('optimizer', node, optimizerName(node, sourceFile));
    } else if (ts.isExportAssignment(node) && !node.isExportEquals) {
      if (experimentFile || looksLikeExperiment(node.expression)) add('experiment', node, 'default');
    } else if (ts.isFunctionDeclaration(node) && isDefaultExport(node)) {
      if (experimentFile || (node.body !== undefined && returnsExperiment(node.body))) add('experiment', node, node.name?.text ?? 'default');
    } else if (experimentFile && isModuleExportsAssignment(node)) {
      add('experiment', node, 'module.exports');
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);

  const block = findBlock(sourceFile);
  if (block !== null && block !== 'unterminated') {
    const start = block.start;
    anchors.push({
      kind: 'scheduler',
      framework: 'tfjs',
      start,
      end: block.end,
      line: sourceFile.getLineAndCharacterOfPosition(start).line,
      name: 'lrAt',
      ...peakOf(sourceFile, block.start, block.end),
    });
  }
  return anchors.sort((a, b) => a.start - b.start);
}

function isCompileCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'compile' || node.arguments.length !== 1) return false;
  const arg = node.arguments[0]!;
  return ts.isObjectLiteralExpression(arg) || isPlainReference(arg);
}

/** `tf.train.adam`, `train.adam` (named import). */
function isOptimizerFactory(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || !OPTIMIZER_FACTORIES.has(callee.name.text)) return false;
  const owner = callee.expression;
  return (
    (ts.isIdentifier(owner) && owner.text === 'train') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'train')
  );
}

function isOptimizerClass(callee: ts.Expression): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return OPTIMIZER_CLASSES.has(name);
}

/** The variable or property an optimizer is stored in, else its constructor as written. */
function optimizerName(node: ts.CallExpression | ts.NewExpression, sourceFile: ts.SourceFile): string {
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return parent.left.getText(sourceFile);
  return node.expression.getText(sourceFile);
}

export function isDefaultExport(node: ts.FunctionDeclaration): boolean {
  const modifiers = ts.getModifiers(node) ?? [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function isModuleExportsAssignment(node: ts.Node): boolean {
  if (!ts.isExpressionStatement(node) || !ts.isBinaryExpression(node.expression)) return false;
  const { left, operatorToken } = node.expression;
  return operatorToken.kind === ts.SyntaxKind.EqualsToken && left.getText() === 'module.exports';
}

/** An experiment's shape, for files not named *.experiment.*: an object (or a function returning one) with `model` and `data`. */
export function looksLikeExperiment(expression: ts.Expression): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  if (ts.isObjectLiteralExpression(node)) return hasExperimentMembers(node);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    return ts.isBlock(node.body) ? returnsExperiment(node.body) : looksLikeExperiment(node.body);
  }
  return false;
}

export function returnsExperiment(body: ts.Block): boolean {
  return body.statements.some((s) => ts.isReturnStatement(s) && s.expression !== undefined && looksLikeExperiment(s.expression));
}

function hasExperimentMembers(object: ts.ObjectLiteralExpression): boolean {
  const names = new Set(object.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : '')));
  return names.has('model') && names.has('data');
}

/** The peak LR written in a generated block: the number literal of its `const maxLr = …` (or lrMax, peakValue, …). */
function peakOf(sourceFile: ts.SourceFile, start: number, end: number): { maxLr?: number } {
  for (const statement of sourceFile.statements) {
    if (statement.end <= start || statement.pos >= end || !ts.isFunctionDeclaration(statement)) continue;
    if (statement.name?.text !== 'lrAt' || !statement.body) continue;
    for (const inner of statement.body.statements) {
      if (!ts.isVariableStatement(inner)) continue;
      for (const d of inner.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && PEAK_NAMES.has(d.name.text) && d.initializer && ts.isNumericLiteral(d.initializer)) {
          return { maxLr: Number(d.initializer.text) };
        }
      }
    }
  }
  return {};
}
