// The viewer's slideshow: the next photo every few seconds. A zoom or pan pauses it (the person
// is looking at something), stepping by hand starts the wait again, and it ends by itself after
// the last photo. Escape and "S" stop it (Viewer.svelte).

/** Long enough to look at a photo, short enough to keep moving. */
export const SLIDE_MS = 5000;

export class Slideshow {
  running = $state(false);
  paused = $state(false);
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `advance` shows the next photo; it answers false when there is none. */
  constructor(
    private readonly advance: () => boolean,
    private readonly intervalMs = SLIDE_MS,
  ) {}

  start(): void {
    this.running = true;
    this.paused = false;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.paused = false;
    clearTimeout(this.timer);
  }

  toggle(): void {
    if (this.running && !this.paused) this.stop();
    else this.start();
  }

  /** A zoom or pan: the slideshow waits until it is resumed. */
  pause(): void {
    if (!this.running) return;
    this.paused = true;
    clearTimeout(this.timer);
  }

  /** The person stepped to another photo: a full interval on it before the next. */
  restart(): void {
    if (this.running && !this.paused) this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.advance()) this.schedule();
      else this.stop();
    }, this.intervalMs);
  }
}
