// Types of scripts/vsix-check.mjs (a plain Node script, run before any build) for the TypeScript tests.
export interface VsixLimits {
  vsixBytes: number;
  extensionJsBytes: number;
}
export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  data(): Buffer;
}
export const LIMITS: VsixLimits;
export function readZip(path: string): { bytes: number; entries: ZipEntry[] };
export function nativeKind(name: string, bytes: Buffer): string | null;
export function checkVsix(path: string, limits?: VsixLimits): { problems: string[]; figures: string[]; entries: string[] };
