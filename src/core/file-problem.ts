/**
 * What a failed file operation means for the user: the errno code of a Node fs error turned into
 * words and what to do, naming the path. Pure (it reads only the error object).
 */

/** One sentence: what is wrong with `path` and how to fix it; unknown errors keep their own message. */
export function fileProblem(err: unknown, path: string): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT':
      return `no such file or folder: ${path} (check the path)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${path} (choose a folder you may write to, or fix its permissions)`;
    case 'EROFS':
      return `${path} is on a read-only file system (choose a writable folder)`;
    case 'EISDIR':
      return `${path} is a folder, not a file (give a file)`;
    case 'ENOTDIR':
      return `a part of ${path} is a file, not a folder (give a folder path)`;
    case 'ENOSPC':
      return `no space left on the device holding ${path} (free some space)`;
    case 'EEXIST':
      return `${path} already exists and is not a folder`;
    case 'ENAMETOOLONG':
      return `the path ${path} is too long`;
    case 'ELOOP':
      return `${path} is a symbolic link loop`;
    default:
      return `${path}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
