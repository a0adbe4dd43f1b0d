/**
 * The settings as VS Code holds them (per resource), and the schedule section's defaults that
 * follow from them and from what the user last chose (epochs, in workspace state).
 */
import * as vscode from 'vscode';
import type { ScheduleContext } from './panel/panel-source';
import { readSettings, type LrScopeSettings } from './settings';

const LAST_EPOCHS_KEY = 'lrScope.lastEpochs';
export const DEFAULT_EPOCHS = 5;
export const DEFAULT_STEPS_PER_EPOCH = 100;

/** The `lrScope.*` settings that apply to `scope` (a file or folder), else the window's. */
export function settingsFor(scope?: vscode.Uri): LrScopeSettings {
  const config = vscode.workspace.getConfiguration('lrScope', scope);
  return readSettings((key) => config.get(key));
}

/** The schedule section's defaults: the settings' flavor and framework, the epochs last trained. */
export function scheduleContextFor(state: vscode.Memento, resource?: vscode.Uri): ScheduleContext {
  const s = settingsFor(resource);
  const epochs = state.get<number>(LAST_EPOCHS_KEY);
  return {
    flavor: s.oneCycleFlavor,
    framework: s.defaultFramework,
    epochs: typeof epochs === 'number' && Number.isInteger(epochs) && epochs > 0 ? epochs : DEFAULT_EPOCHS,
    stepsPerEpoch: DEFAULT_STEPS_PER_EPOCH,
  };
}

/** Remembers the epochs of a training run as the next default. */
export function rememberEpochs(state: vscode.Memento, epochs: number): void {
  void state.update(LAST_EPOCHS_KEY, epochs);
}
