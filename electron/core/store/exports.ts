// The export journal (migration 004): exports and their items, as core/export/ writes them. Every
// write that follows a file operation is its own short transaction, committed only once the
// operation is durable; `settle` also moves photo rows with their files (a move), in the same
// transaction as the items' new states, so the journal, the disk and the library agree at each step.
import type { Db } from './db.js';
import { parseJsonColumn } from './json.js';
import type { PhotoLocation, PhotosRepo } from './photos.js';

export type ExportMode = 'copy' | 'move' | 'link' | 'tags';
export type ExportState = 'running' | 'done' | 'undoing' | 'undone';
export type ItemState = 'pending' | 'done' | 'skipped' | 'failed' | 'vanished' | 'undone' | 'kept';

const ITEM_STATES: readonly ItemState[] = ['pending', 'done', 'skipped', 'failed', 'vanished', 'undone', 'kept'];

export interface ExportRow {
  id: number;
  mode: ExportMode;
  /** Null for tags: sidecars go beside the photos. */
  destination: string | null;
  state: ExportState;
  modelId: string | null;
  /** The destination a move adds as a library folder; null when it is one already (or not a move). */
  rootPath: string | null;
  /** The library folder the move added, once added. */
  rootId: number | null;
  /** Folders that did not exist before the export, parents first. */
  newFolders: string[];
  ownerPid: number | null;
  createdAt: number;
  finishedAt: number | null;
  undoneAt: number | null;
}

export interface ExportItemRow {
  exportId: number;
  seq: number;
  photoId: number;
  categories: string[];
  source: string;
  target: string;
  size: number;
  hash: string | null;
  /** How it was done: 'link' or 'copy' (move), 'copy', 'symlink' or 'hardlink' (link), 'sidecar'. */
  method: string | null;
  /** Tags: whether a sidecar was there before (null: not decided yet) and where its bytes were saved. */
  sidecarExisted: boolean | null;
  backup: string | null;
  state: ItemState;
  error: string | null;
}

/** An item of a plan, before the export exists. */
export type NewExportItem = Pick<ExportItemRow, 'photoId' | 'categories' | 'source' | 'target' | 'size' | 'hash' | 'state' | 'error'>;

export interface NewExport {
  mode: ExportMode;
  destination: string | null;
  modelId: string | null;
  rootPath: string | null;
  newFolders: string[];
}

/** What an item operation ended with; `relocate` moves the photo's row with its file. */
export interface ItemOutcome {
  seq: number;
  state: ItemState;
  error: string | null;
  target?: string;
  hash?: string | null;
  method?: string | null;
  relocate?: { photoId: number; to: PhotoLocation };
}

interface RawExport {
  id: number;
  mode: ExportMode;
  destination: string | null;
  state: ExportState;
  model_id: string | null;
  root_path: string | null;
  root_id: number | null;
  new_folders: string;
  owner_pid: number | null;
  created_at: number;
  finished_at: number | null;
  undone_at: number | null;
}

interface RawItem {
  export_id: number;
  seq: number;
  photo_id: number;
  categories: string;
  source: string;
  target: string;
  size: number;
  hash: string | null;
  method: string | null;
  sidecar_existed: number | null;
  backup: string | null;
  state: ItemState;
  error: string | null;
}

const strings = (text: string, where: string): string[] => {
  const value = parseJsonColumn(text, where);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`Corrupt ${where}: expected an array of strings`);
  return value;
};

const toExport = (r: RawExport): ExportRow => ({
  id: r.id,
  mode: r.mode,
  destination: r.destination,
  state: r.state,
  modelId: r.model_id,
  rootPath: r.root_path,
  rootId: r.root_id,
  newFolders: strings(r.new_folders, `exports.new_folders of export ${r.id}`),
  ownerPid: r.owner_pid,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  undoneAt: r.undone_at,
});

const toItem = (r: RawItem): ExportItemRow => ({
  exportId: r.export_id,
  seq: r.seq,
  photoId: r.photo_id,
  categories: strings(r.categories, `export_items.categories of export ${r.export_id} item ${r.seq}`),
  source: r.source,
  target: r.target,
  size: r.size,
  hash: r.hash,
  method: r.method,
  sidecarExisted: r.sidecar_existed === null ? null : r.sidecar_existed === 1,
  backup: r.backup,
  state: r.state,
  error: r.error,
});

