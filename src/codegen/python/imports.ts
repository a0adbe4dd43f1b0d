/** Adding missing imports once, next to the file's other imports. */
import type { TextEdit } from '../types';
import { kids, type Node } from './syntax';
import type { PythonStyle } from './style';

export interface ImportNeeds {
  /** `import <module>` lines (e.g. math). */
  modules: string[];
  /** `from <module> import <name>` pairs. */
  names: { module: string; name: string }[];
  /** `import <module> as <alias>` (e.g. tensorflow as tf), added unless `alias` is already imported under that name. */
  aliases?: { module: string; alias: string }[];
}

function isImport(n: Node): boolean {
  return n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'future_import_statement';
}

/** Edits that add what `needs` lists and the module does not import yet (top-level imports only). */
export function importEdits(root: Node, text: string, needs: ImportNeeds, style: PythonStyle): TextEdit[] {
  const statements = kids(root);
  const imports = statements.filter(isImport);
  const edits: TextEdit[] = [];
  const newLines: string[] = [];

  for (const { module, alias } of needs.aliases ?? []) {
    const has = imports.some((s) => s.type === 'import_statement' && kids(s).some((n) => n.type === 'aliased_import' && n.childForFieldName('alias')?.text === alias));
    if (!has) newLines.push(`import ${module} as ${alias}`);
  }
  for (const module of [...new Set(needs.modules)]) {
    const has = imports.some(
      (s) => s.type === 'import_statement' && kids(s).some((n) => n.type === 'dotted_name' && n.text === module),
    );
    if (!has) newLines.push(`import ${module}`);
  }
  const seen = new Set<string>();
  for (const { module, name } of needs.names) {
    const key = `${module} ${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const froms = imports.filter((s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text === module);
    const star = imports.some((s) => s.type === 'import_from_statement' && s.text.includes('*') && module.startsWith(`${s.childForFieldName('module_name')?.text.split('.')[0]}.`));
    const imported = star || froms.some((s) => kids(s).slice(1).some((n) => n.text === name || n.childForFieldName('name')?.text === name));
    if (imported) continue;
    const extendable = froms.find((s) => !s.text.includes('(') && !s.text.includes('\\'));
    if (extendable) {
      const names = kids(extendable).slice(1).filter((n) => n.type !== 'comment');
      const last = names[names.length - 1]!;
      edits.push({ start: last.endIndex, end: last.endIndex, newText: `, ${name}` });
    } else {
      newLines.push(`from ${module} import ${name}`);
    }
  }
  if (newLines.length > 0) {
    const anchor = imports[imports.length - 1] ?? docstring(statements);
    if (anchor) {
      edits.push({ start: anchor.endIndex, end: anchor.endIndex, newText: newLines.map((l) => style.eol + l).join('') });
    } else {
      edits.push({ start: 0, end: 0, newText: newLines.map((l) => l + style.eol).join('') + (text.length > 0 ? style.eol : '') });
    }
  }
  return edits;
}

function docstring(statements: Node[]): Node | null {
  const first = statements[0];
  return first?.type === 'expression_statement' && kids(first)[0]?.type === 'string' ? first : null;
}
