/** Errors a user can cause while generating or inserting a schedule. */

/**
 * A problem with the user's file or choice (the framework does not fit the file's language, no
 * optimizer or fit call to anchor on, …). The message names the file and says what to do;
 * callers show it as is.
 */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';
  /** The file the problem is about, when there is one. */
  readonly fileName: string | undefined;

  constructor(message: string, fileName?: string) {
    super(message);
    this.fileName = fileName;
  }
}
