/** Reading TS/JS files with the TypeScript compiler API: what code generation and anchors look for. */
import ts from 'typescript';
import { BLOCK_END, BLOCK_START, CALLBACK_FUNCTION } from './tfjs-block';

/** File extensions read as TS/JS. */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Whether a file name is TS/JS by its extension (declaration files excluded). */
export function isScriptFile(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return !lower.endsWith('.d.ts') && SCRIPT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Whether generated code for this file is TypeScript (with annotations) or JavaScript. */
export function scriptLanguageOf(fileName: string): 'ts' | 'js' {
  return /\.[cm]?tsx?$/i.test(fileName) ? 'ts' : 'js';
}

/** The experiment module naming convention: `*.experiment.ts|js|mjs` (and the other script extensions). */
export function isExperimentFile(fileName: string): boolean {
  return /\.experiment\.[cm]?[jt]sx?$/i.test(fileName);
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Parses a file (syntax only: no type checker, no other files). */
export function parseScript(text: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
}

export interface FitCall {
  call: ts.CallExpression;
  method: 'fit' | 'fitDataset';
  /** `model` in `model.fit(…)`. */
  receiver: ts.Expression;
  /** Index of the options argument (`fit(x, y, options)`: 2, `fitDataset(dataset, options)`: 1). */
  optionsIndex: number;
}

/** Recognises `x.fit(a, b, …)` and `x.fitDataset(d, …)`; the argument counts rule out look-alikes such as `scaler.fit(data)`. */
export function asFitCall(node: ts.Node): FitCall | null {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return null;
  const name = node.expression.name.text;
  if (name === 'fit' && node.arguments.length >= 2) {
    return { call: node, method: 'fit', receiver: node.expression.expression, optionsIndex: 2 };
  }
  if (name === 'fitDataset' && node.arguments.length >= 1) {
    return { call: node, method: 'fitDataset', receiver: node.expression.expression, optionsIndex: 1 };
  }
  return null;
}

/** Every fit/fitDataset call in the file, in source order. */
export function findFitCalls(sourceFile: ts.SourceFile): FitCall[] {
  const calls: FitCall[] = [];
  const visit = (node: ts.Node): void => {
    const fit = asFitCall(node);
    if (fit) calls.push(fit);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}

/** Whether a fit call already passes its callbacks through `withLrSchedule(…)`. */
export function isWired(fit: FitCall): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === CALLBACK_FUNCTION) {
      found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  fit.call.arguments.forEach(visit);
  return found;
}

/** Names that can be repeated safely: `model`, `this.model`, `trainer.net`. */
export function isPlainReference(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(node) && isPlainReference(node.expression);
}

export interface BlockRange {
  /** Start of the BLOCK_START line. */
  start: number;
  /** End of the BLOCK_END line (before its line break). */
  end: number;
}

/** The generated LR Scope block, found by its marker comments (markers inside strings do not count). */
export function findBlock(sourceFile: ts.SourceFile): BlockRange | 'unterminated' | null {
  const text = sourceFile.text;
  const start = findCommentLine(sourceFile, BLOCK_START, 0);
  if (start === null) return null;
  const end = findCommentLine(sourceFile, BLOCK_END, start);
  if (end === null) return 'unterminated';
  const lineEnd = text.slice(end).search(/\r?\n|$/);
  return { start, end: end + lineEnd };
}

/** Line start of the first line at or after `from` that begins (after indentation) with the comment `marker`. */
function findCommentLine(sourceFile: ts.SourceFile, marker: string, from: number): number | null {
  const text = sourceFile.text;
  for (let at = text.indexOf(marker, from); at !== -1; at = text.indexOf(marker, at + marker.length)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() === '' && isInTrivia(sourceFile, at)) return lineStart;
  }
  return null;
}

/** Whether `pos` lies in comments/whitespace rather than inside a token (a string or template). */
export function isInTrivia(sourceFile: ts.SourceFile, pos: number): boolean {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = node.getChildren(sourceFile).find((c) => c.pos <= pos && pos < c.end);
    if (!child) return true;
    if (pos < child.getStart(sourceFile)) return true;
    if (child.getChildCount(sourceFile) === 0) return false;
    node = child;
  }
}

export interface TfImports {
  /** The name `@tensorflow/tfjs*` is bound to as a namespace (`import * as tf`, `const tf = require(…)`), if any. */
  namespace: string | null;
  /** The tfjs package the file imports, if any (`@tensorflow/tfjs-node`, …). */
  moduleName: string | null;
  /** Whether the file loads modules with `require` rather than `import`. */
  commonJs: boolean;
}

const isTfModule = (name: string): boolean => /^@tensorflow\/tfjs(-[a-z-]+)?$/.test(name);

function requiredModule(node: ts.Expression | undefined): string | null {
  if (
    node &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteral(node.arguments[0]!)
  ) {
    return (node.arguments[0] as ts.StringLiteral).text;
  }
  return null;
}

/** How the file imports TensorFlow.js. */
export function findTfImports(sourceFile: ts.SourceFile): TfImports {
  const found: TfImports = { namespace: null, moduleName: null, commonJs: false };
  let sawImport = false;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      sawImport = true;
      const name = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!isTfModule(name) || !clause || clause.isTypeOnly) continue;
      found.moduleName ??= name;
      const bindings = clause.namedBindings;
      const namespace = bindings && ts.isNamespaceImport(bindings) ? bindings.name.text : clause.name?.text;
      if (namespace && !found.namespace) [found.namespace, found.moduleName] = [namespace, name];
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const ref = statement.moduleReference.expression;
      if (ts.isStringLiteral(ref) && isTfModule(ref.text) && !found.namespace) {
        [found.namespace, found.moduleName] = [statement.name.text, ref.text];
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const name = requiredModule(declaration.initializer);
        if (name === null) continue;
        found.commonJs = true;
        if (!isTfModule(name)) continue;
        found.moduleName ??= name;
        if (ts.isIdentifier(declaration.name) && !found.namespace) {
          [found.namespace, found.moduleName] = [declaration.name.text, name];
        }
      }
    }
  }
  if (sawImport) found.commonJs = false;
  if (/\.cjs$/i.test(sourceFile.fileName)) found.commonJs = true;
  return found;
}

/** Whether a statement belongs to the file's header: imports, requires, directives like 'use strict'. */
function isHeaderStatement(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return true;
  if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) return true;
  return (
    ts.isVariableStatement(statement) &&
    statement.declarationList.declarations.every((d) => requiredModule(d.initializer) !== null)
  );
}

/** The last statement of the file's leading run of imports/requires/directives, if any. */
export function lastHeaderStatement(sourceFile: ts.SourceFile): ts.Statement | null {
  let last: ts.Statement | null = null;
  for (const statement of sourceFile.statements) {
    if (!isHeaderStatement(statement)) break;
    last = statement;
  }
  return last;
}

/** Whether any identifier in the file is spelled `name`. */
export function usesIdentifier(sourceFile: ts.SourceFile, name: string): boolean {
  let used = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) used = true;
    if (!used) ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return used;
}
