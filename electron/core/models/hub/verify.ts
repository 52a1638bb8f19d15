// Checks on what a Hub says and sends: listed paths that must stay inside the model folder (a
// hostile mirror must not write elsewhere), and the two checksums the Hub publishes: sha256 for
// LFS files, the git blob sha1 ("blob <size>\0" + content) for small ones. sha256 is computed for
// every file, since the manifest records it for all.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Why `p` is not a safe relative path inside a model folder, or null when it is. */
export function unsafePathReason(p: string): string | null {
  if (p.length === 0) return 'it is empty';
  if (p.length > 1024) return 'it is longer than 1024 characters';
  if (p.includes('\\')) return 'it contains a backslash';
  // A colon is a drive letter or an NTFS alternate data stream on Windows.
  if (p.includes(':')) return 'it contains a colon';
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'it contains a control character';
  if (p.startsWith('/') || path.win32.isAbsolute(p)) return 'it is absolute';
  for (const segment of p.split('/')) {
    if (segment === '') return 'it has an empty segment ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return null;
}

/** The absolute path of a listed (already checked) relative path inside `root`, checked once more after resolving. */
export function pathInside(root: string, relative: string): string {
  const reason = unsafePathReason(relative);
  const full = path.resolve(root, ...relative.split('/'));
  const back = path.relative(root, full);
  if (reason !== null || back === '' || back.startsWith('..') || path.isAbsolute(back)) {
    throw new Error(`"${relative}" would be written outside ${root}${reason ? `: ${reason}` : ''}`);
  }
  return full;
}

export interface Digests {
  sha256: string;
  /** The git blob sha1 of the content, for a file of the announced size; null when not computed (LFS files). */
  gitSha1: string | null;
  size: number;
}

/**
 * sha256 (recorded for every file) and, for files outside LFS, the git-blob sha1 the listing gives
 * for them, over a stream of chunks; the blob header needs the size up front. An LFS file is
 * checked by its sha256 alone, so it is not hashed twice.
 */
export class ContentHasher {
  private readonly sha256: Hash = createHash('sha256');
  private readonly sha1: Hash | null;
  private size = 0;

  constructor(expectedSize: number, withGitSha1: boolean) {
    this.sha1 = withGitSha1 ? createHash('sha1').update(`blob ${expectedSize}\0`) : null;
  }

  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.sha1?.update(chunk);
    this.size += chunk.length;
  }

  get bytes(): number {
    return this.size;
  }

  digest(): Digests {
    return { sha256: this.sha256.digest('hex'), gitSha1: this.sha1 ? this.sha1.digest('hex') : null, size: this.size };
  }
}

/** Feeds a file on disk through `hasher`, streamed (model files are hundreds of MB). */
export async function hashFileInto(file: string, hasher: ContentHasher, signal?: AbortSignal): Promise<void> {
  await pipeline(
    createReadStream(file),
    async function (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) hasher.update(chunk);
    },
    { signal },
  );
}
