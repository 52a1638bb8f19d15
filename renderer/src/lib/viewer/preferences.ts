// The viewer's remembered choice: whether the info panel shows ("I"), kept like the theme.
import { readStored, writeStored } from '../util/stored.js';

const INFO_KEY = 'shoebox.viewer.info';

export function storedInfoShown(): boolean {
  return readStored(INFO_KEY) !== 'hidden';
}

export function storeInfoShown(shown: boolean): void {
  writeStored(INFO_KEY, shown ? null : 'hidden');
}
