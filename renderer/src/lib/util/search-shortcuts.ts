// The ways to the search field from anywhere in the window: "/" (unless a field has the keys or a
// dialog or menu is open: global-keys.ts) and the Electron menu's Find, Ctrl/Cmd+F, which arrives as FOCUS_SEARCH_EVENT.
import { FOCUS_SEARCH_EVENT } from '../../../../electron/common/bridge-contract.js';
import { isForFieldOrDialog } from './global-keys.js';

/** Calls `focus` on either shortcut; returns the function that stops listening. */
export function listenForSearchShortcuts(focus: () => void): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isForFieldOrDialog(event)) return;
    event.preventDefault();
    focus();
  };
  const onFind = (): void => focus();
  window.addEventListener('keydown', onKey);
  window.addEventListener(FOCUS_SEARCH_EVENT, onFind);
  return () => {
    window.removeEventListener('keydown', onKey);
    window.removeEventListener(FOCUS_SEARCH_EVENT, onFind);
  };
}
