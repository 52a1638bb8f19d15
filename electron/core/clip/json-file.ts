// Reading a JSON file of a model folder against a schema, with errors that name the file and the
// field: one place for the messages every config, record and tokenizer file shares.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** The parsed file, or null when it is missing and `optional`. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string, optional: true): Promise<T | null>;
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string, optional?: false): Promise<T>;
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string, optional = false): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return null;
    throw new Error(code === 'ENOENT' ? `${file} is missing: every model folder needs its ${what}` : `Cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${file} is not a valid ${what}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}
