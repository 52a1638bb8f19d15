// The Hub's read-only API as the downloader uses it: validated repository ids, the tree listing
// (`GET /api/models/{repo}/tree/{revision}?recursive=true`, paginated through `Link: rel="next"`),
// and the URL of a file (`/{repo}/resolve/{revision}/{path}`). listHubFiles is also what a UI calls
// to show what a download will weigh before starting it.
import { z } from 'zod';
import { openHubConnection, type HubConnection, type HubConnectionOptions } from './connection.js';
import { HubError, throwIfCancelled } from './errors.js';
import { header, hubGet, statusError } from './http.js';
import { Retrier } from './retry.js';
import { unsafePathReason } from './verify.js';

/** A file of a repository at one revision. */
export interface HubFile {
  /** Relative, '/'-separated, checked to stay inside the folder it is downloaded into. */
  path: string;
  size: number;
  /** The git blob sha1 (for an LFS file, of its pointer). */
  oid: string;
  /** sha256 of the content, for LFS files (the Hub publishes no sha256 for small files). */
  lfsSha256?: string;
}

export interface HubListOptions extends HubConnectionOptions {
  repo: string;
  /** Branch, tag or commit; default 'main'. */
  revision?: string;
  signal?: AbortSignal;
}

export const DEFAULT_REVISION = 'main';
const MAX_PAGES = 1000;

// The Hub's own rule (huggingface_hub's validate_repo_id): [namespace/]name of word characters,
// '-' and '.', no '--' or '..'. Checked before it becomes part of a URL.
const REPO_ID = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;

export function checkRepoId(repo: string): void {
  if (!REPO_ID.test(repo) || repo.includes('--') || repo.includes('..') || repo.endsWith('.git')) {
    throw new HubError(`"${repo}" is not a Hugging Face repository id (expected "owner/name", e.g. "immich-app/ViT-B-32__openai")`, 'invalid');
  }
}

/** A revision is one URL segment: "refs/pr/1" travels as "refs%2Fpr%2F1", as the Hub expects. */
function revisionSegment(revision: string): string {
  if (revision.length === 0 || revision.length > 256) throw new HubError(`revision "${revision}" must be 1 to 256 characters`, 'invalid');
  return encodeURIComponent(revision);
}

export function treeUrl(conn: HubConnection, repo: string, revision: string): URL {
  return new URL(`${conn.endpoint}/api/models/${repo}/tree/${revisionSegment(revision)}?recursive=true`);
}

export function resolveUrl(conn: HubConnection, repo: string, revision: string, file: string): URL {
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return new URL(`${conn.endpoint}/${repo}/resolve/${revisionSegment(revision)}/${encoded}`);
}

const LfsSchema = z.looseObject({ oid: z.string(), size: z.number().int().nonnegative() });
const EntrySchema = z.looseObject({
  type: z.string(),
  path: z.string(),
  oid: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  lfs: LfsSchema.nullish(),
});
const PageSchema = z.array(EntrySchema);

function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?next"?/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

function toHubFile(entry: z.infer<typeof EntrySchema>, where: string): HubFile {
  const reason = unsafePathReason(entry.path);
  if (reason !== null) {
    throw new HubError(`${where} lists the path ${JSON.stringify(entry.path)}, which would leave the model folder (${reason}); refusing to download`, 'unsafe-path');
  }
  if (entry.size === undefined || !/^[0-9a-f]{40}$/.test(entry.oid ?? '')) {
    throw new HubError(`${where} lists ${entry.path} without a size and a 40-digit git oid`, 'protocol');
  }
  const file: HubFile = { path: entry.path, size: entry.size, oid: entry.oid as string };
  if (entry.lfs) {
    const sha256 = entry.lfs.oid.replace(/^sha256:/, '');
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new HubError(`${where} lists ${entry.path} with an LFS oid that is not a sha256: ${entry.lfs.oid}`, 'protocol');
    if (entry.lfs.size !== entry.size) throw new HubError(`${where} lists ${entry.path} with size ${entry.size} but LFS size ${entry.lfs.size}`, 'protocol');
    file.lfsSha256 = sha256;
  }
  return file;
}

/** Every file of `repo` at `revision`, following pagination; directories are left out. */
export async function listRepoFiles(conn: HubConnection, repo: string, revision: string, signal?: AbortSignal): Promise<HubFile[]> {
  checkRepoId(repo);
  const what = `Listing ${repo}`;
  const files: HubFile[] = [];
  const seen = new Set<string>();
  const visited = new Set<string>();
  let url: URL | undefined = treeUrl(conn, repo, revision);
  for (let page = 0; url !== undefined; page++) {
    if (page >= MAX_PAGES || visited.has(url.href)) throw new HubError(`the file list of ${repo} from ${url.host} does not end (page ${page + 1})`, 'protocol');
    visited.add(url.href);
    const retrier = new Retrier(conn, signal, what);
    let entries: z.infer<typeof PageSchema>;
    let link: string | undefined;
    for (;;) {
      throwIfCancelled(signal, what);
      try {
        const res = await hubGet(conn, url, { accept: 'application/json' }, signal);
        if (res.status !== 200) throw await statusError(conn, res, { repo, revision });
        const text = await res.body.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new HubError(`the file list of ${repo} from ${res.url.host} is not JSON`, 'protocol');
        }
        const parsed = PageSchema.safeParse(json);
        if (!parsed.success) throw new HubError(`the file list of ${repo} from ${res.url.host} is not a list of files: ${parsed.error.issues[0]?.message ?? ''}`, 'protocol');
        entries = parsed.data;
        link = nextLink(header(res.headers, 'link'));
        url = res.url; // a relative next link resolves against where the page came from
        break;
      } catch (err) {
        await retrier.pause(err);
      }
    }
    const where = `the file list of ${repo} from ${url.host}`;
    for (const entry of entries) {
      if (entry.type !== 'file') continue;
      const file = toHubFile(entry, where);
      if (seen.has(file.path)) throw new HubError(`${where} lists ${file.path} twice`, 'protocol');
      seen.add(file.path);
      files.push(file);
    }
    url = link === undefined ? undefined : new URL(link, url);
  }
  return files;
}

/** The files of a repository with their sizes, e.g. to show what a download will weigh. */
export async function listHubFiles(options: HubListOptions): Promise<HubFile[]> {
  checkRepoId(options.repo);
  const conn = openHubConnection(options);
  try {
    return await listRepoFiles(conn, options.repo, options.revision ?? DEFAULT_REVISION, options.signal);
  } finally {
    await conn.close();
  }
}
