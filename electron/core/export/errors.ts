// The two ways an export or an undo is turned down before anything is written; the API maps them
// to its error codes, and each message says what to do.

/** A request that cannot be done as asked (a bad destination, nothing to export). */
export class ExportRefused extends Error {
  override name = 'ExportRefused';
}

/** A request that must wait: something else has to finish first (`conflict`), or there is nothing to act on (`not-found`). */
export class ExportBlocked extends Error {
  override name = 'ExportBlocked';
  constructor(
    readonly kind: 'conflict' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}
