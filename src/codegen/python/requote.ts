/** Generated code is written with double quotes; files that prefer single quotes get single quotes. */
import type { Node } from 'web-tree-sitter';
import type { PythonStyle } from './style';

/**
 * Swaps `"` for `'` in generated code when the file prefers single quotes. `keep` is user code embedded in
 * the generated text, left exactly as written.
 */
export function requote(code: string, style: PythonStyle, keep?: Node): string {
  if (style.quote === '"') return code;
  if (!keep) return code.replace(/"/g, "'");
  const at = code.indexOf(keep.text);
  if (at === -1) return code.replace(/"/g, "'");
  return code.slice(0, at).replace(/"/g, "'") + keep.text + code.slice(at + keep.text.length).replace(/"/g, "'");
}
