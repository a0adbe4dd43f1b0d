/** Which quick fixes an experiment's unresolved tf import gets (pure but for `types-setup`'s file checks). */
import { describeSetup, TFJS_MODULES, typesSetupFor } from './types-setup';

/** TypeScript's "Cannot find module '{0}' …" diagnostics (2792: "… Did you mean to set moduleResolution"). */
const CANNOT_FIND_MODULE = new Set([2307, 2792]);

export const SET_UP_TYPES_COMMAND = 'lrScope.setUpExperimentTypes';

export interface DiagnosticLike {
  code?: string | number | { value: string | number } | undefined;
  message: string;
}

/** The tf module an unresolved-import diagnostic names, when it is one LR Scope has declarations for. */
export function missingTfjsModule(diagnostic: DiagnosticLike): string | undefined {
  const raw = typeof diagnostic.code === 'object' && diagnostic.code !== null ? diagnostic.code.value : diagnostic.code;
  if (!CANNOT_FIND_MODULE.has(Number(raw))) return undefined;
  const named = /^Cannot find module '([^']+)'/.exec(diagnostic.message)?.[1];
  return named !== undefined && (TFJS_MODULES as readonly string[]).includes(named) ? named : undefined;
}

export interface TypesFix {
  title: string;
  /** Index of the diagnostic it fixes. */
  diagnostic: number;
  command: string;
  arguments: [string, string];
}

/** The fixes for `diagnostics` of the file at `path` (an experiment module or not) in the workspace folder `root` (one per missing tf module). */
export function typesFixesFor(path: string, isExperiment: boolean, root: string | undefined, diagnostics: readonly DiagnosticLike[]): TypesFix[] {
  if (!isExperiment || root === undefined) return [];
  return diagnostics.flatMap((d, i) => {
    const module = missingTfjsModule(d);
    if (!module) return [];
    const setup = typesSetupFor(path, root, module);
    if (setup.kind === 'installed') return [];
    return [{ title: `LR Scope: use its TensorFlow.js types (${describeSetup(setup, root)})`, diagnostic: i, command: SET_UP_TYPES_COMMAND, arguments: [path, module] as [string, string] }];
  });
}
