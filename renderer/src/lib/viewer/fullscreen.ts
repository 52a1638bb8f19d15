// Full screen for the viewer, with the page's Fullscreen API in browser mode and in Electron
// alike (Electron grants it to Shoebox's own page only: main/policy.ts, permissionAllowed). The
// whole page goes full screen: the viewer is a modal dialog filling the window, so it fills the
// screen, and the browser's own Esc leaves full screen.

export function fullscreenAvailable(): boolean {
  return document.fullscreenEnabled;
}

export function isFullscreen(): boolean {
  return document.fullscreenElement !== null;
}

/** Enters or leaves full screen; a refusal (no user gesture, a denied permission) leaves things as they are. */
export async function toggleFullscreen(): Promise<void> {
  try {
    if (isFullscreen()) await document.exitFullscreen();
    else await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
  } catch {
    // The window simply stays as it is; there is nothing for the person to do about it.
  }
}

/** Leaves full screen if the page is in it (the viewer closed). */
export function leaveFullscreen(): void {
  if (isFullscreen()) void document.exitFullscreen().catch(() => undefined);
}
