// Where an index job's time goes: when each milestone was reached (seconds from the job's start)
// and how long each stage of the pipeline was busy or waiting. Cheap enough to keep on: a few
// performance.now() calls per photo. Reported in the job's summary (`shoebox index --json`) and
// read by the benchmarks (docs/BENCHMARKS.md, "Where an index job's time goes").

export interface IndexTimings {
  /** Seconds from this process's start to the job's start (a command's own start-up). */
  jobStartedAfter: number;
  /** Seconds ONNX Runtime took to open the image tower, in its worker (0 when it was already open). */
  towerLoad: number;
  /** The image tower was loaded and ready (null when nothing needed encoding). */
  modelReady: number | null;
  /** The folders were scanned: the photos to index are known. */
  scanned: number | null;
  /** The first photo was decoded, and the first batch was encoded. */
  firstDecoded: number | null;
  firstEncoded: number | null;
  /** The last photo was committed to the library. */
  lastCommitted: number | null;
  /** Busy seconds summed over the decoders: read, hash, decode, thumbnail and model tensor. */
  decodeBusy: number;
  /** Seconds the decoders (summed) waited for room: the encoder was the slower stage. */
  decodersBlocked: number;
  /** Seconds with at least one batch in the image tower (wall clock). */
  encodeBusy: number;
  /** Seconds with no batch in the image tower while photos were still to come. */
  encoderIdle: number;
  /** Seconds spent writing thumbnails and committing rows (off the encoder's path). */
  commitBusy: number;
  batches: number;
}

export class IndexClock {
  private readonly start = performance.now();
  readonly timings: IndexTimings = {
    jobStartedAfter: round(this.start / 1000),
    towerLoad: 0,
    modelReady: null,
    scanned: null,
    firstDecoded: null,
    firstEncoded: null,
    lastCommitted: null,
    decodeBusy: 0,
    decodersBlocked: 0,
    encodeBusy: 0,
    encoderIdle: 0,
    commitBusy: 0,
    batches: 0,
  };

  /** Seconds since the job started. */
  now(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** Records a milestone once (the first time it is reached). */
  reach(milestone: 'modelReady' | 'scanned' | 'firstDecoded' | 'firstEncoded'): void {
    this.timings[milestone] ??= round(this.now());
  }

  /** Records the last commit (every time; the last call wins). */
  committed(): void {
    this.timings.lastCommitted = round(this.now());
  }

  /** The tower's load time, as the inference client measured it. */
  towerLoaded(seconds: number): void {
    this.timings.towerLoad = round(seconds);
  }

  /** Adds seconds to a stage's total. */
  add(stage: 'decodeBusy' | 'decodersBlocked' | 'encodeBusy' | 'encoderIdle' | 'commitBusy', seconds: number): void {
    this.timings[stage] += seconds;
  }

  /** The figures, rounded to milliseconds. */
  report(): IndexTimings {
    const t = this.timings;
    return {
      ...t,
      decodeBusy: round(t.decodeBusy),
      decodersBlocked: round(t.decodersBlocked),
      encodeBusy: round(t.encodeBusy),
      encoderIdle: round(t.encoderIdle),
      commitBusy: round(t.commitBusy),
    };
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
