/**
 * What the Insert Schedule… and Train with Schedule… flows ask, given what is already known (the
 * lens' LR, the framework the file trains with, the length the planner read from the file, the
 * experiment's own epochs), and the one step counter over the prompts actually shown: "(1/2)",
 * "(2/2)". Pure (tested in plain node).
 */

export type Question = 'flavor' | 'framework' | 'max-lr' | 'epochs' | 'steps-per-epoch' | 'steps';

/** What the flow knows before it asks anything. */
export interface Known {
  /** The flow picks a schedule flavor (Train does; Insert takes the settings' flavor). */
  asksFlavor?: boolean;
  /** Frameworks that fit the file (1: nothing to ask). */
  frameworkChoices: number;
  /** The max LR is given (the lens' LR, the panel's spec). */
  maxLr: boolean;
  /** The number of epochs is known (the file's length, the experiment's `epochs`). */
  epochs: boolean;
  /** The batches per epoch are known (the file's length, the experiment's data). */
  stepsPerEpoch: boolean;
  /** The length is one count of optimizer steps (a PyTorch script trained through the probe), not epochs × batches. */
  lengthInSteps?: boolean;
}

/** The questions to ask, in order: only what `known` does not answer. */
export function questionsFor(known: Known): Question[] {
  const out: Question[] = [];
  if (known.asksFlavor) out.push('flavor');
  if (known.frameworkChoices > 1) out.push('framework');
  if (!known.maxLr) out.push('max-lr');
  if (known.lengthInSteps) {
    if (!(known.epochs && known.stepsPerEpoch)) out.push('steps');
    return out;
  }
  if (!known.epochs) out.push('epochs');
  if (!known.stepsPerEpoch) out.push('steps-per-epoch');
  return out;
}

const LABELS: Record<Question, string> = {
  flavor: 'schedule',
  framework: 'framework',
  'max-lr': 'maximum learning rate',
  epochs: 'epochs',
  'steps-per-epoch': 'steps per epoch',
  steps: 'optimizer steps',
};

/**
 * The title of `question` among `questions` (the ones shown): "LR Scope: Insert Schedule (2/3):
 * epochs"; without a counter when it is the only one. A question not in the list (the plan changed
 * under a framework the user picked) is counted after them.
 */
export function questionTitle(flow: string, questions: readonly Question[], question: Question): string {
  const at = questions.indexOf(question);
  const total = at < 0 ? questions.length + 1 : questions.length;
  const index = at < 0 ? total : at + 1;
  return total <= 1 ? `${flow}: ${LABELS[question]}` : `${flow} (${index}/${total}): ${LABELS[question]}`;
}
