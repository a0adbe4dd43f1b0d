/**
 * How many optimizer steps a script takes, read from the loops around the step: `len(loader)` for a
 * batch loop (÷ gradient accumulation), `range(...)` counts for epoch loops, `while` loops bounded by
 * a counter (`if iter_num > max_iters: break`), across function calls (`train(…)` called from the
 * epoch loop of `main()`): the count is written in the names of the function that holds the outermost
 * loop, where the scheduler is made.
 */
import { ancestor, calleeName, descendants, kids, positional, type Node } from '../syntax';
import { atCallSite, callSites, scopeLabel, scopeOf } from './scopes';

export interface StepCount {
  /** The number of optimizer steps, as a Python expression in the driver's names. */
  expr: string;
  /** The same in words, for the summary. */
  describe: string;
  /** The scope (function or module) holding the outermost counted loop. */
  driver: Node;
  /** That loop: the scheduler is made before it. */
  loop: Node;
  /** The functions between the driver and the step, outermost first, each with the call that leads into it. */
  chain: { fn: Node; call: Node }[];
  /** Expressions the caller asked to carry up, in the driver's names (e.g. the optimizer's name). */
  carried: string[];
  /** Things that may make the count wrong (a `break` the count does not know). */
  warnings: string[];
}

export type CountResult = StepCount | { unknown: string };

/**
 * The step count of the step statement `site`. `carry` are expressions in the site's scope to translate into
 * the driver's scope as the count climbs through calls (null when one cannot be translated).
 */
export function countSteps(site: Node, carry: string[]): CountResult {
  let factors: string[] = [];
  const words: string[] = [];
  const warnings: string[] = [];
  const chain: { fn: Node; call: Node }[] = [];
  let carried = [...carry];
  let node = site;
  let scope = scopeOf(site);
  let first = true;
  let found: { factors: string[]; carried: string[]; driver: Node; loop: Node; chain: number } | null = null;
  for (let depth = 0; depth < 6; depth++) {
    let bounded = false;
    let outer: Node | null = null;
    for (let loop = enclosingLoop(node, scope); loop; loop = enclosingLoop(loop, scope)) {
      const factor = loop.type === 'while_statement' ? whileCount(loop, node) : forCount(loop, first ? node : null);
      if ('unknown' in factor) return factor;
      factors.unshift(factor.expr);
      words.unshift(factor.describe);
      warnings.push(...earlyBreaks(loop, factor.bound ?? null));
      bounded ||= factor.epochs;
      outer = loop;
      node = loop;
      first = false;
    }
    if (outer) found = { factors: [...factors], carried: [...carried], driver: scope, loop: outer, chain: chain.length };
    if (bounded) break;
    const calls = callSites(scope);
    if (scope.type !== 'function_definition' || calls.length === 0) break;
    if (calls.length > 1) {
      if (found) break;
      return { unknown: `${scopeLabel(scope)} is called from ${calls.length} places` };
    }
    const call = calls[0]!;
    const up = [...factors, ...carried].map((e) => atCallSite(e, scope, call));
    if (up.some((e) => e === null)) {
      if (found) break;
      return { unknown: `the call of ${scopeLabel(scope)} on line ${call.startPosition.row + 1} does not pass what the count needs` };
    }
    factors = up.slice(0, factors.length) as string[];
    carried = up.slice(factors.length) as string[];
    chain.unshift({ fn: scope, call });
    node = call;
    scope = scopeOf(call);
  }
  if (!found) return { unknown: 'the optimizer step is in no loop this file counts' };
  // the count may have climbed past the driver looking for an epoch loop: keep what the driver sees
  const below = chain.slice(chain.length - found.chain);
  const expr = found.factors.length === 1 ? unparen(found.factors[0]!) : found.factors.join(' * ');
  return { expr, describe: words.slice(words.length - found.factors.length).join(' × '), driver: found.driver, loop: found.loop, chain: below, carried: found.carried, warnings };
}

interface Factor {
  expr: string;
  describe: string;
  /** True for a loop that repeats the batches (epochs, iterations), false for the batch loop itself. */
  epochs: boolean;
  bound?: Node;
}

function enclosingLoop(node: Node, scope: Node): Node | null {
  const loop = ancestor(node, ['for_statement', 'while_statement', 'function_definition', 'class_definition']);
  if (!loop || loop.type === 'function_definition' || loop.type === 'class_definition') return null;
  return scopeOf(loop).id === scope.id ? loop : null;
}

