/** Reading the CLI's input files: `-` means standard input; errors name the file. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileProblem } from '../core/file-problem';
import { UsageError, type CliIO } from './verb';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Text without the UTF-8 byte order mark some editors put first. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads `path` (relative to the CLI's cwd) or stdin for `-`, without a leading byte order mark;
 * a file that cannot be read (missing, a folder, no permission …) is a UsageError naming it.
 */
export async function readInput(verb: string, path: string, io: CliIO): Promise<{ text: string; name: string }> {
  if (path === '-') return { text: withoutBom(await readStdin(io.stdin)), name: '<stdin>' };
  const full = resolve(io.cwd, path);
  try {
    return { text: withoutBom(await readFile(full, 'utf8')), name: path };
  } catch (err) {
    throw new UsageError(`lrscope ${verb}: cannot read ${path}: ${fileProblem(err, path)}`);
  }
}

/** Parses JSON text, naming the file and the position of a syntax error. */
export function parseJsonInput(verb: string, text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`lrscope ${verb}: ${name} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
