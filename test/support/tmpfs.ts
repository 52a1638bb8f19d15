// A small real file system for one test (tmpfs, mounted as root), so that a full disk and a
// read-only disk are the kernel's own answers, not mocks. Unmounted when the test ends.
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync, statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Mounts a tmpfs of `size` (e.g. "16m"); null (the test skipped, with the reason) where mounting is not permitted. */
export async function mountTmpfs(t: TestContext, size: string): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shoebox-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    t.skip(`cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${detail}`);
    return null;
  }
  t.after(async () => {
    // Lazy: a worker thread that still holds a file must not leave the mount behind.
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Remounts a tmpfs mounted by mountTmpfs read-only. */
export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
}

/** Free bytes for this user on the disk holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Writes `file` until only about `leave` bytes are free on its disk (0: until the disk says it is full). */
export function fillDisk(file: string, leave = 0): void {
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const fd = openSync(file, 'a');
  try {
    for (;;) {
      const room = freeBytes(path.dirname(file)) - leave;
      if (room <= 0) return;
      try {
        writeSync(fd, chunk, 0, Math.min(chunk.length, room));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}
