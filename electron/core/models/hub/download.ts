// Downloads a whole Hugging Face repository (one revision) into a model folder:
//
//   downloadHubRepo({ repo, revision?, destDir, stagingDir, include?, onProgress?, signal?, replace?,
//                     endpoint?, token?, env?, retry?, onRetry? }) → { repo, revision, dir, files }
//
// Lists the files, keeps those `include` accepts, downloads each into the staging area (resumable,
// retried, verified: sha256 for LFS files, the git blob sha1 for the others; sha256 recorded for
// all), pins every file to the commit the first answer names (X-Repo-Commit), and renames the
// finished folder into `destDir` only when every file is complete and verified. A failed or
// cancelled download removes its staging folder and leaves `destDir` as it was.
import path from 'node:path';
import { openHubConnection, type HubConnectionOptions } from './connection.js';
import { DownloadCancelledError, HubError, throwIfCancelled } from './errors.js';
import { fetchFile } from './file-download.js';
import { checkRepoId, DEFAULT_REVISION, listRepoFiles, type HubFile } from './hub-client.js';
import { ProgressTracker, type DownloadProgress } from './progress.js';
import { destinationExists, exists, installTree, openStaging } from './staging.js';
import { pathInside } from './verify.js';
import { isInside } from '../../library/roots.js';

export interface HubDownloadOptions extends HubConnectionOptions {
  /** "owner/name", e.g. "immich-app/ViT-B-32__openai". */
  repo: string;
  /** Branch, tag or commit; default 'main'. */
  revision?: string;
  /** The model folder to create. */
  destDir: string;
  /** Where work in progress lives; must be on the destination's file system. */
  stagingDir: string;
  signal?: AbortSignal;
  /** Which listed files to download (e.g. skip `_fp16` variants or README images); default all. */
  include?: (path: string) => boolean;
  onProgress?: (progress: DownloadProgress) => void;
  /** Swap out a model already installed at destDir; without it, an existing destDir is an error. */
  replace?: boolean;
}

export interface DownloadedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface DownloadedRepo {
  repo: string;
  /** The commit downloaded (X-Repo-Commit), or the requested revision when no answer named one. */
  revision: string;
  /** The installed folder. */
  dir: string;
  files: DownloadedFile[];
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A listing where "a" is a file and "a/b" another cannot be written (and is not a real repository);
 * nor can "A" and "a" on the case-insensitive disks of macOS and Windows (one would overwrite the other).
 */
function checkNoClash(files: readonly HubFile[], repo: string): void {
  const paths = new Set(files.map((f) => f.path));
  const folded = new Map<string, string>();
  for (const f of files) {
    const other = folded.get(f.path.toLowerCase());
    if (other !== undefined) throw new HubError(`the file list of ${repo} has ${other} and ${f.path}, which are one file on a case-insensitive disk`, 'protocol');
    folded.set(f.path.toLowerCase(), f.path);
    const segments = f.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (paths.has(dir)) throw new HubError(`the file list of ${repo} has ${dir} both as a file and as the folder of ${f.path}`, 'protocol');
    }
  }
}

export async function downloadHubRepo(options: HubDownloadOptions): Promise<DownloadedRepo> {
  const { repo, signal } = options;
  checkRepoId(repo);
  const requested = options.revision ?? DEFAULT_REVISION;
  const destDir = path.resolve(options.destDir);
  const stagingDir = path.resolve(options.stagingDir);
  const replace = options.replace ?? false;
  const what = `The download of ${repo}`;
  // Replacing the destination moves it aside, so the staging folder must not live inside it. The
  // other way round is fine (a caller may stage the folder it installs from), short of the work folder itself.
  if (isInside(stagingDir, destDir)) throw new HubError(`the staging folder ${stagingDir} must not be inside the destination ${destDir}`, 'invalid');
  throwIfCancelled(signal, what);
  // Refuse before any traffic; installTree checks again at the end.
  if (!replace && (await exists(destDir))) throw destinationExists(destDir);

  const conn = openHubConnection(options);
  try {
    const area = await openStaging(stagingDir, repo, requested);
    try {
      if (isInside(destDir, area.root)) throw new HubError(`the destination ${destDir} must not be inside the work folder ${area.root}`, 'invalid');
      const listed = await listRepoFiles(conn, repo, requested, signal);
      const files = listed.filter((f) => options.include?.(f.path) ?? true);
      if (files.length === 0) {
        throw new HubError(listed.length === 0 ? `${repo} has no files at revision "${requested}"` : `the include filter kept none of the ${listed.length} files of ${repo}`, 'not-found');
      }
      checkNoClash(files, repo);
      const progress = new ProgressTracker(
        files.length,
        files.reduce((sum, f) => sum + f.size, 0),
        options.onProgress,
      );
      let commit = COMMIT.test(requested) ? requested : undefined;
      const done: DownloadedFile[] = [];
      for (const file of files) {
        throwIfCancelled(signal, what);
        const fetched = await fetchFile({
          conn,
          repo,
          revision: commit ?? requested,
          file,
          target: pathInside(area.tree, file.path),
          part: area.partFor(file),
          signal,
          progress,
        });
        // Later files are asked for by commit, so a branch that moves mid-download cannot mix commits.
        if (commit === undefined && fetched.repoCommit !== undefined && COMMIT.test(fetched.repoCommit)) commit = fetched.repoCommit;
        progress.finishFile(file.size);
        done.push({ path: file.path, size: file.size, sha256: fetched.sha256 });
      }
      throwIfCancelled(signal, what);
      await installTree(area, destDir, replace);
      progress.finish();
      return { repo, revision: commit ?? requested, dir: destDir, files: done };
    } catch (err) {
      if (signal?.aborted && !(err instanceof DownloadCancelledError)) throw new DownloadCancelledError(what, signal.reason);
      throw err;
    } finally {
      await area.discard();
    }
  } finally {
    await conn.close();
  }
}
