// Single-key shortcuts that work anywhere in the window ("S" sorting, "F" fine-tuning, "?" help),
// except while keys go to a field or a dialog is open, where the same key is text or the dialog's own.

/** Whether `event` is for a field or an open dialog rather than for the window's shortcuts. */
export function isForFieldOrDialog(event: KeyboardEvent): boolean {
  return event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable="true"], dialog') !== null;
}

/** Calls `action` when one of `keys` is pressed alone (no Ctrl, Cmd, Alt, not held down); returns the function that stops listening. */
export function listenForKey(keys: readonly string[], action: () => void): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || !keys.includes(event.key) || isForFieldOrDialog(event)) return;
    event.preventDefault();
    action();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
