// Job rows: what ran, how far it got and how it ended. Written by jobs/runner.ts.
import type { FinalJobState, JobState } from '../../common/job-events.js';
import type { Db } from './db.js';
import { parseJsonColumn, type JsonValue } from './json.js';

export interface JobRow {
  id: number;
  kind: string;
  state: JobState;
  params: unknown;
  done: number;
  total: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
}

interface RawJob {
  id: number;
  kind: string;
  state: JobState;
  params: string;
  done: number;
  total: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
}

const toJob = (r: RawJob): JobRow => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  params: parseJsonColumn(r.params, `jobs.params of job ${r.id}`),
  done: r.done,
  total: r.total,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
});

export class JobsRepo {
  private readonly createStmt;
  private readonly runningStmt;
  private readonly progressStmt;
  private readonly finishStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly interruptStmt;

  constructor(db: Db) {
    this.createStmt = db.prepare<[string, string, number], number>(
      "INSERT INTO jobs (kind, state, params, created_at) VALUES (?, 'queued', ?, ?) RETURNING id",
    ).pluck();
    this.runningStmt = db.prepare<[number, number]>("UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?");
    this.progressStmt = db.prepare<[number, number | null, number]>('UPDATE jobs SET done = ?, total = ? WHERE id = ?');
    this.finishStmt = db.prepare<[FinalJobState, number, string | null, number]>(
      'UPDATE jobs SET state = ?, finished_at = ?, error = ? WHERE id = ?',
    );
    this.getStmt = db.prepare<[number], RawJob>('SELECT * FROM jobs WHERE id = ?');
    this.listStmt = db.prepare<[number], RawJob>('SELECT * FROM jobs ORDER BY id DESC LIMIT ?');
    this.interruptStmt = db.prepare<[number], RawJob>(
      "UPDATE jobs SET state = 'interrupted', finished_at = ? WHERE state IN ('queued', 'running') RETURNING *",
    );
  }

  create(kind: string, params: JsonValue, at: number = Date.now()): number {
    return this.createStmt.get(kind, JSON.stringify(params), at)!;
  }

  markRunning(id: number, at: number = Date.now()): void {
    this.runningStmt.run(at, id);
  }

  saveProgress(id: number, done: number, total: number | null): void {
    this.progressStmt.run(done, total, id);
  }

  finish(id: number, state: FinalJobState, error: string | null, at: number = Date.now()): void {
    this.finishStmt.run(state, at, error, id);
  }

  get(id: number): JobRow | undefined {
    const r = this.getStmt.get(id);
    return r && toJob(r);
  }

  /** Newest first. */
  list(limit = 50): JobRow[] {
    return this.listStmt.all(limit).map(toJob);
  }

  /**
   * Jobs a previous process left queued or running (it was killed or crashed) become
   * 'interrupted'. Call once at start-up, before any job starts. Returns those jobs.
   */
  interruptLeftovers(at: number = Date.now()): JobRow[] {
    return this.interruptStmt.all(at).map(toJob);
  }
}
