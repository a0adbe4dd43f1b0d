/** `lrscope snippet`: the schedule as code for a framework, or planted into the user's file. */
import { chmod, chown, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FRAMEWORKS, applyEdits, createCodegen, type Framework } from '../../codegen/index';
import { SpecError, validateSpec } from '../../core/schedules/index';
import { parseJsonInput, readInput } from '../input';
import { UsageError, parseVerbArgs, type Verb } from '../verb';

const help = `Usage: lrscope snippet --spec <spec.json | -> [--framework F] [--into FILE [--write]]

Writes the code that trains with a schedule spec, reproducing its sequence exactly (native
scheduler classes only where they are exactly equal, else the exact formula).

Options:
  --spec FILE        the schedule spec (docs/schedules.md); - reads standard input
  --framework F      one of ${FRAMEWORKS.join(', ')}; with --into, defaults to the file's own
                     framework (from its imports)
  --into FILE        plan the real change to FILE (scheduler after the optimizer, step() in the
                     batch loop, import once, …) and print the whole transformed file
  --write            with --into: write the transformed file in place (atomically, keeping its
                     mode); the changes made are listed on stderr, and warnings (what to check
                     or edit) as \`warning:\` lines

The written file trains under the spec over its own number of optimizer steps: existing
schedulers (torch, Hugging Face, timm) and hand-written LR updates are replaced, one
scheduler.step() follows every optimizer step (scaler.step too, in any function or method),
and the length is read from the loops. A file that cannot be made so is refused (exit 2)
with what to change. See docs/schedules.md, "Insertion".
  -h, --help         this text

Examples:
  lrscope snippet --framework pytorch --spec onecycle.json
  lrscope snippet --spec onecycle.json --into train.py --write`;

export const snippetVerb: Verb = {
  name: 'snippet',
  summary: 'print the schedule as code for a framework, or insert it into a training script',
  help,
  async run(argv, io) {
    const { values, positionals } = parseVerbArgs('snippet', argv, {
      spec: { type: 'string' },
      framework: { type: 'string' },
      into: { type: 'string' },
      write: { type: 'boolean', default: false },
    });
    if (positionals.length > 0) throw new UsageError(`lrscope snippet: unexpected argument '${positionals[0]}'. See 'lrscope snippet --help'.`);
    if (values.spec === undefined) throw new UsageError(`lrscope snippet: --spec is required (a schedule spec JSON file, or - for stdin)`);
    if (values.write && values.into === undefined) throw new UsageError(`lrscope snippet: --write needs --into FILE`);
    const framework = values.framework as Framework | undefined;
    if (framework !== undefined && !FRAMEWORKS.includes(framework)) {
      throw new UsageError(`lrscope snippet: --framework must be one of ${FRAMEWORKS.join(', ')}, got '${values.framework}'`);
    }
    if (framework === undefined && values.into === undefined) {
      throw new UsageError(`lrscope snippet: --framework is required without --into (one of ${FRAMEWORKS.join(', ')})`);
    }
    const specInput = await readInput('snippet', values.spec, io);
    let spec;
    try {
      spec = validateSpec(parseJsonInput('snippet', specInput.text, specInput.name));
    } catch (err) {
      if (err instanceof SpecError) throw new UsageError(`lrscope snippet: ${specInput.name}: ${err.message}`);
      throw err;
    }
    const codegen = await createCodegen();
    if (values.into === undefined) {
      io.stdout.write(codegen.snippet(spec, framework as Framework).code.replace(/\n?$/, '\n'));
      return 0;
    }
    const target = await readInput('snippet', values.into, io);
    const source = { text: target.text, fileName: target.name };
    const chosen = framework ?? codegen.frameworkOf(source);
    if (chosen === null) {
      throw new UsageError(`lrscope snippet: cannot tell which framework ${target.name} uses; pass --framework (one of ${FRAMEWORKS.join(', ')})`);
    }
    const outcome = codegen.plan(spec, chosen, source);
    if (!outcome.ok) throw new UsageError(`lrscope snippet: ${outcome.problem.message}`);
    const { plan } = outcome;
    const next = applyEdits(target.text, plan.edits);
    for (const line of plan.summary) io.stderr.write(`${plan.updatesExisting ? 'update' : 'change'}: ${line}\n`);
    for (const line of plan.warnings ?? []) io.stderr.write(`warning: ${line}\n`);
    if (values.write) {
      const full = resolve(io.cwd, values.into);
      await writeInPlace(full, next);
      io.stderr.write(`wrote ${values.into}\n`);
    } else {
      io.stdout.write(next);
    }
    return 0;
  },
};

/** Replaces `path` atomically (a temporary file beside it, then rename), keeping its mode and, when allowed, its owner. */
async function writeInPlace(path: string, text: string): Promise<void> {
  const before = await stat(path);
  const tmp = join(dirname(path), `.${basename(path)}.lrscope-${process.pid}.tmp`);
  await writeFile(tmp, text, { encoding: 'utf8', mode: before.mode & 0o7777 });
  await chmod(tmp, before.mode & 0o7777);
  try {
    await chown(tmp, before.uid, before.gid);
  } catch {
    // not ours to give away (not root): the file keeps our ownership, as any editor's save would
  }
  await rename(tmp, path);
}
