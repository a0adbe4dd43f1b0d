/**
 * The rules that turn a range test's analysis into the one number offered as the one-cycle maximum LR.
 *
 * fastai's four suggestions stay as they are (exact to fastai); a rule reads them, or the same functions
 * run on the lag-free curve (`zero-phase.ts`), and may scale them. Which rule is the default is decided
 * by measurement: `bench/recommendation.bench.ts` runs one-cycle at every rule and at a grid of max LRs
 * on several tasks (the table and the reasons are in README, "How the recommendation is chosen").
 */
import type { RangeAnalysis, SuggestionMethod } from './types';
import { SUGGESTION_METHODS } from './types';

export type RecommendRule =
  | 'valley'
  | 'minimum'
  | 'minimum-x2'
  | 'valley-x10'
  | 'agreeing-mean'
  | 'lag-free-minimum'
  | 'lag-free-minimum-x3'
  | 'lag-free-valley';

export interface RuleDefinition {
  /** What the rule computes, in a few words (shown beside the number). */
  text: string;
  /** The suggestion whose marker the rule is read from. */
  basis: SuggestionMethod;
  /** The LR the rule gives on `analysis`, or null when its inputs gave none. */
  lr(analysis: Pick<RangeAnalysis, 'suggestions' | 'lagFree'>): number | null;
}

/** Suggestions within this many decades of their median count as agreeing (`agreeing-mean`). */
export const AGREEING_DECADES = 0.5;

function scaled(value: number | null, factor: number): number | null {
  return value === null ? null : value * factor;
}

/** Geometric mean of the suggestions within `AGREEING_DECADES` of their median (in log lr); null without any. */
export function agreeingMean(suggestions: Record<SuggestionMethod, number | null>): number | null {
  const logs = SUGGESTION_METHODS.map((m) => suggestions[m])
    .filter((v): v is number => v !== null && v > 0)
    .map(Math.log10)
    .sort((a, b) => a - b);
  if (logs.length === 0) return null;
  const mid = logs.length >> 1;
  const median = logs.length % 2 === 1 ? logs[mid]! : (logs[mid - 1]! + logs[mid]!) / 2;
  const near = logs.filter((v) => Math.abs(v - median) <= AGREEING_DECADES);
  return 10 ** (near.reduce((a, b) => a + b, 0) / near.length);
}

export const RECOMMEND_RULES: Record<RecommendRule, RuleDefinition> = {
  valley: { text: "fastai's valley", basis: 'valley', lr: (a) => a.suggestions.valley },
  minimum: { text: 'the min-loss LR / 10', basis: 'minimum', lr: (a) => a.suggestions.minimum },
  'minimum-x2': { text: 'the min-loss LR / 5', basis: 'minimum', lr: (a) => scaled(a.suggestions.minimum, 2) },
  'valley-x10': { text: "10 × fastai's valley", basis: 'valley', lr: (a) => scaled(a.suggestions.valley, 10) },
  'agreeing-mean': { text: 'the geometric mean of the agreeing suggestions', basis: 'valley', lr: (a) => agreeingMean(a.suggestions) },
  'lag-free-minimum': { text: 'the min-loss LR / 10 on the lag-free curve', basis: 'minimum', lr: (a) => a.lagFree.suggestions.minimum },
  'lag-free-minimum-x3': { text: 'the min-loss LR / 3 on the lag-free curve', basis: 'minimum', lr: (a) => scaled(a.lagFree.suggestions.minimum, 10 / 3) },
  'lag-free-valley': { text: "fastai's valley on the lag-free curve", basis: 'valley', lr: (a) => a.lagFree.suggestions.valley },
};

export const RECOMMEND_RULE_NAMES = Object.keys(RECOMMEND_RULES) as RecommendRule[];

/** The recommendation's rule unless `AnalysisOptions.recommend` names another (chosen by the benchmark; README). */
export const DEFAULT_RECOMMEND: RecommendChoice = 'minimum-x2';

/** What `AnalysisOptions.recommend` names: one of fastai's four suggestions as it is, or a rule. */
export type RecommendChoice = SuggestionMethod | RecommendRule;

/** Every name `AnalysisOptions.recommend` takes: the four suggestions, then the rules that are not one of them. */
export const RECOMMEND_CHOICES: readonly RecommendChoice[] = [...SUGGESTION_METHODS, ...RECOMMEND_RULE_NAMES.filter((r) => !(SUGGESTION_METHODS as readonly string[]).includes(r))];

export function isRecommendChoice(name: unknown): name is RecommendChoice {
  return (RECOMMEND_CHOICES as readonly unknown[]).includes(name);
}

/** The LR `choice` gives on `analysis` and the suggestion it is read from. */
export function applyRecommendChoice(
  choice: RecommendChoice,
  analysis: Pick<RangeAnalysis, 'suggestions' | 'lagFree'>,
): { basis: SuggestionMethod; lr: number | null } {
  if (choice in RECOMMEND_RULES) {
    const rule = RECOMMEND_RULES[choice as RecommendRule];
    return { basis: rule.basis, lr: rule.lr(analysis) };
  }
  const method = choice as SuggestionMethod;
  return { basis: method, lr: analysis.suggestions[method] };
}

/** `choice` in words: a suggestion's name as it is, a rule's name with what it computes (`minimum-x2: the min-loss LR / 5`). */
export function describeChoice(choice: RecommendChoice): string {
  return (SUGGESTION_METHODS as readonly string[]).includes(choice) ? choice : `${choice}: ${RECOMMEND_RULES[choice as RecommendRule].text}`;
}

/** True when `choice` is one of fastai's four suggestions taken as it is (its marker is the recommended LR). */
export function isSuggestionChoice(choice: RecommendChoice): choice is SuggestionMethod {
  return (SUGGESTION_METHODS as readonly string[]).includes(choice);
}
