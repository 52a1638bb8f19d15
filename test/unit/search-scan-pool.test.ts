// The scan worker can be lost (its thread exited, or it stopped answering) while the pool thinks
// it is inside a job: the next search must neither hang in settle() nor use the worker again.
// Each case runs in a child process (test/fixtures/scan-pool-lost-worker.ts) with a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'scan-pool-lost-worker.ts');

function run(mode: 'exited' | 'stuck'): { ready: boolean; sameScores: boolean } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, mode], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.signal, null, `settle() did not return (${mode}): the child was killed after 30 s\n${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as { ready: boolean; sameScores: boolean };
}

test('settle() returns when the worker thread has exited, and scans go on without it', () => {
  assert.deepEqual(run('exited'), { ready: false, sameScores: true });
});

test('settle() gives up a worker that never finishes its job, and scans go on without it', () => {
  assert.deepEqual(run('stuck'), { ready: false, sameScores: true });
});
