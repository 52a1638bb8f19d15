// Browser mode: open the library, start the server, print the address (with its access key),
// optionally open it in the default browser, and shut down cleanly on Ctrl-C / SIGTERM.
// Used by `electron/server/start.ts` and by the launcher when Electron is not installed.
// Connection timeouts and the connection cap can be set through SHOEBOX_SERVER_* variables
// (connections.ts; tests shorten the timeouts that way).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Shoebox } from '../core/shoebox.js';
import { limitsFromEnv } from './connections.js';
import { startServer, type RunningServer } from './server.js';

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  host?: string;
  modelDir?: string;
  provider?: string;
  rendererDir?: string;
  /** Open the address in the default browser. */
  open?: boolean;
}

/** dist/renderer of this checkout (walking up from this file, in electron/server or dist/electron/server). */
export function defaultRendererDir(): string {
  const override = process.env['SHOEBOX_RENDERER_DIR'];
  if (override) return path.resolve(override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'renderer');
    dir = path.dirname(dir);
  }
  return path.resolve('dist', 'renderer');
}

/** Parses a --port value; throws a readable error for anything but 0–65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.error(`Could not open a browser (${cmd}); open the address above by hand.`));
  child.unref();
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<{ core: Shoebox; server: RunningServer; stop: () => Promise<void> }> {
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const limits = limitsFromEnv(process.env); // before opening the library: a bad value fails fast
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`Warning: the interface is not built (${rendererDir}/index.html is missing); run \`npm run build:renderer\`. The API works without it.`);
  }
  const core = await Shoebox.open({
    dataDir: options.dataDir,
    // A long-running server resumes an indexing a crash cut short (one-shot CLI commands do not).
    resumeInterrupted: true,
    ...(options.modelDir ? { modelDir: options.modelDir } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  });
  let server: RunningServer;
  try {
    server = await startServer({
      core,
      rendererDir,
      limits,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  } catch (err) {
    await core.close();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= server.close().then(() => core.close()));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(0)));
  }
  console.log(`Shoebox is running. Open this address in your browser:\n\n  ${server.launchUrl}\n`);
  console.log(`Library data: ${options.dataDir}`);
  console.log(`Scripts: POST ${server.origin}/api/<operation> with the header "Authorization: Bearer <the token in the address>".`);
  console.log('The address carries this session\'s access key; do not share it. Press Ctrl-C to stop.');
  if (options.open) openInBrowser(server.launchUrl);
  return { core, server, stop };
}
