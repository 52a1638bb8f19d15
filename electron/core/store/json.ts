// The JSON value type for columns that hold JSON text (job params, settings values).
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Parses a JSON column, naming the table and key when the stored text is corrupt. */
export function parseJsonColumn(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`Corrupt JSON in ${where}: ${(err as Error).message}`);
  }
}
