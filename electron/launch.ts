// `npm start`: runs Shoebox as a desktop app when Electron's binary is installed, otherwise in
// browser mode (a local server plus the address to open). Before starting it rebuilds what is
// missing or older than its sources (the interface with Vite; Electron's main with tsc), so a
// fresh checkout needs only `npm ci && npm run setup && npm start`.
//   --electron / --browser   force a mode        --data-dir <dir>   library data folder
//   --port <n>, --host <a>   browser mode's address        --open   open the browser
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from './core/paths.js';
import { projectRoot } from './core/project-root.js';
import { parsePort, startBrowserMode } from './server/browser-mode.js';
import { errorMessage } from './common/error-message.js';

const USAGE = `Usage: npm start -- [options]

  --electron          start the desktop app (needs Electron's binary: npm run setup)
  --browser           start in browser mode even when Electron is installed
  --data-dir <dir>    where the library database and thumbnails live
  --port <n>          browser mode: port to listen on (default: any free port)
  --host <address>    browser mode: address to listen on (default 127.0.0.1)
  --open              browser mode: open the address in the default browser
  -h, --help          this help`;

/** Newest modification time of the files under `dirs` (node_modules and dist skipped). */
function newestSource(dirs: readonly string[]): number {
  let newest = 0;
  const visit = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) visit(d);
  return newest;
}

function isStale(output: string, sources: readonly string[]): boolean {
  return !existsSync(output) || statSync(output).mtimeMs < newestSource(sources);
}

/** Runs a build tool's JS entry with this Node; exits with a readable message when it fails. */
function build(root: string, what: string, script: string, args: string[]): void {
  const entry = path.join(root, 'node_modules', script);
  if (!existsSync(entry)) throw new Error(`${what} is missing or out of date, and ${script} is not installed to build it: run \`npm ci\` first.`);
  console.log(`Building ${what}…`);
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`Building ${what} failed (see above).`);
}

function ensureRenderer(root: string): void {
  if (isStale(path.join(root, 'dist', 'renderer', 'index.html'), [path.join(root, 'renderer')])) {
    build(root, 'the interface (dist/renderer)', 'vite/bin/vite.js', ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  }
}

/** The Electron binary that `npm run setup` installed, or null when the download did not happen. */
function electronBinary(root: string): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The exit code, or null while browser mode keeps running (until Ctrl-C, handled by browser-mode). */
async function main(): Promise<number | null> {
  const { values } = parseArgs({
    options: {
      electron: { type: 'boolean', default: false },
      browser: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.electron && values.browser) throw new Error('Choose one of --electron and --browser.');
  const root = projectRoot();
  const dataDir = resolveDataDir(values['data-dir']);
  const binary = electronBinary(root);
  if (values.electron && !binary) {
    throw new Error("Electron's binary is not installed (node_modules/electron/path.txt is missing): run `npm run setup` with network access, or start with --browser.");
  }
  ensureRenderer(root);

  if (binary && !values.browser) {
    const main = path.join(root, 'dist', 'electron', 'main', 'main.js');
    if (isStale(main, [path.join(root, 'electron')])) build(root, "Electron's main process (dist/electron)", 'typescript/bin/tsc', ['-p', 'tsconfig.json']);
    // The data folder reaches the app through the same variable the core reads (core/paths.ts).
    const child = spawn(binary, [main], { cwd: root, stdio: 'inherit', env: { ...process.env, SHOEBOX_DATA_DIR: dataDir } });
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  }

  const port = parsePort(values.port);
  await startBrowserMode({
    dataDir,
    open: values.open === true,
    rendererDir: path.join(root, 'dist', 'renderer'),
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (err: unknown) => {
    console.error(`shoebox: ${errorMessage(err)}`);
    process.exit(1);
  },
);
