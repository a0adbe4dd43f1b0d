/** Every `lrscope` verb, in the order `lrscope --help` lists them. */
import type { Verb } from '../verb';
import { scheduleVerb } from './schedule';
import { snippetVerb } from './snippet';
import { suggestVerb } from './suggest';
import { rangeTestVerb } from './range-test';
import { sweepVerb } from './sweep';
import { trainVerb } from './train';
import { demoVerb } from './demo';

export const verbs: Verb[] = [scheduleVerb, suggestVerb, snippetVerb, rangeTestVerb, sweepVerb, trainVerb, demoVerb];
