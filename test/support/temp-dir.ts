// A fresh folder under the system's temp folder for one test, removed when the test ends
// (passed or failed), so tests do not repeat mkdtemp + t.after(rm) each time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Creates `<tmp>/<prefix>XXXXXX`; `prefix` names the test in leftover folders, e.g. 'shoebox-grid-'. */
export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
