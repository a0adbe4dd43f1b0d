/** The `lrscope` command: dispatches to the verbs in `verbs/`. */
import { UsageError, type CliIO, type Verb } from './verb';
import { verbs } from './verbs/index';

function topHelp(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    'lrscope — find a good learning rate (LR range test) and apply a one-cycle or cyclical schedule.',
    '',
    'Usage: lrscope <verb> [options]        lrscope <verb> --help for details',
    '',
    'Verbs:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Exit codes: 0 success, 1 the run failed or crashed, 2 bad input, 130 stopped with Ctrl-C (143 SIGTERM,',
    '129 SIGHUP; the partial run is saved).',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${process.env.LRSCOPE_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const verb: Verb | undefined = verbs.find((v) => v.name === name);
  if (!verb) {
    io.stderr.write(`lrscope: unknown verb '${name}'. Verbs: ${verbs.map((v) => v.name).join(', ')}. See 'lrscope --help'.\n`);
    return 2;
  }
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest; // after --: the script's arguments
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout.write(verb.help.trimEnd() + '\n');
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(err.message + '\n');
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`lrscope ${name}: ${message}\n`);
    return 1;
  }
}
