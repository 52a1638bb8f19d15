// What the interface's pop-up menus (a photo's context menu, Move to…) share: the keys of a
// role="menu" (arrows, Home, End move between its items; Escape and Tab close it) and closing it
// when a pointer goes down outside it.

/** The menu's items, in order. */
export function menuItems(menu: HTMLElement | undefined): HTMLButtonElement[] {
  return [...(menu?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];
}

/** Handles a menu's own keys; returns whether `event` was one of them. */
export function handleMenuKey(event: KeyboardEvent, menu: HTMLElement | undefined, onclose: () => void): boolean {
  if (event.key === 'Escape' || event.key === 'Tab') {
    event.preventDefault();
    onclose();
    return true;
  }
  const all = menuItems(menu);
  const at = all.indexOf(document.activeElement as HTMLButtonElement);
  const next = { ArrowDown: (at + 1) % all.length, ArrowUp: (at - 1 + all.length) % all.length, Home: 0, End: all.length - 1 }[event.key];
  if (next === undefined) return false;
  event.preventDefault();
  all[next]?.focus();
  return true;
}

/** Calls `onclose` when a pointer goes down outside `menu`; returns the function that stops listening. */
export function closeOnPointerOutside(menu: HTMLElement | undefined, onclose: () => void): () => void {
  const outside = (event: PointerEvent): void => {
    if (menu && event.target instanceof Node && !menu.contains(event.target)) onclose();
  };
  document.addEventListener('pointerdown', outside, true);
  return () => document.removeEventListener('pointerdown', outside, true);
}
