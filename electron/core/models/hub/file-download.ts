// One file of a repository into the staging folder, resumable: bytes land in a .part file; a new
// try asks for the rest with `Range: bytes=N-`, appends a 206 answer, and starts over when the
// server answers 200 instead (it ignored the range). The file is hashed as it streams (sha256 and
// the git blob sha1; the bytes already on disk are read back first), checked against the listing,
// and only then renamed to its place in the staging tree.
import { mkdir, open, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { HubConnection } from './connection.js';
import { HubError, throwIfCancelled } from './errors.js';
import type { HubFile } from './hub-client.js';
import { resolveUrl } from './hub-client.js';
import { header, hubGet, networkError, statusError } from './http.js';
import type { ProgressTracker } from './progress.js';
import { Retrier } from './retry.js';
import { ContentHasher, hashFileInto, type Digests } from './verify.js';

export interface FileJob {
  conn: HubConnection;
  repo: string;
  /** The revision to ask for: the commit once one answer has named it, so every file comes from one commit. */
  revision: string;
  file: HubFile;
  /** Where the verified file goes (inside the staging tree). */
  target: string;
  /** Where its bytes collect until then. */
  part: string;
  signal: AbortSignal | undefined;
  progress: ProgressTracker;
}

export interface FetchedFile {
  sha256: string;
  /** X-Repo-Commit of the answer, when a request was made. */
  repoCommit: string | undefined;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Why the content does not match the listing, or null when it does. */
function mismatch(file: HubFile, got: Digests): string | null {
  if (got.size !== file.size) return `size is ${got.size} bytes, the listing says ${file.size}`;
  if (file.lfsSha256 !== undefined) return got.sha256 === file.lfsSha256 ? null : `sha256 is ${got.sha256}, the listing says ${file.lfsSha256}`;
  return got.gitSha1 === file.oid ? null : `git blob sha1 is ${got.gitSha1}, the listing says ${file.oid}`;
}

function parseContentRange(value: string | undefined): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

async function writeAll(out: FileHandle, chunk: Buffer): Promise<void> {
  for (let written = 0; written < chunk.length; ) {
    written += (await out.write(chunk, written, chunk.length - written)).bytesWritten;
  }
}

/** A file left complete by an interrupted earlier attempt, if it still matches the listing. */
async function reuseComplete(job: FileJob): Promise<string | undefined> {
  const size = await sizeOf(job.target);
  if (size === undefined) return undefined;
  if (size === job.file.size) {
    const hasher = new ContentHasher(job.file.size, job.file.lfsSha256 === undefined);
    await hashFileInto(job.target, hasher, job.signal);
    const got = hasher.digest();
    if (mismatch(job.file, got) === null) return got.sha256;
  }
  await unlink(job.target);
  return undefined;
}

/** Downloads (or resumes) one file and verifies it; throws HubError or a cancellation. */
export async function fetchFile(job: FileJob): Promise<FetchedFile> {
  const { conn, repo, file, part, signal, progress } = job;
  const what = `Downloading ${file.path} of ${repo}`;
  progress.startFile(file.path);
  const reused = await reuseComplete(job);
  if (reused !== undefined) {
    progress.fileAt(file.size);
    return { sha256: reused, repoCommit: undefined };
  }
  await mkdir(path.dirname(part), { recursive: true });

  const url = resolveUrl(conn, repo, job.revision, file.path);
  const retrier = new Retrier(conn, signal, what);
  let repoCommit: string | undefined;
  let restartedAfterMismatch = false;
  let hasher = new ContentHasher(file.size, file.lfsSha256 === undefined);
  for (;;) {
    throwIfCancelled(signal, what);
    // What is on disk is the truth; the hasher is rebuilt from it when they disagree (a .part left
    // by a crashed process, or a write that failed).
    let offset = (await sizeOf(part)) ?? 0;
    if (offset > file.size) {
      await unlink(part);
      offset = 0;
    }
    if (hasher.bytes !== offset) {
      hasher = new ContentHasher(file.size, file.lfsSha256 === undefined);
      if (offset > 0) await hashFileInto(part, hasher, signal);
    }
    progress.fileAt(offset);
    // Bytes of the final content that came from disk rather than this try's answer.
    let kept = offset;

    let answered: URL = url;
    let host = url.host;
    if (offset < file.size) {
      try {
        const res = await hubGet(conn, url, offset > 0 ? { range: `bytes=${offset}-` } : {}, signal);
        answered = res.url;
        host = res.url.host;
        repoCommit ??= header(res.first, 'x-repo-commit');
        const linked = header(res.first, 'x-linked-size');
        if (res.status !== 200 && res.status !== 206 && res.status !== 416) throw await statusError(conn, res, { repo, revision: job.revision, file: file.path });
        if (linked !== undefined && Number(linked) !== file.size) {
          await res.body.dump().catch(() => undefined);
          throw new HubError(`${file.path} of ${repo}: ${res.url.host} announces ${linked} bytes (X-Linked-Size), the listing says ${file.size}; nothing was installed`, 'integrity');
        }
        let start = 0;
        if (res.status === 206) {
          const range = parseContentRange(header(res.headers, 'content-range'));
          if (!range || range.start !== offset || (range.total !== undefined && range.total !== file.size)) {
            await res.body.dump().catch(() => undefined);
            await unlink(part).catch(() => undefined);
            throw new HubError(`${host} answered ${file.path} with range "${header(res.headers, 'content-range') ?? ''}" for bytes=${offset}-; starting the file again`, 'protocol', { retryable: true });
          }
          start = offset;
        } else if (res.status === 416) {
          await res.body.dump().catch(() => undefined);
          await unlink(part).catch(() => undefined);
          throw new HubError(`${host} refused the range bytes=${offset}- of ${file.path} (416); starting the file again`, 'protocol', { retryable: true });
        } else {
          // 200: the whole file. After a Range request this means the server ignored it.
          const length = header(res.headers, 'content-length');
          if (length !== undefined && Number(length) !== file.size) {
            await res.body.dump().catch(() => undefined);
            throw new HubError(`${file.path} of ${repo}: ${host} sends ${length} bytes, the listing says ${file.size}; nothing was installed`, 'integrity');
          }
          if (offset > 0) hasher = new ContentHasher(file.size, file.lfsSha256 === undefined);
        }

        kept = start;
        let at = start;
        // Each chunk is hashed while the thread pool writes it (hashing costs ~13 % of a loopback
        // download's time, so it should not wait for the disk). After a failed write the .part and
        // the hasher disagree in size, and the next try rebuilds the hasher from what is on disk.
        const out = await open(part, start > 0 ? 'a' : 'w');
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            if (at + chunk.length > file.size) {
              throw new HubError(`${file.path} of ${repo}: ${host} sends more than the ${file.size} bytes the listing says; nothing was installed`, 'integrity');
            }
            const written = writeAll(out, chunk);
            hasher.update(chunk);
            await written;
            at += chunk.length;
            progress.addReceived(chunk.length);
            progress.fileAt(at);
            retrier.reset(); // bytes moved: this try was not wasted
          }
        } finally {
          await out.close();
        }
        if (at < file.size) throw new HubError(`${host} ended ${file.path} after ${at} of ${file.size} bytes`, 'unreachable', { retryable: true });
      } catch (err) {
        const failure = err instanceof HubError || signal?.aborted ? err : (networkError(err, answered, conn) ?? err);
        await retrier.pause(failure);
        continue;
      }
    }

    if (file.size === 0) await writeFile(part, ''); // nothing to request, but the file must exist
    const got = hasher.digest();
    const problem = mismatch(file, got);
    if (problem !== null) {
      await unlink(part).catch(() => undefined);
      hasher = new ContentHasher(file.size, file.lfsSha256 === undefined);
      // Bytes kept from an earlier attempt may be the bad ones: fetch the whole file once more.
      if (kept > 0 && !restartedAfterMismatch) {
        restartedAfterMismatch = true;
        continue;
      }
      throw new HubError(`${file.path} of ${repo} is corrupt: its ${problem}; nothing was installed`, 'integrity');
    }
    await mkdir(path.dirname(job.target), { recursive: true });
    await rename(part, job.target);
    return { sha256: got.sha256, repoCommit };
  }
}
