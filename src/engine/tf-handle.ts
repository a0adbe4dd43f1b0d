/**
 * The engine's one tf instance comes from the backend handle; everything in the engine takes
 * `tf` from there (never a second import of tfjs where the instance matters: with the
 * `tensorflow` backend it is tfjs-node's own namespace).
 */
import type { BackendHandle } from './backend/index';

export { initBackend, type BackendHandle } from './backend/index';
export type Tf = BackendHandle['tf'];
