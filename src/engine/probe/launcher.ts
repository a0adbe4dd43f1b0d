/**
 * A launcher command line (`--launcher "torchrun --standalone --nproc-per-node 2"`, or the
 * `lrScope.python.launcher` setting): split into words as a POSIX shell would (quotes and
 * backslashes; no expansions), without running a shell. LR Scope appends
 * `-m lrscope_probe … -- train.py args`, so any launcher that takes `-m MODULE` and sets torchrun's
 * environment contract (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) works.
 */
import { ProbeError } from './errors';

/** The words of `text`; throws a `ProbeError` (kind `options`) for an empty line or an unclosed quote. */
export function parseLauncher(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ProbeError(`launcher "${text}": unclosed ${quote} quote`, 'options');
  if (inWord) words.push(word);
  if (words.length === 0) throw new ProbeError('launcher: empty command; give one such as "torchrun --standalone --nproc-per-node 2"', 'options');
  const script = /\.py$/i.test(words.at(-1)!) ? words.at(-1) : undefined;
  if (script !== undefined) {
    throw new ProbeError(
      `launcher "${text}": give the launcher and its own options only (e.g. "torchrun --standalone --nproc-per-node 2"); ` +
        `LR Scope appends "-m lrscope_probe … -- ${script} args" itself`,
      'options',
    );
  }
  return words;
}
