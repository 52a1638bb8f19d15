// A local stand-in for the Hugging Face Hub, for the downloader's tests: two real node:http servers
// on 127.0.0.1, the Hub and a "CDN" on another port (another origin, as LFS downloads are served
// by another host). The Hub answers the tree listing (recursive, paginated through
// `Link: rel="next"` when pageSize is set) and `resolve` (small files directly, LFS files as a 302
// to the CDN), with ETag, X-Linked-Etag, X-Linked-Size, X-Repo-Commit and X-Error-Code as
// huggingface.co sends them; both servers honour `Range: bytes=N-`. Every request is recorded
// (server, url, headers, status) so tests can check what went where. Faults are added per test and
// each fires a given number of times (once by default): an error status, a connection dropped after
// N bytes, a Range ignored, wrong bytes, or a transfer held open after N bytes. startProxy is a
// CONNECT proxy that records the hosts it tunnels to.
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';

export type RepoFiles = Record<string, Buffer>;

/** The path a status fault names to hit the tree listing instead of a file. */
export const TREE = ':tree';

export type Fault =
  | { kind: 'status'; path: string; status: number; headers?: Record<string, string>; times?: number }
  | { kind: 'drop'; path: string; afterBytes: number; times?: number }
  | { kind: 'ignore-range'; path: string; times?: number }
  | { kind: 'corrupt'; path: string; times?: number }
  | { kind: 'hold'; path: string; afterBytes: number; onHold?: () => void; times?: number };

export interface HubServerOptions {
  /** Repository id → its files (path → content), at branch 'main'. */
  repos: Record<string, RepoFiles>;
  /** Files of at least this many bytes are stored in LFS (default 64 KiB; the Hub's is 10 MB). */
  lfsThreshold?: number;
  /** When set, the Hub answers 401 (gated repository) unless `Authorization: Bearer <token>`. */
  token?: string;
  /** Entries per listing page; default all on one page. */
  pageSize?: number;
  /** Listings served as given instead of the computed one (a hostile or broken mirror). */
  listings?: Record<string, unknown[]>;
  /** Old repository id → new: answered with a 307 and a relative Location, as the Hub does after a rename. */
  renamed?: Record<string, string>;
}

export interface RecordedRequest {
  server: 'hub' | 'cdn';
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The status answered (0 until answered). */
  status: number;
  at: number;
}

export interface TreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

export interface FakeHub {
  endpoint: string;
  cdnOrigin: string;
  requests: RecordedRequest[];
  addFault(fault: Fault): void;
  commitOf(repo: string): string;
  /** What the listing of `repo` says (the computed one). */
  treeOf(repo: string): TreeEntry[];
  close(): Promise<void>;
}

const sha1 = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const gitBlobSha1 = (data: Buffer): string => sha1(Buffer.concat([Buffer.from(`blob ${data.length}\0`), data]));

