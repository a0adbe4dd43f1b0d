/** The code generator, loaded once on first use (it pulls in tree-sitter and its grammars). */
import type { Codegen } from '../../codegen/index';

/**
 * Returns a function that creates the code generator on its first call and hands out the same one
 * afterwards. `wasmDir` holds tree-sitter's .wasm files (the extension's `dist/`). A failed load is
 * not cached, so the next call tries again.
 */
export function codegenLoader(wasmDir: string): () => Promise<Codegen> {
  let loading: Promise<Codegen> | undefined;
  return () => {
    loading ??= import('../../codegen/index.js')
      .then(({ createCodegen }) => createCodegen({ wasmDir }))
      .catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
    return loading;
  };
}
