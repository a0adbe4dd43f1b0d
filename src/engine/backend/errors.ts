/** The one error type `initBackend` throws: which backend, what went wrong, and what to do. */

export type BackendErrorKind =
  /** `tensorflow` asked for, but neither @tensorflow/tfjs-node nor -node-gpu is installed where we looked. */
  | 'not-found'
  /** tfjs-node was found but `require` failed or did not give a usable tfjs namespace. */
  | 'load-failed'
  /** The backend loaded but `tf.setBackend` refused it (e.g. the .wasm binaries are missing). */
  | 'init-failed';

export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly kind: BackendErrorKind,
    readonly backend: 'tensorflow' | 'wasm' | 'cpu',
    message: string,
  ) {
    super(message);
  }
}
