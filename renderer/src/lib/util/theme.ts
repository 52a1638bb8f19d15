// Light / dark / follow the system. The choice is kept in localStorage and applied as
// data-theme on <html>, which sets color-scheme; "system" removes it so the system's scheme applies.

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'shoebox.theme';
export const THEME_ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system'; // storage can be disabled; the system setting still applies
  }
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.dataset['theme'] = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // not persisted; the choice still holds for this page
  }
}
