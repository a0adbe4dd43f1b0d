/**
 * The TypeScript project config (`tsconfig.json` / `jsconfig.json`, JSON with comments) that lets an
 * experiment's `@tensorflow/tfjs` import resolve to declarations of LR Scope's: `compilerOptions.paths`
 * entries added to the user's config keeping its comments and formatting, or a new config for the
 * experiments alone. Pure: text in, text out.
 */
import { applyEdits, modify, parseTree, findNodeAtLocation, printParseErrorCode, getNodeValue, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export interface TypesPathsRequest {
  /** The config's text and absolute path. */
  text: string;
  fileName: string;
  /** Module names to map (e.g. `@tensorflow/tfjs`) and the absolute path of the declarations they map to. */
  modules: string[];
  declarations: string;
}

export type TypesPathsOutcome =
  | { ok: true; text: string; added: string[]; kept: string[] }
  | { ok: false; message: string };

/** The glob patterns of a config that LR Scope writes: experiments only, so other files keep their own setup. */
export const EXPERIMENT_INCLUDE = ['**/*.experiment.ts', '**/*.experiment.js', '**/*.experiment.mjs'];

/**
 * `request.text` with a `compilerOptions.paths` entry for each module that has none yet (entries the
 * user wrote are kept, whatever they map to). Paths are written relative to the config's `baseUrl` when
 * it sets one, else to the config's folder, in its own indentation and line endings.
 */
export function addTypesPaths(request: TypesPathsRequest): TypesPathsOutcome {
  const { text, fileName } = request;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !root) {
    const first = errors[0];
    const where = first ? ` (${printParseErrorCode(first.error)} at ${lineColumn(text, first.offset)})` : '';
    return { ok: false, message: `${fileName} is not valid JSON${where}: fix it, then try again.` };
  }
  if (root.type !== 'object') return { ok: false, message: `${fileName} does not hold a JSON object: LR Scope adds "compilerOptions.paths" to a config object.` };
  const options = findNodeAtLocation(root, ['compilerOptions']);
  if (options && options.type !== 'object') return { ok: false, message: `${fileName}: "compilerOptions" is not an object; fix it, then try again.` };
  const paths = findNodeAtLocation(root, ['compilerOptions', 'paths']);
  if (paths && paths.type !== 'object') return { ok: false, message: `${fileName}: "compilerOptions.paths" is not an object; fix it, then try again.` };
  const baseUrlNode = findNodeAtLocation(root, ['compilerOptions', 'baseUrl']);
  const baseUrl: unknown = baseUrlNode ? getNodeValue(baseUrlNode) : undefined;
  const configDir = dirname(fileName);
  const from = typeof baseUrl === 'string' ? resolve(configDir, baseUrl) : configDir;
  const target = relativeModulePath(from, request.declarations);

  const existing = new Set(paths?.children?.flatMap((p) => (p.children?.[0]?.type === 'string' ? [String(p.children[0].value)] : [])) ?? []);
  const kept = request.modules.filter((m) => existing.has(m));
  const added = request.modules.filter((m) => !existing.has(m));
  const formattingOptions = { insertSpaces: !/^\t/m.test(text), tabSize: indentOf(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let out = text;
  for (const module of added) out = applyEdits(out, modify(out, ['compilerOptions', 'paths', module], [target], { formattingOptions }));
  return { ok: true, text: out, added, kept };
}

/** A new config (written beside the workspace's experiments) that maps `modules` to `declarations`. */
export function newTypesConfig(fileName: string, modules: string[], declarations: string): string {
  const target = relativeModulePath(dirname(fileName), declarations);
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      allowJs: true,
      skipLibCheck: true,
      noEmit: true,
      paths: Object.fromEntries(modules.map((m) => [m, [target]])),
    },
    include: EXPERIMENT_INCLUDE,
  };
  return `// Written by LR Scope: experiments type-check against the TensorFlow.js declarations it copied to ${posix(relative(dirname(fileName), dirname(declarations)))}/.\n${JSON.stringify(config, null, 2)}\n`;
}

/** `./x/y.d.ts` relative to `from`, with forward slashes (what tsconfig files hold on every platform). */
function relativeModulePath(from: string, to: string): string {
  const rel = posix(relative(from, to));
  return isAbsolute(rel) || rel.startsWith('../') ? rel : `./${rel}`;
}

function posix(path: string): string {
  return sep === '\\' ? path.split(sep).join('/') : path;
}

function indentOf(text: string): number {
  const m = /^( +)"/m.exec(text);
  return m ? m[1]!.length : 2;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
