// "Only the latest answer counts": each run() aborts the previous one, so a slow answer to an old
// keystroke can never replace the answer to the newest. Combined with a debounce for typing.

export class Latest {
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Runs `task` after `delayMs` of quiet (0: now), cancelling any earlier task. Resolves to null when superseded. */
  run<T>(task: (signal: AbortSignal) => Promise<T>, delayMs = 0): Promise<T | null> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    return new Promise<T | null>((resolve, reject) => {
      const start = () => {
        this.timer = null;
        task(controller.signal).then(
          (value) => resolve(controller.signal.aborted ? null : value),
          (err: unknown) => (controller.signal.aborted ? resolve(null) : reject(err)),
        );
      };
      controller.signal.addEventListener('abort', () => resolve(null), { once: true });
      if (delayMs > 0) this.timer = setTimeout(start, delayMs);
      else start();
    });
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }
}
