/** What a Python file trains with: the facts a framework's `detect` reads (imports, and what the code calls and defines). */
import { kids, type Node } from './syntax';

export type PythonFramework = 'pytorch' | 'lightning' | 'keras' | 'fastai' | 'optax';
export const PYTHON_FRAMEWORKS: readonly PythonFramework[] = ['pytorch', 'lightning', 'keras', 'fastai', 'optax'];

export interface PythonFacts {
  /** Imported module names (`import a.b` and `from a.b import c` give `a`, `a.b`, `a.b.c`). */
  modules: ReadonlySet<string>;
  /** Whether the code calls `<callee>` for a callee matching the pattern (read from the text). */
  calls(pattern: RegExp): boolean;
  /** Whether the file defines a function or method `name`. */
  defines(name: string): boolean;
  /** Whether a class of the file names a base class matching the pattern. */
  subclasses(pattern: RegExp): boolean;
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

/**
 * The facts of a file. Imports are confirmed on the tree; the rest is read from the text when a detector asks
 * (a cheap scan: the CodeLens asks on every change).
 */
export function pythonFacts(root: Node, text: string = root.text): PythonFacts {
  return {
    modules: importedModules(root, text),
    calls: (pattern) => new RegExp(`(?:^|[^\\w.])(?:${pattern.source})\\s*\\(`, 'm').test(text),
    defines: (name) => new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${name}\\b`, 'm').test(text),
    subclasses: (pattern) => new RegExp(`^[ \\t]*class[ \\t]+\\w+[ \\t]*\\([^)]*(?:${pattern.source})`, 'm').test(text),
  };
}

const anyModule = (f: PythonFacts, test: (s: string) => boolean) => [...f.modules].some(test);

/**
 * Each framework's test, in the order they are tried: a file is the first one that fits, by what it trains
 * with (a flax file that imports tensorflow only for its data is optax; a Lightning Fabric script is PyTorch).
 */
export const PYTHON_DETECTORS: readonly { framework: PythonFramework; detect: (f: PythonFacts) => boolean }[] = [
  {
    framework: 'lightning',
    detect: (f) =>
      (f.modules.has('lightning') || f.modules.has('pytorch_lightning')) && (f.defines('configure_optimizers') || f.subclasses(/\bLightningModule\b/)),
  },
  { framework: 'fastai', detect: (f) => anyModule(f, (m) => /^fastai\d*$/.test(m)) },
  { framework: 'optax', detect: (f) => f.modules.has('optax') || ((f.modules.has('flax') || f.modules.has('jax')) && !f.modules.has('torch')) },
  {
    framework: 'keras',
    detect: (f) =>
      (f.modules.has('keras') || f.modules.has('tensorflow.keras') || f.modules.has('tf_keras') || f.modules.has('tensorflow')) &&
      (!f.modules.has('torch') || f.calls(/[\w.]*\.compile|(?:[\w.]*\.)?keras\.[\w.]+|optimizers\.[\w.]+/)),
  },
  { framework: 'pytorch', detect: () => true },
];

/** The framework of a parsed file (see PYTHON_DETECTORS). */
export function detectPythonFramework(root: Node, text?: string): PythonFramework {
  const facts = pythonFacts(root, text);
  return PYTHON_DETECTORS.find((d) => d.detect(facts))!.framework;
}
