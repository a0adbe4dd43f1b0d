/** Every `lrscope` verb, in the order `lrscope --help` lists them. */
import type { Verb } from '../verb';

export const verbs: Verb[] = [];
