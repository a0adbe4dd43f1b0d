/**
 * What makes an experiment's `@tensorflow/tfjs` import resolve in the editor: nothing when the
 * workspace has the package installed, else LR Scope's declarations copied to `.lrscope/types/` and a
 * `paths` entry in the nearest tsconfig/jsconfig (a new tsconfig.json for the experiments when there
 * is none). Pure but for reading whether files exist.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';

/** Where the shipped declarations go inside a workspace folder. */
export const WORKSPACE_DECLARATIONS = join('.lrscope', 'types', 'tfjs.d.ts');

/** Module names an experiment imports tf from (the engine maps them all to its own tf). */
export const TFJS_MODULES = ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'] as const;

export type TypesSetup =
  /** The package resolves from the experiment's folder: its own declarations apply. */
  | { kind: 'installed'; packageJson: string }
  /** Add `paths` to this existing config (the one the TypeScript server uses for the experiment). */
  | { kind: 'edit'; configPath: string; declarations: string }
  /** No config between the experiment and the workspace folder: write this one. */
  | { kind: 'create'; configPath: string; declarations: string };

/**
 * The setup for an experiment at `experimentPath` inside the workspace folder `root`: like the
 * TypeScript server, looks for `node_modules/<module>` in every folder up from the experiment's, and
 * for `tsconfig.json` then `jsconfig.json` in every folder up to `root`.
 */
export function typesSetupFor(experimentPath: string, root: string, module: string = TFJS_MODULES[0], exists: (path: string) => boolean = existsSync): TypesSetup {
  const start = dirname(experimentPath);
  for (let dir = start; ; dir = dirname(dir)) {
    const packageJson = join(dir, 'node_modules', module, 'package.json');
    if (exists(packageJson)) return { kind: 'installed', packageJson };
    if (dirname(dir) === dir) break;
  }
  const declarations = join(root, WORKSPACE_DECLARATIONS);
  for (let dir = start; isInside(dir, root); dir = dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      if (exists(join(dir, name))) return { kind: 'edit', configPath: join(dir, name), declarations };
    }
    if (dir === root || dirname(dir) === dir) break;
  }
  return { kind: 'create', configPath: join(root, 'tsconfig.json'), declarations };
}

/** What the setup will do, in a few words (the quick fix's title, the New Experiment choice). */
export function describeSetup(setup: Exclude<TypesSetup, { kind: 'installed' }>, root: string): string {
  const config = relative(root, setup.configPath) || basename(setup.configPath);
  return setup.kind === 'edit'
    ? `copy LR Scope's TensorFlow.js declarations to ${posix(WORKSPACE_DECLARATIONS)} and add "paths" to ${posix(config)}`
    : `copy LR Scope's TensorFlow.js declarations to ${posix(WORKSPACE_DECLARATIONS)} and create ${posix(config)} for the experiments`;
}

function isInside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function posix(path: string): string {
  return path.split('\\').join('/');
}