function forCount(loop: Node, site: Node | null): Factor | { unknown: string } {
  const right = loop.childForFieldName('right');
  const line = loop.startPosition.row + 1;
  if (right?.type === 'call' && calleeName(right) === 'range') {
    const n = rangeCount(positional(right));
    if (n === null) return { unknown: `cannot count \`range(…)\` on line ${line}` };
    return { expr: atom(n), describe: `${n} (line ${line})`, epochs: true };
  }
  // `for batch, i in enumerate(range(0, n, bptt))`: a batch loop over a range
  if (right?.type === 'call' && calleeName(right) === 'enumerate' && positional(right)[0]?.type === 'call' && calleeName(positional(right)[0]!) === 'range') {
    const n = rangeCount(positional(positional(right)[0]!));
    if (n === null) return { unknown: `cannot count \`range(…)\` on line ${line}` };
    return { expr: atom(n), describe: `${n} batches (line ${line})`, epochs: false };
  }
  const loader = iterated(right);
  if (!loader) return { unknown: `cannot count the loop over \`${right?.text ?? '?'}\` on line ${line}` };
  const per = site ? accumulation(site, loop, loader) : null;
  const expr = per ?? `len(${loader})`;
  return { expr: atom(expr), describe: `${expr} batches (line ${line})`, epochs: false };
}

/** `range(n)` → n, `range(a, b)` → b − a (`range(1, n + 1)` → n); null with a step argument. */
function rangeCount(args: Node[]): string | null {
  if (args.length === 1) return args[0]!.text;
  if (args.length === 3) return `len(range(${args.map((a) => a.text).join(', ')}))`;
  if (args.length !== 2) return null;
  const [a, b] = [args[0]!.text, args[1]!.text];
  if (a === '0') return b;
  const plus = new RegExp(`^(.*\\S)\\s*\\+\\s*${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).exec(b);
  if (/^\d+$/.test(a) && plus) return plus[1]!;
  return `${atom(b)} - ${atom(a)}`;
}

/** The loader a batch loop iterates: `loader`, `enumerate(loader)`, `tqdm(loader)`, `enumerate(tqdm(loader))`. */
function iterated(right: Node | null): string | null {
  if (!right) return null;
  if (right.type === 'identifier' || right.type === 'attribute') return right.text;
  if (right.type === 'call') {
    const callee = calleeName(right);
    if (callee && ['enumerate', 'tqdm', 'tqdm.tqdm', 'iter'].includes(callee)) return iterated(positional(right)[0] ?? null);
  }
  return null;
}

/**
 * Gradient accumulation between the batch loop and the step: `if (i + 1) % k == 0` steps ⌊len/k⌋ times,
 * `if i % k == 0` (or `… or i + 1 == len(loader)`) ⌈len/k⌉ times.
 */
function accumulation(site: Node, loop: Node, loader: string): string | null {
  for (let n = site.parent; n && n.id !== loop.id; n = n.parent) {
    // `with accelerator.accumulate(model):` steps once every `gradient_accumulation_steps` batches and at the
    // end of the loader (Hugging Face accelerate)
    if (n.type === 'with_statement') {
      const call = descendants(n, 'call').find((c) => /\.accumulate$/.test(calleeName(c) ?? '') && ancestor(c, ['with_clause'])?.parent?.id === n.id);
      if (call) {
        const k = `${calleeName(call)!.slice(0, -'.accumulate'.length)}.gradient_accumulation_steps`;
        return `(len(${loader}) + ${k} - 1) // ${k}`;
      }
    }
    if (n.type !== 'if_statement' && n.type !== 'elif_clause') continue;
    const condition = n.childForFieldName('condition')?.text ?? '';
    const m = /(\(?\s*[\w.]+\s*(\+\s*1)?\s*\)?)\s*%\s*([A-Za-z_][\w.]*|\d+)\s*\)?\s*==\s*0\b/.exec(condition);
    if (!m) continue;
    const k = m[3]!;
    const floor = m[2] !== undefined && !/\bor\b/.test(condition);
    return floor ? `len(${loader}) // ${k}` : `(len(${loader}) + ${k} - 1) // ${k}`;
  }
  return null;
}

