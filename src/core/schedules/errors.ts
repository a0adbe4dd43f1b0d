/** The error every invalid schedule spec produces. */

/**
 * A schedule spec that cannot be run. `field` names the offending field as a path
 * (`"pctStart"`, `"moms[1]"`, `"momentum.max"`; `"spec"` for the whole value); the message
 * names the policy/flavor, the field, what is allowed and what was given, e.g.
 * `onecycle/pytorch: field "pctStart" must be in (0, 1), got 1.5`.
 */
export class SpecError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'SpecError';
    this.field = field;
  }
}

/** A schedule cannot be made from these inputs (a max LR, a training length); the message says which and what to do. */
export class RecommendScheduleError extends Error {
  override name = 'RecommendScheduleError';
}
