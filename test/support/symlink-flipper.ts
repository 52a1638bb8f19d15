// A child process that swaps `<dir>/flip` between a real folder and a symlink to a folder outside,
// as fast as renames go, for tests of the check-then-open race (test/unit/library-open-inside,
// test/integration/media-race). A child, not a loop in the test: it must run while the test's own
// event loop is busy checking and opening. The real folder waits as `<dir>/.flip-real` and the
// link as `<dir>/.flip-link` (hidden names, so indexing never sees them).
import { spawn } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

// Synchronous renames in a tight loop; every 256 swaps it rests 1 ms on the real folder, so that
// some requests succeed however loaded the machine is (a test that only ever sees refusals proves
// nothing). Stops itself after a minute if never killed.
const FLIPPER = `
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[1];
const flip = path.join(dir, 'flip'), real = path.join(dir, '.flip-real'), link = path.join(dir, '.flip-link');
const rest = new Int32Array(new SharedArrayBuffer(4));
const end = Date.now() + 60000;
process.stdout.write('go\\n');
for (let i = 0; ; i++) {
  fs.renameSync(flip, real); fs.renameSync(link, flip);
  fs.renameSync(flip, link); fs.renameSync(real, flip);
  if ((i & 255) === 0) {
    if (Date.now() > end) break;
    Atomics.wait(rest, 0, 0, 1);
  }
}
`;

export interface Flipper {
  /** Kills the child and waits for it; `<dir>/flip` may be left either way. */
  stop(): Promise<void>;
}

/** `<dir>/flip` must be a real folder; creates the link to `outside` and starts flipping. */
export async function startFlipper(dir: string, outside: string): Promise<Flipper> {
  await mkdir(path.join(dir, 'flip'), { recursive: true });
  await symlink(outside, path.join(dir, '.flip-link'));
  const child = spawn(process.execPath, ['-e', FLIPPER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the flipper exited early (${code})`)));
    child.stdout.once('data', () => resolve());
  });
  return {
    async stop() {
      child.kill();
      await exited;
    },
  };
}
