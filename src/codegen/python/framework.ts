/** What a Python file trains with: the facts a framework's `detect` reads (imports, and what the code calls and defines). */
import { calleeName, descendants, kids, type Node } from './syntax';

export type PythonFramework = 'pytorch' | 'lightning' | 'keras' | 'fastai' | 'optax';
export const PYTHON_FRAMEWORKS: readonly PythonFramework[] = ['pytorch', 'lightning', 'keras', 'fastai', 'optax'];

export interface PythonFacts {
  /** Imported module names (`import a.b` and `from a.b import c` give `a`, `a.b`, `a.b.c`). */
  modules: ReadonlySet<string>;
  /** Dotted names of every call's callee. */
  callees: ReadonlySet<string>;
  /** Names of the functions and methods the file defines. */
  defines: ReadonlySet<string>;
  /** Base classes the file's classes name. */
  bases: ReadonlySet<string>;
}

const IMPORT_LINE = /^[ \t]*(?:from|import)[ \t]/gm;

/**
 * Imported module names. A text scan finds the lines that start with `import` / `from`; the tree confirms
 * each is an import statement (not a string).
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

export function pythonFacts(root: Node, text: string = root.text): PythonFacts {
  const callees = new Set<string>();
  for (const c of descendants(root, 'call')) {
    const callee = calleeName(c);
    if (callee) callees.add(callee);
  }
  const defines = new Set(descendants(root, 'function_definition').map((f) => f.childForFieldName('name')?.text ?? ''));
  const bases = new Set(descendants(root, 'class_definition').flatMap((c) => (c.childForFieldName('superclasses') ? kids(c.childForFieldName('superclasses')!).map((b) => b.text) : [])));
  return { modules: importedModules(root, text), callees, defines, bases };
}

const any = (set: ReadonlySet<string>, test: (s: string) => boolean) => [...set].some(test);

/**
 * Each framework's test, in the order they are tried: a file is the first one that fits, by what it trains
 * with (a flax file that imports tensorflow only for its data is optax; a Lightning Fabric script is PyTorch).
 */
export const PYTHON_DETECTORS: readonly { framework: PythonFramework; detect: (f: PythonFacts) => boolean }[] = [
  {
    framework: 'lightning',
    detect: (f) =>
      (f.modules.has('lightning') || f.modules.has('pytorch_lightning')) &&
      (f.defines.has('configure_optimizers') || any(f.bases, (b) => /(^|\.)LightningModule$/.test(b))),
  },
  { framework: 'fastai', detect: (f) => any(f.modules, (m) => /^fastai\d*$/.test(m)) },
  { framework: 'optax', detect: (f) => f.modules.has('optax') || ((f.modules.has('flax') || f.modules.has('jax')) && !f.modules.has('torch')) },
  {
    framework: 'keras',
    detect: (f) =>
      (f.modules.has('keras') || f.modules.has('tensorflow.keras') || f.modules.has('tf_keras') || f.modules.has('tensorflow')) &&
      (any(f.callees, (c) => /(^|\.)compile$/.test(c) || /(^|\.)keras\./.test(c) || /^optimizers\./.test(c)) || !f.modules.has('torch')),
  },
  { framework: 'pytorch', detect: () => true },
];

/** The framework of a parsed file (see PYTHON_DETECTORS). */
export function detectPythonFramework(root: Node, text?: string): PythonFramework {
  const facts = pythonFacts(root, text);
  return PYTHON_DETECTORS.find((d) => d.detect(facts))!.framework;
}
