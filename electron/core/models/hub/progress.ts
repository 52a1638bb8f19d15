// Download progress for a progress bar: bytes and files done, a smoothed speed and time left
// (jobs/rate.ts, measured on bytes that came over the network, so files reused from an earlier
// attempt do not inflate it). Reported at most every 100 ms while bytes flow, and always when a
// file starts or ends, never per chunk.
import { RateMeter } from '../../jobs/rate.js';

export interface DownloadProgress {
  bytesDone: number;
  bytesTotal: number;
  /** Smoothed; null until a first interval has been measured. */
  bytesPerSecond: number | null;
  /** Null until the speed is known. */
  etaSeconds: number | null;
  /** The file being downloaded or checked; null before the first and after the last. */
  currentFile: string | null;
  filesDone: number;
  filesTotal: number;
}

const INTERVAL_MS = 100;

export class ProgressTracker {
  private readonly meter: RateMeter;
  private finishedBytes = 0;
  private fileBytes = 0;
  private received = 0;
  private filesDone = 0;
  private currentFile: string | null = null;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly onProgress: ((p: DownloadProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.meter = new RateMeter(now());
  }

  startFile(path: string): void {
    this.currentFile = path;
    this.fileBytes = 0;
    this.report(true);
  }

  /** Bytes of the current file on disk so far (may go down when a file restarts from zero). */
  fileAt(bytes: number): void {
    this.fileBytes = bytes;
    this.report(false);
  }

  /** Bytes that came over the network, for the speed. */
  addReceived(bytes: number): void {
    this.received += bytes;
  }

  finishFile(size: number): void {
    this.finishedBytes += size;
    this.fileBytes = 0;
    this.filesDone++;
    this.report(true);
  }

  /** The last report: everything done, no current file. */
  finish(): void {
    this.currentFile = null;
    this.report(true);
  }

  private report(force: boolean): void {
    if (!this.onProgress) return;
    const at = this.now();
    if (!force && at - this.lastReport < INTERVAL_MS) return;
    this.lastReport = at;
    this.meter.sample(at, this.received);
    const bytesDone = this.finishedBytes + this.fileBytes;
    this.onProgress({
      bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: this.meter.rate,
      etaSeconds: this.meter.eta(bytesDone, this.bytesTotal),
      currentFile: this.currentFile,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
    });
  }
}
