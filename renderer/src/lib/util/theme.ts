// Light / dark / follow the system. The choice is kept in localStorage and applied as
// data-theme on <html>, which sets color-scheme; "system" removes it so the system's scheme applies.
import { readStored, writeStored } from './stored.js';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'shoebox.theme';
export const THEME_ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  const v = readStored(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.dataset['theme'] = choice;
  writeStored(KEY, choice === 'system' ? null : choice);
}
