// Choices the interface remembers between visits (theme, sort order, thumbnail size, info panel),
// in localStorage. Storage can be disabled (private windows, policies): reads then give null, so
// the defaults apply, and writes are dropped, so the choice holds for this page only.

/** The value kept under `key`, or null when there is none or storage cannot be read. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keeps `value` under `key`; null forgets it (the default applies again). */
export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // not remembered; the choice still holds for this page
  }
}
