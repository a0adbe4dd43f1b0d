/** Which Python framework a file trains with, from its imports. */
import { kids, type Node } from './syntax';

export type PythonFramework = 'pytorch' | 'lightning' | 'keras' | 'fastai' | 'optax';
export const PYTHON_FRAMEWORKS: readonly PythonFramework[] = ['pytorch', 'lightning', 'keras', 'fastai', 'optax'];

const IMPORT_LINE = /^[ \t]*(?:from|import)[ \t]/gm;

/**
 * Imported module names (`import a.b` and `from a.b import c` give `a`, `a.b`, `a.b.c`). A text scan finds
 * the lines that start with `import` / `from`; the tree confirms each is an import statement (not a string).
 */
export function importedModules(root: Node, text: string = root.text): Set<string> {
  const modules = new Set<string>();
  const add = (dotted: string) => {
    const parts = dotted.split('.');
    for (let i = 1; i <= parts.length; i++) modules.add(parts.slice(0, i).join('.'));
  };
  IMPORT_LINE.lastIndex = 0;
  for (let m = IMPORT_LINE.exec(text); m; m = IMPORT_LINE.exec(text)) {
    const at = m.index + m[0].length - 1 - (m[0].trimStart().length - 1);
    const n = root.descendantForIndex(at, at + 1)?.parent;
    if (n?.type === 'import_statement') {
      for (const k of kids(n)) add((k.type === 'aliased_import' ? k.childForFieldName('name') : k)?.text ?? '');
    } else if (n?.type === 'import_from_statement') {
      const module = n.childForFieldName('module_name')?.text ?? '';
      add(module);
      for (const k of kids(n).slice(1)) add(`${module}.${(k.type === 'aliased_import' ? k.childForFieldName('name') : k)?.text ?? ''}`);
    }
  }
  return modules;
}

/** The framework a file trains with from its imported modules: Lightning > fastai > Keras > optax > PyTorch (a Lightning or fastai script also imports torch). */
export function frameworkOfModules(m: ReadonlySet<string>): PythonFramework {
  if (m.has('lightning') || m.has('pytorch_lightning')) return 'lightning';
  if (m.has('fastai')) return 'fastai';
  if (m.has('keras') || m.has('tensorflow.keras') || m.has('tf_keras') || m.has('tensorflow')) return 'keras';
  if (m.has('optax') || m.has('flax') || m.has('jax')) return 'optax';
  return 'pytorch';
}

/** The framework of a parsed file, from its imports (see `frameworkOfModules`). */
export function detectPythonFramework(root: Node, text?: string): PythonFramework {
  return frameworkOfModules(importedModules(root, text));
}
