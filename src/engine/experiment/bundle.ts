/**
 * Turns an experiment file (TypeScript or JavaScript, ESM or CommonJS) into one CommonJS
 * module evaluated in this process. esbuild (esbuild-wasm: the same bundler on every OS and CPU)
 * bundles the file and its relative imports in memory; npm packages stay external and are required at run time from the experiment's
 * folder (so packages that read files beside themselves keep working); every tfjs package
 * name maps to the engine's one tf instance, so two tf copies never meet.
 */
import * as esbuild from 'esbuild-wasm';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { ExperimentError, experimentError, messageOf } from '../errors';
import type { Tf } from '../tf-handle';

/** Import names that resolve to the engine's tf, and what each one gets. */
const TF_PACKAGES: Record<string, (tf: Tf) => unknown> = {
  '@tensorflow/tfjs': (tf) => tf,
  '@tensorflow/tfjs-node': (tf) => tf,
  '@tensorflow/tfjs-node-gpu': (tf) => tf,
  '@tensorflow/tfjs-core': (tf) => tf,
  '@tensorflow/tfjs-layers': (tf) => tf,
  '@tensorflow/tfjs-converter': (tf) => tf,
  '@tensorflow/tfjs-data': (tf) => tf.data,
};
const TF_MARKER = 'lrscope:tf/';
const IMPORT_META_URL = '__lrscope_import_meta_url';

/** The part of esbuild's API used here (esbuild-wasm's; native esbuild has the same, for benchmarks). */
export type Bundler = Pick<typeof esbuild, 'build' | 'stop'>;

/**
 * Bundles the experiment (syntax and resolution errors become an `ExperimentError` with
 * file:line:column) and returns its JavaScript as a CommonJS body.
 */
export async function bundleExperiment(file: string, bundler: Bundler = esbuild): Promise<string> {
  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = await bundler.build({
      entryPoints: [file],
      absWorkingDir: dirname(file),
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      sourcemap: false,
      define: { 'import.meta.url': IMPORT_META_URL },
      plugins: [externalsPlugin()],
    });
  } catch (err) {
    throw bundleError(file, err);
  } finally {
    // esbuild's service process would outlive the run (and its caller's process) otherwise.
    await bundler.stop();
  }
  const out = result.outputFiles[0];
  if (!out) throw experimentError(file, 'file', 'esbuild produced no output');
  return out.text;
}

/** tf names → the engine's tf; npm packages and node builtins → required at run time. */
function externalsPlugin(): esbuild.Plugin {
  return {
    name: 'lrscope-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const spec = args.path;
        if (spec in TF_PACKAGES) return { path: TF_MARKER + spec, external: true };
        // Any other tfjs package (converter, a backend) must not load a second tfjs-core either.
        if (spec.startsWith('@tensorflow/tfjs')) return { path: TF_MARKER + '@tensorflow/tfjs', external: true };
        // Node builtins, and the user's own npm dependencies (resolved from the experiment's folder
        // when evaluated, so packages that read files beside themselves keep working).
        return { path: spec, external: true };
      });
    },
  };
}

function bundleError(file: string, err: unknown): ExperimentError {
  const failure = err as Partial<esbuild.BuildFailure>;
  const first = failure.errors?.[0];
  if (first?.location) {
    const { file: where, line, column } = first.location;
    const shown = where ? resolve(dirname(file), where) : file;
    const e = new ExperimentError(`${shown}:${line}:${column + 1}: ${first.text}`, file, 'file', { line, column: column + 1 });
    return e;
  }
  return experimentError(file, 'file', first?.text ?? messageOf(err));
}

/**
 * Evaluates the bundled code as a CommonJS module and returns its `module.exports`.
 * `require` resolves from the experiment's folder first, then from the engine's own install
 * (so the bundled examples find their data packages when run from `dist/`).
 */
export function evaluateBundle(file: string, code: string, tf: Tf, fallbackFrom: string[] = []): unknown {
  const requirers = [createRequire(file), ...fallbackFrom.map((from) => createRequire(from))];
  const userRequire = ((spec: string): unknown => {
    if (spec.startsWith(TF_MARKER)) {
      const pick = TF_PACKAGES[spec.slice(TF_MARKER.length)] ?? TF_PACKAGES['@tensorflow/tfjs']!;
      return pick(tf);
    }
    for (const req of requirers) {
      try {
        return req(spec);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'MODULE_NOT_FOUND') throw err;
      }
    }
    throw experimentError(
      file,
      'file',
      `cannot find module '${spec}' (looked from the experiment's folder${fallbackFrom.length ? " and LR Scope's install" : ''}); install it next to the experiment: npm install ${spec}`,
    );
  }) as ((spec: string) => unknown) & { resolve: (spec: string) => string };
  userRequire.resolve = (spec: string): string => {
    for (const req of requirers) {
      try {
        return req.resolve(spec);
      } catch {
        // try the next place
      }
    }
    throw experimentError(file, 'file', `cannot resolve '${spec}' from the experiment's folder; install it next to the experiment: npm install ${spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')}`);
  };
  const module = { exports: {} as unknown };
  const wrapper = `(function (exports, require, module, __filename, __dirname, ${IMPORT_META_URL}) {${code}\n})`;
  const fn = new Script(wrapper, { filename: file }).runInThisContext() as (
    exports: unknown,
    require: typeof userRequire,
    module: { exports: unknown },
    filename: string,
    dirname: string,
    importMetaUrl: string,
  ) => void;
  fn(module.exports, userRequire, module, file, dirname(file), pathToFileURL(file).href);
  return module.exports;
}
