// Single-key shortcuts that work anywhere in the window ("S" sorting, "F" fine-tuning, "?" help,
// "/" search, "+"/"-" thumbnail size), except while keys go to a field, where the same key is
// text, or while a dialog, sheet or menu is open, whose keys are its own. The check is on the
// document, not the key's target: a click on the viewer's photo drops the focus to <body>, and the
// viewer's "S" must not also open Sorting.

const FIELD = 'input, textarea, select, [contenteditable="true"]';
const MODAL = 'dialog[open], [role="dialog"], [role="menu"]';

/** Whether `event` is typed in a field. */
export function isInField(event: KeyboardEvent): boolean {
  return event.target instanceof Element && event.target.closest(FIELD) !== null;
}

/** Whether `event` is for a field or an open dialog or menu rather than for the window's shortcuts. */
export function isForFieldOrDialog(event: KeyboardEvent): boolean {
  return isInField(event) || document.querySelector(MODAL) !== null;
}

/** Whether `dialog` is open with nothing (another dialog, a menu) opened over or beside it. */
export function isTopmost(dialog: HTMLDialogElement): boolean {
  if (!dialog.open) return false;
  for (const modal of document.querySelectorAll(MODAL)) if (!dialog.contains(modal)) return false;
  return true;
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
