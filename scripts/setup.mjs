#!/usr/bin/env node
// Explicit post-install set-up. `.npmrc` sets ignore-scripts=true so that `npm ci` never fails
// on a download it cannot make (Electron's binary, onnxruntime's CUDA libraries). This script
// runs the install steps that matter, each allowed to fail where failure is expected offline:
//   1. better-sqlite3: prebuilt download, or a source build with node-gyp (works offline).
//   2. Electron's binary: its own install.js; without it the app runs in browser mode.
//   3. onnxruntime-node CUDA libraries: only when SHOEBOX_CUDA=1 (Linux x64) is set.
//   4. The app compiled to dist/ (bin/shoebox.mjs starts ~1 s sooner from it than through tsx).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function run(label, cmd, args, opts = {}) {
  process.stdout.write(`[setup] ${label}…\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

function betterSqliteWorks() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: root, stdio: 'ignore' });
  return r.status === 0;
}

// 1. better-sqlite3 native module
if (betterSqliteWorks()) {
  process.stdout.write('[setup] better-sqlite3 native module present\n');
} else {
  // npm runs the package's own install script (prebuild-install || node-gyp rebuild) with its
  // bundled node-gyp; offline the download fails and the source build takes about a minute.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const ok = run('better-sqlite3: prebuilt binary or source build', npm, ['rebuild', 'better-sqlite3', '--ignore-scripts=false'], { shell: process.platform === 'win32' });
  if (!ok || !betterSqliteWorks()) {
    console.error('[setup] better-sqlite3 could not be installed: a C++ compiler (g++), make and python3 are needed to build it.');
    process.exit(1);
  }
}

// 2. Electron binary (optional: browser mode works without it)
const electronDir = path.join(root, 'node_modules', 'electron');
if (existsSync(path.join(electronDir, 'install.js'))) {
  if (existsSync(path.join(electronDir, 'path.txt'))) {
    process.stdout.write('[setup] Electron binary present\n');
  } else if (process.env.SHOEBOX_SKIP_ELECTRON === '1') {
    process.stdout.write('[setup] Electron binary skipped (SHOEBOX_SKIP_ELECTRON=1)\n');
  } else {
    const ok = run('Electron binary download', process.execPath, ['install.js'], { cwd: electronDir, timeout: 300_000 });
    if (!ok) process.stdout.write('[setup] Electron binary unavailable (offline?): Shoebox will run in browser mode.\n');
  }
}

// 3. onnxruntime-node GPU libraries (opt-in)
if (process.env.SHOEBOX_CUDA === '1') {
  const dir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const ok = run('onnxruntime-node CUDA 12 libraries', process.execPath, ['script/install.js', '--onnxruntime-node-install=cuda12'], { cwd: dir });
  if (!ok) process.stdout.write('[setup] CUDA libraries not installed; inference will use the CPU.\n');
}
// 4. Compiled JavaScript for the command line (without it, bin/shoebox.mjs runs the sources)
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!run('compiling the app for a quick start', process.execPath, [tsc, '-p', 'tsconfig.app.json', '--noCheck'])) {
  process.stdout.write('[setup] not compiled; the shoebox command will run the TypeScript sources (slower to start).\n');
}
process.stdout.write('[setup] done\n');
