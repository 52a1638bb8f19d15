// The message of something thrown, for a log line or an answer: an Error's message, anything else as text.
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
