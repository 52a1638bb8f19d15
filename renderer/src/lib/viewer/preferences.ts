// The viewer's remembered choice: whether the info panel shows ("I"). Kept in localStorage like
// the theme; storage can be disabled, and then the choice holds for this page only.

const INFO_KEY = 'shoebox.viewer.info';

export function storedInfoShown(): boolean {
  try {
    return localStorage.getItem(INFO_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

export function storeInfoShown(shown: boolean): void {
  try {
    if (shown) localStorage.removeItem(INFO_KEY);
    else localStorage.setItem(INFO_KEY, 'hidden');
  } catch {
    // not persisted; the choice still holds for this page
  }
}
