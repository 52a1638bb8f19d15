// The whole product in browser mode, as a person uses it: open the printed link (the token becomes
// a cookie and leaves the address bar), then the shared scenario of ui-scenario.ts: add a folder,
// index, errors, search, viewer, similar, filters, themes. Screenshots go to test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';
import { runLibraryScenario } from './ui-scenario.js';

const skip = skipReason();

test('browser mode end to end: index, errors, search, viewer, similar, filters, themes', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));

  await page.goto(server.launchUrl);
  assert.equal(new URL(page.url()).search, '', 'token removed from the address');
  await runLibraryScenario(t, { page, api: server.api, problems, shot }, work);
});
