// Every keyboard shortcut of the interface, by where it works: what the "?" sheet shows. A
// component that adds a key adds it here too (the e2e walkthrough presses the ones it lists).

export interface Shortcut {
  /** The keys, each shown as a key cap ("Shift+→" is one entry: ["Shift", "→"] pressed together). */
  keys: readonly (readonly string[])[];
  does: string;
}

export interface ShortcutGroup {
  where: string;
  shortcuts: readonly Shortcut[];
}

const one = (key: string, does: string): Shortcut => ({ keys: [[key]], does });

export const SHORTCUTS: readonly ShortcutGroup[] = [
  {
    where: 'Anywhere',
    shortcuts: [
      { keys: [['/'], ['Ctrl', 'F']], does: 'Search' },
      one('S', 'Sorting view'),
      one('F', 'Fine-tuning'),
      one('?', 'This list of shortcuts'),
      { keys: [['Alt', '←'], ['Alt', '→']], does: 'Back and forward (or the browser’s buttons)' },
    ],
  },
  {
    where: 'Photos',
    shortcuts: [
      { keys: [['←'], ['→'], ['↑'], ['↓']], does: 'Move between photos' },
      { keys: [['Home'], ['End'], ['PgUp'], ['PgDn']], does: 'First, last, a screen up or down' },
      { keys: [['Enter']], does: 'Open the photo (or a double-click)' },
      { keys: [['Shift', '←'], ['Shift', '→'], ['Shift', '↑'], ['Shift', '↓']], does: 'Select a range (or Shift+click)' },
      { keys: [['Space']], does: 'Select or unselect the photo (or Ctrl+click)' },
      { keys: [['Ctrl', 'A']], does: 'Select all' },
      { keys: [['Esc']], does: 'Clear the selection' },
      { keys: [['Shift', 'F10'], ['Menu']], does: 'Actions on the selection (or a right-click)' },
      { keys: [['+'], ['−']], does: 'Bigger or smaller thumbnails' },
    ],
  },
  {
    where: 'Timeline (the scrubber)',
    shortcuts: [
      { keys: [['↑'], ['↓']], does: 'The month above or below' },
      { keys: [['PgUp'], ['PgDn']], does: 'The year above or below' },
      { keys: [['Home'], ['End']], does: 'The top, the end (undated photos)' },
    ],
  },
  {
    where: 'Viewer',
    shortcuts: [
      { keys: [['←'], ['→']], does: 'Previous and next photo (zoomed in: pan)' },
      { keys: [['+'], ['−']], does: 'Zoom in and out (also the wheel, a pinch)' },
      one('1', '100 % (also a double-click)'),
      one('0', 'Fit the window; again: fill it'),
      { keys: [['↑'], ['↓']], does: 'Pan when zoomed in (also drag)' },
      one('I', 'Show or hide the info panel'),
      one('S', 'Slideshow (Esc stops it)'),
      one('F', 'Full screen'),
      one('C', 'Edit the caption'),
      one('Esc', 'Close'),
    ],
  },
  {
    where: 'Sorting',
    shortcuts: [
      { keys: [['1'], ['…'], ['9']], does: 'Move the selected photos to that category' },
      one('U', 'Move them to Unsorted'),
      one('M', 'Move to… (a menu)'),
      one('Enter', 'Confirm the suggestion'),
      one('O', 'Open the photo'),
      { keys: [['Ctrl', 'A']], does: 'Select all' },
      one('Space', 'Select or unselect'),
    ],
  },
];

/** How a search can be written, for the help shown on demand beside the search field. */
export const QUERY_SYNTAX: readonly { example: string; means: string }[] = [
  { example: 'dog on a beach at sunset', means: 'Describe the photo in words: a scene, objects, colours, a mood' },
  { example: 'beach + sunset', means: 'Both ideas together' },
  { example: 'beach - people', means: 'Less of something: beaches, but not crowded ones' },
  { example: '2:dog + grass', means: 'A weight: the dog counts twice as much as the grass (up to 10)' },
  { example: '"black-and-white" + cat', means: 'Quotes keep + and - as part of the words' },
];
