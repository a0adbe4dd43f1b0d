/**
 * The `lrScope.*` settings, read through a getter so the parsing is testable without vscode.
 * Invalid values fall back to the defaults declared in package.json (VS Code only warns about them).
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BackendChoice, RangeTestOptions } from '../protocol/engine';
import { FRAMEWORKS, type Framework } from '../core/frameworks';
import { DEFAULT_ONE_CYCLE_FLAVOR, ONE_CYCLE_FLAVORS, type OneCycleFlavor } from '../core/schedules/spec';

export interface LrScopeSettings {
  /** Empty: VS Code's own runtime. */
  nodePath: string;
  /** Interpreter for PyTorch scripts. Empty: the Python extension's selection, else `python3`. */
  pythonPath: string;
  /** Launcher command line for PyTorch scripts (`lrScope.python.launcher`). Empty: none. */
  pythonLauncher: string;
  backend: BackendChoice;
  rangeTest: Required<Pick<RangeTestOptions, 'startLr' | 'endLr' | 'steps'>> & { divergeFactor: number | null };
  defaultFramework: Framework;
  oneCycleFlavor: OneCycleFlavor;
  runsFolder: string;
  codeLensEnabled: boolean;
  /** A watched log ends after this many seconds without growing; 0 never (only Stop ends it). */
  logWatchIdleSeconds: number;
}

export const DEFAULT_SETTINGS: LrScopeSettings = {
  nodePath: '',
  pythonPath: '',
  pythonLauncher: '',
  backend: 'auto',
  rangeTest: { startLr: 1e-7, endLr: 10, steps: 100, divergeFactor: 4 },
  defaultFramework: 'pytorch',
  oneCycleFlavor: DEFAULT_ONE_CYCLE_FLAVOR,
  runsFolder: '.lrscope/runs',
  codeLensEnabled: true,
  logWatchIdleSeconds: 60,
};

/** Reads one setting below `lrScope.` (e.g. `rangeTest.steps`); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Typed settings from a getter (e.g. `vscode.workspace.getConfiguration('lrScope').get`). */
export function readSettings(get: SettingGetter): LrScopeSettings {
  const d = DEFAULT_SETTINGS;
  const startLr = positive(get('rangeTest.startLr'), d.rangeTest.startLr);
  let endLr = positive(get('rangeTest.endLr'), d.rangeTest.endLr);
  if (endLr <= startLr) endLr = Math.max(d.rangeTest.endLr, startLr * 1e4);
  const steps = get('rangeTest.steps');
  const diverge = get('rangeTest.divergeFactor');
  const nodePath = get('nodePath');
  const pythonPath = get('pythonPath');
  const pythonLauncher = get('python.launcher');
  const runsFolder = get('runsFolder');
  const idle = get('logWatch.idleSeconds');
  return {
    nodePath: typeof nodePath === 'string' ? nodePath.trim() : '',
    pythonPath: typeof pythonPath === 'string' ? pythonPath.trim() : '',
    pythonLauncher: typeof pythonLauncher === 'string' ? pythonLauncher.trim() : '',
    backend: pick(get('backend'), BACKENDS, d.backend),
    rangeTest: {
      startLr,
      endLr,
      steps: typeof steps === 'number' && Number.isInteger(steps) && steps >= 2 ? steps : d.rangeTest.steps,
      divergeFactor: diverge === null ? null : typeof diverge === 'number' && diverge > 1 ? diverge : d.rangeTest.divergeFactor,
    },
    defaultFramework: pick(get('defaultFramework'), FRAMEWORKS, d.defaultFramework),
    oneCycleFlavor: pick(get('oneCycleFlavor'), ONE_CYCLE_FLAVORS, d.oneCycleFlavor),
    runsFolder: typeof runsFolder === 'string' && runsFolder.trim() !== '' ? runsFolder.trim() : d.runsFolder,
    codeLensEnabled: get('codeLens.enabled') !== false,
    logWatchIdleSeconds: typeof idle === 'number' && Number.isFinite(idle) && idle >= 0 ? idle : d.logWatchIdleSeconds,
  };
}

/** The absolute runs folder: `runsFolder` as is when absolute, else below the workspace folder. */
export function resolveRunsDir(runsFolder: string, workspaceFolder: string): string {
  return isAbsolute(runsFolder) ? runsFolder : join(workspaceFolder, runsFolder);
}

/** Where `lrScope.runsFolder` was set, as `WorkspaceConfiguration.inspect` tells it. */
export interface RunsFolderSetting {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The runs folder of `workspaceFolder`. A value from the workspace's own settings (a file anyone
 * who shares the repository can write) must stay inside the workspace folder: one pointing
 * elsewhere is ignored for the default (`refused` says so). The user's own settings may point anywhere.
 */
export function confinedRunsDir(setting: RunsFolderSetting | undefined, workspaceFolder: string): { dir: string; refused?: string } {
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const fromWorkspace = pick(setting?.workspaceFolderValue) ?? pick(setting?.workspaceValue);
  if (fromWorkspace !== undefined) {
    const dir = resolveRunsDir(fromWorkspace, workspaceFolder);
    const inside = relative(resolve(workspaceFolder), resolve(dir));
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return { dir };
    return {
      dir: resolveRunsDir(DEFAULT_SETTINGS.runsFolder, workspaceFolder),
      refused: `lrScope.runsFolder "${fromWorkspace}" from the workspace settings is outside the workspace folder ${workspaceFolder}; using ${DEFAULT_SETTINGS.runsFolder}. Set it in your user settings to keep runs elsewhere.`,
    };
  }
  return { dir: resolveRunsDir(pick(setting?.globalValue) ?? DEFAULT_SETTINGS.runsFolder, workspaceFolder) };
}
