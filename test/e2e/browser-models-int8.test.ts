// The models panel's int8 copy in browser mode, as a person uses it: on the bundled fp32 model,
// "Make a faster int8 copy" (reached with the keyboard), its progress, then the copy listed right
// after the original with both speeds measured on this machine, and Use switching to it as to any
// installed model. Screenshots go to test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { skipReason, startApp } from './support.js';

const skip = skipReason();

test('browser mode: the models panel makes an int8 copy, lists it with its speed, and uses it', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-int8-');
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));
  const { jobId } = await server.api<{ jobId: number }>('library.addDemo', { count: 40 });
  await server.api('jobs.wait', { jobId });

  await page.goto(server.launchUrl);
  const status = page.getByTestId('model-status');
  await status.filter({ hasText: /Shoebox mini/ }).waitFor();
  await status.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('models-panel');
  const installed = (id: string) => panel.locator(`[data-testid=installed-model][data-model-id="${id}"]`);
  const original = installed('shoebox-mini');
  await original.waitFor();

  // The offer, with what it trades, on the fp32 model; the keyboard starts it.
  const make = original.getByRole('button', { name: 'Make a faster int8 copy' });
  assert.equal(await make.getAttribute('aria-describedby'), 'int8-hint-shoebox-mini');
  assert.match((await original.locator('#int8-hint-shoebox-mini').textContent()) ?? '', /faster, slightly less exact/);
  await shot('25-models-int8-offer');
  await make.focus();
  await page.keyboard.press('Enter');
  const progress = original.getByTestId('int8-progress');
  try {
    await original.locator('[data-testid=int8-progress][data-state=running] progress[max]').waitFor({ timeout: 10_000 });
    assert.match((await progress.textContent()) ?? '', /Making an int8 copy of Shoebox mini/);
    await shot('26-models-int8-progress');
  } catch {
    t.diagnostic('the copy was made before its progress could be photographed');
  }
  await original.locator('[data-testid=int8-progress][data-state=done]').waitFor({ timeout: 120_000 });
  assert.match((await progress.textContent()) ?? '', /Made Shoebox mini .*\(int8\)/);

  // The copy, right after its original, with its speed beside the original's.
  const copy = installed('shoebox-mini-int8');
  await copy.waitFor();
  const order = await panel.locator('[data-testid=installed-model]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-model-id')));
  assert.equal(order[order.indexOf('shoebox-mini') + 1], 'shoebox-mini-int8', `listed: ${order.join(', ')}`);
  await copy.getByTestId('int8-badge').waitFor();
  assert.match((await copy.getByTestId('model-speed').textContent()) ?? '', /\d+\.\d photos\/s on CPU/);
  assert.match((await copy.getByTestId('int8-speed-compare').textContent()) ?? '', /\d+\.\d× as fast as the original \(\d+\.\d photos\/s\)/);
  assert.match((await original.getByTestId('model-speed').textContent()) ?? '', /\d+\.\d photos\/s on CPU/, 'the original was timed too');
  assert.match((await copy.textContent()) ?? '', /int8 copy of shoebox-mini, made by Shoebox/);
  assert.equal(await copy.getByTestId('make-int8').count(), 0, 'no copy of a copy');
  await original.getByRole('button', { name: 'Dismiss' }).click();
  await progress.waitFor({ state: 'detached' });
  assert.equal(await original.getByTestId('make-int8').count(), 0, 'no second copy while one is installed');
  await copy.scrollIntoViewIfNeeded();
  await shot('27-models-int8-listed');

  // Use works as for any installed model.
  await copy.getByRole('button', { name: /^Use Shoebox mini .*\(int8\)/ }).click();
  await copy.getByTestId('active-badge').waitFor({ timeout: 120_000 });
  await status.filter({ hasText: /\(int8\)/ }).waitFor();
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('28-models-int8-in-use-dark');

  assert.deepEqual(await problems(), [], 'no CSP violations or console errors');
});
