// The viewer's keys and what they do, kept apart from the component so the map reads at a glance:
// ←/→ step (or pan while zoomed in), ↑/↓ pan, + − 0 1 zoom, "C" caption, "I" info panel,
// "S" slideshow, "F" full screen, Esc stops a running slideshow (else the dialog closes itself).
// The toolbar (components/viewer/ViewerToolbar.svelte) runs the same commands.

/** What the viewer can be told to do, by a key or a toolbar button. */
export interface ViewerCommands {
  /** Puts the focus in the caption field; absent when no caption is shown. */
  editCaption?: () => void;
  toggleInfo: () => void;
  toggleSlideshow: () => void;
  toggleFullscreen: () => void;
  zoomIn: () => void;
  zoomOut: () => void;
  /** Fits the window; again: fills it. */
  fit: () => void;
  actualSize: () => void;
  /** Pans by fractions of the stage; false when there is nothing to pan (the photo fits). */
  pan: (dx: number, dy: number) => boolean;
  /** The previous (-1) or next (+1) photo, by hand. */
  step: (delta: -1 | 1) => void;
  /** What the first Esc does (stop the slideshow); absent when Esc closes the viewer. */
  escape?: () => void;
}

/** Of the stage, per arrow press. */
const PAN = 0.1;

/** The command for `event`'s key, or null when the key is not the viewer's (with Ctrl, Cmd or Alt, or another key). */
export function commandFor(event: KeyboardEvent, c: ViewerCommands): (() => void) | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const map: Record<string, (() => void) | undefined> = {
    c: c.editCaption,
    i: c.toggleInfo,
    s: c.toggleSlideshow,
    f: c.toggleFullscreen,
    '+': c.zoomIn,
    '=': c.zoomIn,
    '-': c.zoomOut,
    '0': c.fit,
    '1': c.actualSize,
    ArrowRight: () => void (c.pan(PAN, 0) || c.step(1)),
    ArrowLeft: () => void (c.pan(-PAN, 0) || c.step(-1)),
    ArrowUp: () => void c.pan(0, -PAN),
    ArrowDown: () => void c.pan(0, PAN),
    Escape: c.escape,
  };
  return (Object.hasOwn(map, key) ? map[key] : undefined) ?? null;
}
