// Settings: JSON values by key, checked on the way out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../electron/core/store/index.js';
import { SETTING_ACTIVE_MODEL } from '../../electron/core/store/settings.js';

test('settings round-trip JSON values, validate on read and can be deleted', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shoebox-settings-'));
  const file = path.join(dir, 'library.sqlite');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const asString = (v: unknown): string => {
    if (typeof v !== 'string') throw new Error('not a string');
    return v;
  };
  let store = openStore(file);
  assert.equal(store.settings.get(SETTING_ACTIVE_MODEL, asString), undefined);
  store.settings.set(SETTING_ACTIVE_MODEL, 'shoebox-mini');
  store.settings.set('grid', { columns: 6, dense: true, tags: ['a'] });
  store.close();
  store = openStore(file);
  t.after(() => store.close());
  assert.equal(store.settings.get(SETTING_ACTIVE_MODEL, asString), 'shoebox-mini');
  assert.deepEqual(store.settings.get('grid', (v) => v), { columns: 6, dense: true, tags: ['a'] });
  assert.throws(() => store.settings.get('grid', asString), /not a string/);
  store.settings.set(SETTING_ACTIVE_MODEL, 'other');
  assert.equal(store.settings.get(SETTING_ACTIVE_MODEL, asString), 'other');
  store.settings.delete(SETTING_ACTIVE_MODEL);
  assert.equal(store.settings.get(SETTING_ACTIVE_MODEL, asString), undefined);
});
