// Smoothed throughput (items per second) and time remaining for a progress bar.
// An exponential moving average over time: each new measurement weighs 1 − e^(−Δt/τ), so the
// estimate follows real changes within a few τ without jumping on every slow item.

const TAU_MS = 5000;
/** Shorter intervals are merged into the next sample: too noisy to measure a rate from. */
const MIN_INTERVAL_MS = 250;

export class RateMeter {
  private lastAt: number;
  private lastDone: number;
  private smoothed: number | null = null;

  constructor(startAt: number, startDone = 0) {
    this.lastAt = startAt;
    this.lastDone = startDone;
  }

  sample(at: number, done: number): void {
    const dt = at - this.lastAt;
    if (dt < MIN_INTERVAL_MS) return;
    const instant = ((done - this.lastDone) * 1000) / dt;
    this.smoothed = this.smoothed === null ? instant : this.smoothed + (1 - Math.exp(-dt / TAU_MS)) * (instant - this.smoothed);
    this.lastAt = at;
    this.lastDone = done;
  }

  /** Items per second, null until a first interval has been measured. */
  get rate(): number | null {
    return this.smoothed;
  }

  /** Seconds left at the current rate; null when the total or the rate is unknown. */
  eta(done: number, total: number | null): number | null {
    if (total === null || this.smoothed === null || this.smoothed <= 0) return null;
    return Math.max(0, total - done) / this.smoothed;
  }
}
