/** What every `lrscope` verb provides. Each verb lives in `verbs/<name>.ts`. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Verb {
  name: string;
  /** One line for `lrscope --help`. */
  summary: string;
  /** The full `lrscope <verb> --help` text. */
  help: string;
  /** Returns the process exit code. Throw `UsageError` for bad input (exit 2). */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** Bad input the user can fix: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` in strict mode, with its errors turned into one clear UsageError. */
export function parseVerbArgs<O extends Options>(verb: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`lrscope ${verb}: ${message.replace(/\. To specify a positional.*$/s, '')} (see 'lrscope ${verb} --help')`);
  }
}

/** Parses a number option, naming the option when it is not a finite number. */
export function numberOption(verb: string, name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`lrscope ${verb}: --${name} must be a number, got '${value}'`);
  }
  return n;
}
