/**
 * Asks an engine child how a run of an experiment would be cut (its own epochs, the batch size,
 * batches per epoch) without running it: the extension (Train with Schedule…) and the CLI
 * (`lrscope train`) share it. The child is closed afterwards, killed if it lingers.
 */
import { ResponseError } from 'vscode-jsonrpc/lib/common/messages';
import { EngineErrorCode, type DescribeParams, type EngineErrorData, type ExperimentShape } from '../protocol/engine';
import type { EngineLauncher, OutputStream } from './engine-process';

/** Why an experiment could not be described: the user's to fix (`experiment`: bad file, `backend`), or not. */
export class DescribeError extends Error {
  constructor(
    message: string,
    readonly code: 'experiment' | 'backend' | 'internal',
  ) {
    super(message);
    this.name = 'DescribeError';
  }
}

export async function describeExperiment(
  launch: EngineLauncher,
  params: DescribeParams,
  options: { onOutput?: (text: string, stream: OutputStream) => void; killAfterMs: number },
): Promise<ExperimentShape> {
  const child = launch(options.onOutput ?? (() => undefined));
  try {
    const answer = child.describe(params).then(
      (shape) => ({ shape }),
      (error: unknown) => ({ error }),
    );
    const first = await Promise.race([answer, child.closed.then((exit) => ({ exit }))]);
    if ('shape' in first) return first.shape;
    if ('error' in first && first.error instanceof ResponseError) {
      const err = first.error as ResponseError<EngineErrorData>;
      const code = err.code === EngineErrorCode.experiment ? 'experiment' : err.code === EngineErrorCode.backend ? 'backend' : 'internal';
      throw new DescribeError(err.message, code);
    }
    const exit = 'exit' in first ? first.exit : await child.closed;
    throw new DescribeError(`the engine stopped while reading ${params.experimentPath} (exit code ${exit.code}${exit.signal ? `, ${exit.signal}` : ''})`, 'internal');
  } finally {
    child.disconnect();
    const late = setTimeout(() => child.kill(), options.killAfterMs);
    await child.exited;
    clearTimeout(late);
  }
}
