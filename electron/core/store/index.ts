// The library store: one database connection and its repositories.
import { AdapterVersionsRepo } from './adapter-versions.js';
import { CaptionsRepo } from './captions.js';
import { CategoriesRepo } from './categories.js';
import { openDatabase, type Db } from './db.js';
import { EmbeddingsRepo } from './embeddings.js';
import { ErrorsRepo } from './errors.js';
import { ExportsRepo } from './exports.js';
import { JobsRepo } from './jobs.js';
import { PhotoQueries } from './photo-queries.js';
import { PhotoStatsRepo } from './photo-stats.js';
import { PhotosRepo } from './photos.js';
import { RootsRepo } from './roots.js';
import { SettingsRepo } from './settings.js';
import { SortCorrectionsRepo } from './sort-corrections.js';
import { TextEmbeddingsRepo } from './text-embeddings.js';

export interface Store {
  db: Db;
  roots: RootsRepo;
  photos: PhotosRepo;
  /** Read-only views for the UI: grid pages, search-hit summaries, filter id sets. */
  photoQueries: PhotoQueries;
  photoStats: PhotoStatsRepo;
  embeddings: EmbeddingsRepo;
  errors: ErrorsRepo;
  jobs: JobsRepo;
  settings: SettingsRepo;
  categories: CategoriesRepo;
  corrections: SortCorrectionsRepo;
  textEmbeddings: TextEmbeddingsRepo;
  /** The export journal (core/export/). */
  exports: ExportsRepo;
  /** Photo captions (migration 5; core/captions/). */
  captions: CaptionsRepo;
  /** Fine-tuned adapter versions (migration 5; core/finetune/). */
  adapterVersions: AdapterVersionsRepo;
  close(): void;
}

export function createStore(db: Db): Store {
  const embeddings = new EmbeddingsRepo(db);
  const errors = new ErrorsRepo(db);
  const photos = new PhotosRepo(db, embeddings, errors);
  return {
    db,
    roots: new RootsRepo(db),
    photos,
    photoQueries: new PhotoQueries(db),
    photoStats: new PhotoStatsRepo(db),
    embeddings,
    errors,
    jobs: new JobsRepo(db),
    settings: new SettingsRepo(db),
    categories: new CategoriesRepo(db),
    corrections: new SortCorrectionsRepo(db),
    textEmbeddings: new TextEmbeddingsRepo(db),
    exports: new ExportsRepo(db, photos),
    captions: new CaptionsRepo(db),
    adapterVersions: new AdapterVersionsRepo(db),
    close: () => {
      if (!db.open) return;
      db.pragma('optimize');
      db.close();
    },
  };
}

/** Opens (creating and migrating as needed) the database file and returns its repositories. */
export function openStore(file: string): Store {
  return createStore(openDatabase(file));
}
