/** The frameworks LR Scope writes schedules for: the names every layer shares (the codegen registry holds what each one does). */
export type Framework = 'pytorch' | 'lightning' | 'keras' | 'fastai' | 'optax' | 'tfjs' | 'json';
export const FRAMEWORKS: readonly Framework[] = ['pytorch', 'lightning', 'keras', 'fastai', 'optax', 'tfjs', 'json'];