type ItemParams = [number, number, number, string, string, string, number, string | null, ItemState, string | null];

export class ExportsRepo {
  private readonly insertExportStmt;
  private readonly insertItemStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly latestUnfinishedStmt;
  private readonly latestNotUndoneStmt;
  private readonly itemsStmt;
  private readonly itemsInStateStmt;
  private readonly countsStmt;
  private readonly stateStmt;
  private readonly ownerStmt;
  private readonly rootIdStmt;
  private readonly targetTakenStmt;
  private readonly retargetStmt;
  private readonly sidecarStmt;
  private readonly outcomeStmt;
  private readonly photosInStmt;
  private readonly createTx;
  private readonly settleTx;
  private readonly sidecarsTx;

  constructor(db: Db, photos: PhotosRepo) {
    this.insertExportStmt = db.prepare<[string, string | null, string | null, string | null, string, number], number>(
      `INSERT INTO exports (mode, destination, state, model_id, root_path, new_folders, created_at)
       VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING id`,
    ).pluck();
    this.insertItemStmt = db.prepare<ItemParams>(
      `INSERT INTO export_items (export_id, seq, photo_id, categories, source, target, size, hash, state, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.getStmt = db.prepare<[number], RawExport>('SELECT * FROM exports WHERE id = ?');
    this.listStmt = db.prepare<[number], RawExport>('SELECT * FROM exports ORDER BY id DESC LIMIT ?');
    this.latestUnfinishedStmt = db.prepare<[], RawExport>("SELECT * FROM exports WHERE state IN ('running', 'undoing') ORDER BY id DESC LIMIT 1");
    this.latestNotUndoneStmt = db.prepare<[], RawExport>("SELECT * FROM exports WHERE state <> 'undone' ORDER BY id DESC LIMIT 1");
    this.itemsStmt = db.prepare<[number], RawItem>('SELECT * FROM export_items WHERE export_id = ? ORDER BY seq');
    this.itemsInStateStmt = db.prepare<[number, ItemState], RawItem>('SELECT * FROM export_items WHERE export_id = ? AND state = ? ORDER BY seq');
    this.countsStmt = db.prepare<[number], { state: ItemState; n: number; bytes: number }>(
      'SELECT state, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM export_items WHERE export_id = ? GROUP BY state',
    );
    this.stateStmt = db.prepare<[ExportState, number | null, number | null, number]>(
      'UPDATE exports SET state = ?, finished_at = coalesce(?, finished_at), undone_at = coalesce(?, undone_at) WHERE id = ?',
    );
    this.ownerStmt = db.prepare<[number | null, number]>('UPDATE exports SET owner_pid = ? WHERE id = ?');
    this.rootIdStmt = db.prepare<[number | null, number]>('UPDATE exports SET root_id = ? WHERE id = ?');
    this.targetTakenStmt = db.prepare<[number, string], number>('SELECT 1 FROM export_items WHERE export_id = ? AND target = ? COLLATE NOCASE').pluck();
    this.retargetStmt = db.prepare<[string, number, number]>('UPDATE export_items SET target = ? WHERE export_id = ? AND seq = ?');
    this.sidecarStmt = db.prepare<[number, string | null, number, number]>(
      'UPDATE export_items SET sidecar_existed = ?, backup = ? WHERE export_id = ? AND seq = ?',
    );
    this.outcomeStmt = db.prepare<[ItemState, string | null, string | null, number, string | null, number, string | null, number, number]>(
      `UPDATE export_items SET state = ?, error = ?, target = coalesce(?, target),
         hash = CASE WHEN ? THEN ? ELSE hash END, method = CASE WHEN ? THEN ? ELSE method END
       WHERE export_id = ? AND seq = ?`,
    );

    this.photosInStmt = db.prepare<[number], number>('SELECT count(*) FROM photos WHERE root_id = ?').pluck();

    this.createTx = db.transaction((e: NewExport, items: readonly NewExportItem[], at: number): number => {
      const id = this.insertExportStmt.get(e.mode, e.destination, e.modelId, e.rootPath, JSON.stringify(e.newFolders), at)!;
      items.forEach((it, seq) => {
        this.insertItemStmt.run(id, seq, it.photoId, JSON.stringify(it.categories), it.source, it.target, it.size, it.hash, it.state, it.error);
      });
      return id;
    });
    this.sidecarsTx = db.transaction((exportId: number, items: readonly Pick<ExportItemRow, 'seq' | 'sidecarExisted' | 'backup'>[]): void => {
      for (const it of items) this.sidecarStmt.run(it.sidecarExisted ? 1 : 0, it.backup, exportId, it.seq);
    });
    this.settleTx = db.transaction((exportId: number, outcomes: readonly ItemOutcome[]): void => {
      for (const o of outcomes) {
        // A photo removed from the library meanwhile (its folder removed) has no row to follow it;
        // a row already at the new path (another process indexed it first) keeps it.
        const moving = o.relocate && photos.getById(o.relocate.photoId) && !photos.getByPath(o.relocate.to.path);
        if (moving) photos.relocate(o.relocate!.photoId, o.relocate!.to);
        this.outcomeStmt.run(
          o.state, o.error, o.target ?? null,
          o.hash !== undefined ? 1 : 0, o.hash ?? null,
          o.method !== undefined ? 1 : 0, o.method ?? null,
          exportId, o.seq,
        );
      }
    });
  }

  /** Writes the export and its whole plan in one transaction; returns the export's id. */
  create(e: NewExport, items: readonly NewExportItem[], at: number = Date.now()): number {
    return this.createTx.immediate(e, items, at);
  }

  get(id: number): ExportRow | undefined {
    const r = this.getStmt.get(id);
    return r && toExport(r);
  }

  /** Newest first. */
  list(limit = 20): ExportRow[] {
    return this.listStmt.all(limit).map(toExport);
  }

  /** The newest export left running or undoing (by a kill, a cancel or a failure), if any. */
  unfinished(): ExportRow | undefined {
    const r = this.latestUnfinishedStmt.get();
    return r && toExport(r);
  }

  /** The newest export that is not undone: what `sort undo` undoes. */
  latestNotUndone(): ExportRow | undefined {
    const r = this.latestNotUndoneStmt.get();
    return r && toExport(r);
  }

  items(exportId: number, state?: ItemState): ExportItemRow[] {
    return (state ? this.itemsInStateStmt.all(exportId, state) : this.itemsStmt.all(exportId)).map(toItem);
  }

  /** Items and their bytes per state. */
  counts(exportId: number): Record<ItemState, { items: number; bytes: number }> {
    const counts = Object.fromEntries(ITEM_STATES.map((s) => [s, { items: 0, bytes: 0 }])) as Record<ItemState, { items: number; bytes: number }>;
    for (const { state, n, bytes } of this.countsStmt.all(exportId)) counts[state] = { items: n, bytes };
    return counts;
  }

  /** Sets the state; `finished` / `undone` stamp the times of those ends. */
  setState(id: number, state: ExportState, at: number = Date.now()): void {
    this.stateStmt.run(state, state === 'done' ? at : null, state === 'undone' ? at : null, id);
  }

  /** The process now running the export or its undo; null when none is. */
  setOwner(id: number, pid: number | null): void {
    this.ownerStmt.run(pid, id);
  }

  setRootId(id: number, rootId: number | null): void {
    this.rootIdStmt.run(rootId, id);
  }

  /** Whether another item of the export already aims at `target`. */
  targetTaken(exportId: number, target: string): boolean {
    return this.targetTakenStmt.get(exportId, target) !== undefined;
  }

  /** A new target for an item whose planned one got taken; journalled before the file is put there. */
  retarget(exportId: number, seq: number, target: string): void {
    this.retargetStmt.run(target, exportId, seq);
  }

  /** Tags: whether each sidecar existed and where its original bytes were saved, before any is written. */
  recordSidecars(exportId: number, items: readonly Pick<ExportItemRow, 'seq' | 'sidecarExisted' | 'backup'>[]): void {
    if (items.length > 0) this.sidecarsTx.immediate(exportId, items);
  }

  /** Photo rows in a library folder, whatever their state: a folder the export added is removed by undo only when none is left. */
  photosIn(rootId: number): number {
    return this.photosInStmt.get(rootId)!;
  }

  /** Commits item outcomes (and the photo rows that follow moved files) in one transaction. */
  settle(exportId: number, outcomes: readonly ItemOutcome[]): void {
    if (outcomes.length > 0) this.settleTx.immediate(exportId, outcomes);
  }
}
