// The models panel in browser mode, as a person uses it: open it from the model status line, see
// the bundled model in use and the catalogue, import a model folder by its path, switch to it
// (the switch's progress, then the status line names it; the previous model keeps its
// embeddings), switch back, and remove the imported model after confirming. No downloads here
// (no network): the catalogue is only listed. Screenshots go to test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { REPO, skipReason, startApp } from './support.js';

const skip = skipReason();
const FIXTURE = path.join(REPO, 'test/fixtures/clip-layouts/hf');

test('browser mode: the models panel imports, switches, switches back and removes a model', { skip: skip ?? false, timeout: 240_000 }, async (t) => {
  const work = await tempDir(t, 'shoebox-e2e-models-');
  // The copy's folder name becomes the imported model's id and display name (it has no record of its own).
  const modelName = 'test-clip-hf';
  const modelDir = path.join(work, modelName);
  await cp(FIXTURE, modelDir, { recursive: true });
  const { server, page, problems, shot } = await startApp(t, path.join(work, 'data'));

  // A small indexed library, so a switch has photos to embed.
  const { jobId } = await server.api<{ jobId: number }>('library.addDemo', { count: 150 });
  await server.api('jobs.wait', { jobId });
  const indexed = (await server.api<{ photos: { indexed: number } }>('status', { loadModel: false })).photos.indexed;
  assert.ok(indexed >= 30, `${indexed} photos indexed`);

  await page.goto(server.launchUrl);
  const status = page.getByTestId('model-status');
  await status.filter({ hasText: /Shoebox mini[^]*runs on CPU/ }).waitFor();

  // The status line is a button: the keyboard opens the panel.
  await status.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('models-panel');
  await panel.waitFor();
  const installed = (id: string) => panel.locator(`[data-testid=installed-model][data-model-id="${id}"]`);
  const bundled = installed('shoebox-mini');
  await bundled.getByTestId('active-badge').waitFor();
  assert.equal(await panel.getByTestId('active-badge').count(), 1, 'one model is marked active');
  assert.match((await bundled.getByTestId('embedded-count').textContent()) ?? '', new RegExp(`^${indexed} of ${indexed}$`));
  // The active and bundled model cannot be removed, and says why.
  const removeBundled = bundled.getByRole('button', { name: /^Remove/ });
  assert.ok(await removeBundled.isDisabled());
  assert.match((await removeBundled.getAttribute('title')) ?? '', /comes with Shoebox/);
  assert.equal(await bundled.getByRole('button', { name: /^Use/ }).count(), 0, 'no Use on the model in use');

  // The catalogue: every entry listed, with its size or a promise of one, and Immich's figures.
  const rows = panel.getByTestId('catalogue-model');
  assert.ok((await rows.count()) >= 5, 'the catalogue is listed');
  const b32 = panel.locator('[data-testid=catalogue-model][data-repo="immich-app/ViT-B-32__openai"]');
  const b32Text = (await b32.textContent()) ?? '';
  assert.match(b32Text, /CLIP ViT-B\/32 \(OpenAI\)/);
  assert.match(b32Text, /≈ 577 MB/);
  assert.match(b32Text, /59\.4 %/);
  assert.match(b32Text, /MIT/);
  assert.ok(await b32.getByRole('button', { name: /^Download/ }).isEnabled());
  assert.match((await panel.textContent()) ?? '', /size shown when the download starts/);
  const xenova = panel.locator('[data-testid=catalogue-model][data-repo="Xenova/clip-vit-base-patch32"]');
  assert.deepEqual(await xenova.locator('select option').allTextContents(), ['Standard (fp32)', 'quantized', 'fp16']);
  assert.match((await panel.textContent()) ?? '', /github\.com\/immich-app\/immich/, 'the figures name their source');
  await shot('20-models-light');
  await xenova.scrollIntoViewIfNeeded();
  await panel.locator('.figures').scrollIntoViewIfNeeded();
  await shot('20b-models-catalogue-light');
  await panel.locator('#models-title').scrollIntoViewIfNeeded();

  // Tab moves through the panel's buttons, focus visible.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate('document.activeElement && document.activeElement.closest("[data-testid=models-panel]") !== null');
  assert.equal(focused, true, 'focus stays in the panel');

  // A bad path says what went wrong, next to the field. (The browser logs the API's 400 answer as
  // a failed resource: that one console line is expected and left out of the check at the end.)
  const importField = panel.getByTestId('model-import-path');
  const seenBefore = (await problems()).length;
  await importField.fill(path.join(work, 'no-such-folder'));
  await importField.press('Enter');
  await panel.locator('#model-import-error').filter({ hasText: /no-such-folder/ }).waitFor();
  const expected = (await problems()).slice(seenBefore);
  assert.ok(expected.length <= 1 && expected.every((p) => /status of 400 \(Bad Request\)/.test(p)), expected.join('\n'));

  // Import the copy of the fixture by its path.
  await importField.fill(modelDir);
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  const imported = installed(modelName);
  await imported.waitFor();
  assert.equal(await importField.inputValue(), '', 'the field empties after an import');
  const importedText = (await imported.textContent()) ?? '';
  assert.match(importedText, /Hugging Face/);
  assert.match(importedText, /32-d/);
  assert.match((await imported.getByTestId('embedded-count').textContent()) ?? '', new RegExp(`^0 of ${indexed}$`));

  // Its speed on this machine, measured on request.
  assert.match((await imported.getByTestId('model-speed').textContent()) ?? '', /not measured/);
  await imported.getByRole('button', { name: `Measure the speed of ${modelName} on this machine` }).click();
  await imported.getByTestId('model-speed').filter({ hasText: /\d+\.\d photos\/s on CPU/ }).waitFor({ timeout: 30_000 });

  // Use it: the switch shows its progress (if it can be caught), then the status line names it.
  await imported.getByRole('button', { name: `Use ${modelName}` }).click();
  const progress = panel.getByTestId('switch-progress');
  try {
    await panel.locator('[data-testid=switch-progress][data-state=running] progress[max]').waitFor({ timeout: 20_000 });
    await shot('21-models-switching');
    assert.match((await progress.textContent()) ?? '', /Search keeps using Shoebox mini/);
  } catch {
    t.diagnostic('the switch finished before its progress could be photographed');
  }
  await panel.locator('[data-testid=switch-progress][data-state=done]').waitFor({ timeout: 120_000 });
  await status.filter({ hasText: modelName }).waitFor();
  assert.match((await status.textContent()) ?? '', /32-d embeddings/);
  await imported.getByTestId('active-badge').waitFor();
  assert.match((await imported.getByTestId('embedded-count').textContent()) ?? '', new RegExp(`^${indexed} of ${indexed}$`));
  assert.match((await bundled.getByTestId('embedded-count').textContent()) ?? '', new RegExp(`^${indexed} of ${indexed}$`), 'the old model keeps its embeddings');
  assert.ok(await imported.getByRole('button', { name: /^Remove/ }).isDisabled(), 'the active model cannot be removed');

  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('22-models-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Switch back: nothing to embed, the status line names the bundled model again.
  await bundled.getByRole('button', { name: /^Use Shoebox mini/ }).click();
  await bundled.getByTestId('active-badge').waitFor({ timeout: 60_000 });
  await status.filter({ hasText: 'Shoebox mini' }).waitFor();

  // Remove the imported model: a confirmation first (Esc leaves it), then it is gone.
  await imported.getByRole('button', { name: `Remove ${modelName}` }).click();
  const confirm = imported.getByTestId('confirm-remove');
  await confirm.waitFor();
  await shot('23-models-confirm-remove');
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  assert.ok(await panel.isVisible(), 'Esc left the confirmation, not the panel');
  await imported.getByRole('button', { name: `Remove ${modelName}` }).click();
  await confirm.click();
  await imported.waitFor({ state: 'detached' });
  await panel.getByText(`Removed ${modelName}`).waitFor();
  const listed = await server.api<{ installed: { id: string }[]; activeId: string }>('models.list', {});
  assert.deepEqual(listed.installed.map((m) => m.id), ['shoebox-mini']);
  assert.equal(listed.activeId, 'shoebox-mini');

  // Esc closes the panel and gives the focus back to the status line.
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")'), 'model-status');
  await shot('24-models-status-line');

  const all = await problems();
  assert.deepEqual([...all.slice(0, seenBefore), ...all.slice(seenBefore + expected.length)], [], 'no CSP violations or console errors');
});