/**
 * A `while` loop counted by a counter: `while it < n:` with `it += 1`, or `while True:` with
 * `if it > n: break` (`>=` likewise) and `it += 1` in its body.
 */
function whileCount(loop: Node, site: Node): Factor | { unknown: string } {
  const line = loop.startPosition.row + 1;
  const body = kids(loop.childForFieldName('body')!);
  const condition = loop.childForFieldName('condition')!;
  const increments = (counter: string) => body.find((s) => s.type === 'expression_statement' && /^([\w.]+)\s*\+=\s*1$/.exec(s.text)?.[1] === counter);
  const stepAt = body.find((s) => s.startIndex <= site.startIndex && site.endIndex <= s.endIndex);
  if (!stepAt) return { unknown: `cannot count the \`while\` loop on line ${line}` };
  if (condition.text !== 'True' && condition.text !== '1') {
    const m = /^([\w.]+)\s*(<=?|!=)\s*(.+)$/.exec(condition.text);
    const inc = m ? increments(m[1]!) : undefined;
    if (!m || !inc) return { unknown: `cannot count the \`while ${condition.text}\` loop on line ${line}` };
    const n = m[2] === '<=' ? `${m[3]} + 1` : m[3]!;
    return { expr: atom(minus(n, m[1]!, loop)), describe: `${m[3]} iterations (line ${line})`, epochs: true };
  }
  for (const s of body) {
    if (s.type !== 'if_statement' || !kids(s.childForFieldName('consequence')!).some((k) => k.type === 'break_statement')) continue;
    const conjuncts = (s.childForFieldName('condition')?.text ?? '').split(/\s+and\s+/);
    for (const c of conjuncts) {
      const m = /^([\w.]+)\s*(>=?)\s*(.+)$/.exec(c.trim());
      const inc = m ? increments(m[1]!) : undefined;
      if (!m || !inc) continue;
      const afterStep = s.startIndex > stepAt.startIndex;
      const incFirst = inc.startIndex < s.startIndex;
      const k = (m[2] === '>' ? 1 : 0) + (afterStep ? (incFirst ? 0 : 1) : incFirst ? -1 : 0);
      const n = k === 0 ? m[3]! : `${m[3]} ${k > 0 ? '+' : '-'} ${Math.abs(k)}`;
      return { expr: atom(minus(n, m[1]!, loop)), describe: `${n} iterations (line ${line})`, epochs: true, bound: s };
    }
  }
  return { unknown: `cannot tell when the \`while True\` loop on line ${line} ends (no \`if <counter> > <limit>: break\`)` };
}

/** n − (the counter's start), or n when the counter starts at a literal 0 before the loop. */
function minus(n: string, counter: string, loop: Node): string {
  const scope = scopeOf(loop);
  const starts = descendants(scope, 'assignment').filter(
    (a) => a.startIndex < loop.startIndex && a.childForFieldName('left')?.text === counter && scopeOf(a).id === scope.id,
  );
  const start = starts[starts.length - 1]?.childForFieldName('right')?.text;
  return start === '0' ? n : `${atom(n)} - ${counter}`;
}

/** `break`s directly in `loop` (not in nested loops) that a count cannot know about, as warnings. */
function earlyBreaks(loop: Node, known: Node | null): string[] {
  const out: string[] = [];
  for (const b of descendants(loop, 'break_statement')) {
    if (ancestor(b, ['for_statement', 'while_statement'])?.id !== loop.id) continue;
    const holder = ancestor(b, ['if_statement']);
    if (known && holder?.id === known.id) continue;
    const condition = holder?.childForFieldName('condition')?.text ?? '';
    // a flag (`if args.dry_run: break`) is a mode of the script, not a count
    if (condition.split(/\s+(?:and|or)\s+/).some((c) => /^(not\s+)?[\w.]+$/.test(c.trim()))) continue;
    out.push(`the loop on line ${loop.startPosition.row + 1} may end early at line ${b.startPosition.row + 1} (\`${condition || 'break'}\`): the schedule assumes it runs to the end`);
  }
  return out;
}

function atom(expr: string): string {
  return /^[\w.]+$/.test(expr) || /^len\([\w.]+\)$/.test(expr) ? expr : `(${expr})`;
}

function unparen(expr: string): string {
  return expr.startsWith('(') && expr.endsWith(')') && balanced(expr.slice(1, -1)) ? expr.slice(1, -1) : expr;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
