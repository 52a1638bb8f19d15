// First run in browser mode: the welcome screen's "Try the demo library" writes the generated
// library into the data folder and indexes it; the grid fills and the broken files are counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';

const skip = skipReason();

test('the first-run demo library is written, indexed and shown', { skip: skip ?? false, timeout: 180_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-demo-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));

  await page.goto(server.launchUrl);
  await page.getByRole('heading', { name: 'Welcome to Shoebox' }).waitFor();
  await page.getByRole('button', { name: 'Try the demo library' }).click();
  await page.locator('[data-testid=index-progress][data-state=done]').waitFor({ timeout: 150_000 });
  await page.locator('.cell img').first().waitFor();
  await shot('14-demo-library');

  const status = await server.api<{ photos: { indexed: number }; errors: number; roots: { path: string }[] }>('status', {});
  assert.equal(status.photos.indexed, 300);
  assert.equal(status.errors, 4);
  assert.equal(status.roots.length, 1);
  assert.ok(status.roots[0]!.path.endsWith(`${path.sep}demo-library`));
  assert.ok((await page.locator('[role=gridcell][data-photo-id]').count()) > 0);
  assert.deepEqual(await problems(), []);
});
