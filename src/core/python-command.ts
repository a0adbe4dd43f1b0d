/**
 * The Python command run when none is configured (no setting, no `--python`, no Python extension
 * selection): `python3` on Linux and macOS; `python` on Windows, where the python.org installer
 * provides `python.exe` and `py.exe`, and `python3` is at best the Microsoft Store's alias.
 */
export function defaultPythonCommand(platform: string): string {
  return platform === 'win32' ? 'python' : 'python3';
}
