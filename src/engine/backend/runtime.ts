/**
 * What JavaScript runtime the engine runs in, as users and run records need to see it — and the
 * ABI (NODE_MODULE_VERSION) that decides whether a native addon such as tfjs-node can load.
 */

/** The subset of `process.versions` we read (injectable for tests). */
export interface RuntimeVersions {
  node: string;
  modules: string;
  electron?: string;
}

/** e.g. `node v20.20.2 (modules 115)` or `electron 32.2.6 (node v20.18.1, modules 128)`. */
export function describeRuntime(versions: RuntimeVersions = process.versions): string {
  return versions.electron !== undefined
    ? `electron ${versions.electron} (node v${versions.node}, modules ${versions.modules})`
    : `node v${versions.node} (modules ${versions.modules})`;
}

/**
 * The ABI a native addon was built for, read from Node's loader message
 * ("was compiled against a different Node.js version using NODE_MODULE_VERSION 108. This version of
 * Node.js requires NODE_MODULE_VERSION 115"), or undefined when the message does not say.
 */
export function abiFromLoaderMessage(message: string): string | undefined {
  return /compiled against[^]*?NODE_MODULE_VERSION\s+(\d+)/.exec(message)?.[1];
}
