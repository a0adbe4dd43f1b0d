/**
 * Which Python runs a PyTorch script (issue 5 §2): the `lrScope.pythonPath` setting, else the
 * interpreter selected in the Python extension (ms-python.python) when it is installed, else
 * `python3`. Pure: the Python extension is reached through a function the caller supplies, and its
 * API object is read defensively (it may be absent, old, or half-initialised).
 */
import { defaultPythonCommand } from '../core/python-command';

/** The interpreter used when neither the setting nor the Python extension names one. */
export const DEFAULT_PYTHON_COMMAND = defaultPythonCommand(process.platform);

/** The Python extension's id (its API offers the selected interpreter). */
export const PYTHON_EXTENSION_ID = 'ms-python.python';

export type PythonSource = 'setting' | 'python-extension' | 'default';

export interface ResolvedPython {
  /** A path or a command on PATH. */
  command: string;
  /** Where it came from (logged, and said in messages). */
  source: PythonSource;
}

/**
 * The interpreter for a run: `setting` when it is non-blank; else what `fromPythonExtension`
 * gives (undefined, blank, or a rejection fall through); else `python3`.
 */
export async function resolvePython(setting: string, fromPythonExtension: () => Promise<string | undefined>): Promise<ResolvedPython> {
  if (setting.trim() !== '') return { command: setting.trim(), source: 'setting' };
  const selected = await fromPythonExtension().catch(() => undefined);
  if (typeof selected === 'string' && selected.trim() !== '') return { command: selected.trim(), source: 'python-extension' };
  return { command: DEFAULT_PYTHON_COMMAND, source: 'default' };
}

/**
 * The interpreter the Python extension has selected for `resource`, read from its exported API:
 * `environments.getActiveEnvironmentPath(resource).path` (current API), else
 * `settings.getExecutionDetails(resource).execCommand` when it is a single command (older API; a
 * multi-word command such as `conda run …` is not an interpreter path). Undefined when neither
 * gives one; never throws.
 */
export async function interpreterFromPythonApi(api: unknown, resource: unknown): Promise<string | undefined> {
  const active = await callMember(member(api, 'environments'), 'getActiveEnvironmentPath', resource);
  const path = member(active, 'path');
  if (typeof path === 'string' && path.trim() !== '') return path;
  const details = await callMember(member(api, 'settings'), 'getExecutionDetails', resource);
  const command = member(details, 'execCommand');
  if (Array.isArray(command) && command.length === 1 && typeof command[0] === 'string' && command[0].trim() !== '') return command[0];
  return undefined;
}

function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Calls `owner[key](arg)` when it is a function; its (awaited) result, or undefined on any failure. */
async function callMember(owner: unknown, key: string, arg: unknown): Promise<unknown> {
  const fn = member(owner, key);
  if (typeof fn !== 'function') return undefined;
  try {
    return await (fn as (arg: unknown) => unknown).call(owner, arg);
  } catch {
    return undefined;
  }
}
