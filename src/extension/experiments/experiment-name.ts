/** The new experiment's file name and its text from the template (pure). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `my-model` → `my-model.experiment.ts` (a name already ending in .experiment.ts|js|mjs is kept). */
export function experimentFileName(name: string): string {
  const trimmed = name.trim();
  return /\.experiment\.(ts|js|mjs)$/.test(trimmed) ? trimmed : `${trimmed.replace(/\.ts$/, '')}.experiment.ts`;
}

/** Why a name cannot be used in `folder`, or undefined. */
export function invalidName(name: string, folder: string, exists: (path: string) => boolean = existsSync): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'A name, e.g. my-model';
  if (!/^[\w][\w.-]*$/.test(trimmed)) return 'Letters, digits, "-", "_" and "." only (no folders)';
  const file = experimentFileName(trimmed);
  if (!file.endsWith('.ts')) return 'The template is TypeScript: end the name in .experiment.ts, or give no extension';
  if (exists(join(folder, file))) return `${file} already exists in this folder`;
  return undefined;
}

/** The template with the experiment's name (the model's label in plots and run records). */
export function fromTemplate(template: string, name: string): string {
  const label = experimentFileName(name).replace(/\.experiment\.ts$/, '');
  return template.replace(/^  name: '[^']*',$/m, `  name: '${label}',`);
}