function lfsPointer(content: Buffer): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(content)}\nsize ${content.length}\n`);
}

function buildTree(files: RepoFiles, lfsThreshold: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!dirs.has(dir)) {
        dirs.add(dir);
        entries.push({ type: 'directory', oid: sha1(`tree ${dir}`), size: 0, path: dir });
      }
    }
    if (content.length >= lfsThreshold) {
      const pointer = lfsPointer(content);
      entries.push({ type: 'file', oid: gitBlobSha1(pointer), size: content.length, path, lfs: { oid: sha256(content), size: content.length, pointerSize: pointer.length } });
    } else {
      entries.push({ type: 'file', oid: gitBlobSha1(content), size: content.length, path });
    }
  }
  return entries;
}

/** Serves `content`, honouring `Range: bytes=N-` / `bytes=N-M`, with the faults that apply. */
function serveBytes(
  req: IncomingMessage,
  res: ServerResponse,
  answer: (status: number, headers: Record<string, string | number>) => void,
  content: Buffer,
  extraHeaders: Record<string, string>,
  take: (kind: Fault['kind']) => Fault | undefined,
): void {
  let body = content;
  if (take('corrupt')) {
    body = Buffer.from(content);
    body[Math.floor(body.length / 2)] = (body[Math.floor(body.length / 2)] ?? 0) ^ 0xff;
  }
  const rangeHeader = req.headers.range;
  const ignoreRange = rangeHeader !== undefined && take('ignore-range') !== undefined;
  const match = ignoreRange ? null : /^bytes=(\d+)-(\d*)$/.exec(rangeHeader ?? '');
  let start = 0;
  let end = body.length - 1;
  let status = 200;
  const headers: Record<string, string | number> = { ...extraHeaders, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
  if (match) {
    start = Number(match[1]);
    if (match[2]) end = Math.min(end, Number(match[2]));
    if (start >= body.length || start > end) {
      answer(416, { ...headers, 'content-range': `bytes */${body.length}` });
      res.end();
      return;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
  }
  const slice = body.subarray(start, end + 1);
  headers['content-length'] = slice.length;
  answer(status, headers);
  const drop = take('drop');
  if (drop?.kind === 'drop') {
    // Cut a moment after the bytes left, as a link that dies mid-transfer does: cut at once, the
    // client may see the close before it has read the bytes and (rightly) keep none of them.
    res.write(slice.subarray(0, drop.afterBytes), () => setTimeout(() => res.socket?.destroy(), 50));
    return;
  }
  const hold = take('hold');
  if (hold?.kind === 'hold') {
    res.write(slice.subarray(0, hold.afterBytes), () => hold.onHold?.());
    return; // never ends; the client cancels, or close() cuts it
  }
  res.end(slice);
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function shut(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startHubServer(options: HubServerOptions): Promise<FakeHub> {
  const lfsThreshold = options.lfsThreshold ?? 64 * 1024;
  const trees = new Map(Object.entries(options.repos).map(([repo, files]) => [repo, buildTree(files, lfsThreshold)]));
  const commitOf = (repo: string): string => sha1(`commit ${repo}`);
  const requests: RecordedRequest[] = [];
  const faults: (Fault & { left: number })[] = [];
  /** sha256 → content, what the CDN serves. */
  const blobs = new Map<string, Buffer>();
  for (const files of Object.values(options.repos)) for (const content of Object.values(files)) blobs.set(sha256(content), content);

  const take = (path: string, kind: Fault['kind']): Fault | undefined => {
    const fault = faults.find((f) => f.path === path && f.kind === kind && f.left > 0);
    if (fault) fault.left--;
    return fault;
  };
  const record = (server: RecordedRequest['server'], req: IncomingMessage, res: ServerResponse) => {
    const entry: RecordedRequest = { server, method: req.method ?? '', url: req.url ?? '', headers: req.headers, status: 0, at: Date.now() };
    requests.push(entry);
    return (status: number, headers: Record<string, string | number>): void => {
      entry.status = status;
      res.writeHead(status, headers);
    };
  };
  const error = (answer: ReturnType<typeof record>, res: ServerResponse, status: number, code: string, message: string): void => {
    answer(status, { 'x-error-code': code, 'x-error-message': message, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: message }));
  };

  let endpoint = '';
  let cdnOrigin = '';

  const hub = http.createServer((req, res) => {
    const answer = record('hub', req, res);
    const url = new URL(req.url ?? '/', endpoint);
    const tree = /^\/api\/models\/(.+)\/tree\/([^/]+)$/.exec(url.pathname);
    const resolve = tree ? null : /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repo = decodeURIComponent((tree ?? resolve)?.[1] ?? '');
    const revision = decodeURIComponent((tree ?? resolve)?.[2] ?? '');
    const file = resolve ? resolve[3]!.split('/').map(decodeURIComponent).join('/') : TREE;
    if (!tree && !resolve) return error(answer, res, 404, 'EntryNotFound', `no route for ${url.pathname}`);

    const renamedTo = options.renamed?.[repo];
    if (renamedTo !== undefined) {
      // A relative Location, as the Hub sends after a repository was renamed.
      answer(307, { location: `${url.pathname.replace(`/${repo}/`, `/${renamedTo}/`)}${url.search}` });
      return res.end();
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return error(answer, res, 401, 'GatedRepo', `Access to model ${repo} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
    }
    const status = take(file, 'status');
    if (status?.kind === 'status') {
      answer(status.status, { ...status.headers, 'content-type': 'text/plain' });
      return res.end(`fault: ${status.status}`);
    }
    const files = options.repos[repo];
    const listing = options.listings?.[repo] ?? trees.get(repo);
    if (listing === undefined || (files === undefined && options.listings?.[repo] === undefined)) {
      return error(answer, res, 404, 'RepoNotFound', 'Repository not found');
    }
    if (revision !== 'main' && revision !== commitOf(repo)) return error(answer, res, 404, 'RevisionNotFound', `Invalid rev id: ${revision}`);

    if (tree) {
      const size = options.pageSize ?? Number.MAX_SAFE_INTEGER;
      const cursor = Number(url.searchParams.get('cursor') ?? '0');
      const page = listing.slice(cursor, cursor + size);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (cursor + size < listing.length) {
        const next = new URL(url);
        next.searchParams.set('cursor', String(cursor + size));
        headers['link'] = `<${next.href}>; rel="next"`;
      }
      answer(200, headers);
      return res.end(JSON.stringify(page));
    }

    const content = files?.[file];
    const entry = trees.get(repo)?.find((e) => e.path === file && e.type === 'file');
    if (content === undefined || entry === undefined) return error(answer, res, 404, 'EntryNotFound', `${file} does not exist on "${revision}"`);
    const common = { 'x-repo-commit': commitOf(repo), etag: `"${entry.oid}"` };
    if (entry.lfs) {
      answer(302, {
        ...common,
        'x-linked-etag': `"${entry.lfs.oid}"`,
        'x-linked-size': String(entry.lfs.size),
        location: `${cdnOrigin}/repos/${entry.lfs.oid}?X-Amz-Signature=fake&name=${encodeURIComponent(file)}`,
        'content-length': 0,
      });
      return res.end();
    }
    serveBytes(req, res, answer, content, common, (kind) => take(file, kind));
  });

  const cdn = http.createServer((req, res) => {
    const answer = record('cdn', req, res);
    const url = new URL(req.url ?? '/', cdnOrigin);
    const oid = /^\/repos\/([0-9a-f]{64})$/.exec(url.pathname)?.[1];
    const content = oid === undefined ? undefined : blobs.get(oid);
    if (content === undefined) {
      answer(404, { 'content-type': 'text/plain' });
      return res.end('NoSuchKey');
    }
    const file = url.searchParams.get('name') ?? '';
    serveBytes(req, res, answer, content, { etag: `"${oid}"` }, (kind) => take(file, kind));
  });

  endpoint = `http://127.0.0.1:${await listen(hub)}`;
  cdnOrigin = `http://127.0.0.1:${await listen(cdn)}`;
  return {
    endpoint,
    cdnOrigin,
    requests,
    addFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    commitOf,
    treeOf: (repo) => trees.get(repo) ?? [],
    close: async () => {
      await Promise.all([shut(hub), shut(cdn)]);
    },
  };
}

export interface FakeProxy {
  url: string;
  /** "host:port" of every CONNECT it tunnelled. */
  connects: string[];
  close(): Promise<void>;
}

/** An HTTP proxy that tunnels CONNECT requests (what undici's ProxyAgent sends) and records them. */
export async function startProxy(): Promise<FakeProxy> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only');
  });
  server.on('connect', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = target.split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      await shut(server);
    },
  };
}
