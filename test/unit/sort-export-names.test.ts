// Folder names for categories (safe on Windows, macOS and Linux, distinct per category), the
// " (2)" suffix of a taken name, and which category a photo counts as its best.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportEntries } from '../../electron/core/export/entries.js';
import { categoryFolders, nameKey, safeFolderName, withSuffix } from '../../electron/core/export/names.js';

test('category names become folder names every system accepts', () => {
  const cases: [string, string][] = [
    ['Receipts', 'Receipts'],
    ['Dogs: big / small?', 'Dogs_ big _ small_'],
    ['a\\b*c"d<e>f|g', 'a_b_c_d_e_f_g'],
    ['  trailing dots...  ', 'trailing dots'],
    ['CON', 'CON_'],
    ['con.txt', 'con_.txt'],
    ['LPT1', 'LPT1_'],
    ['Console', 'Console'],
    ['.hidden', '_hidden'],
    ['..', '_'],
    ['', '_'],
    ['tab\there', 'tab_here'],
    ['Cafe\u0301', 'Café'],
  ];
  for (const [name, folder] of cases) assert.equal(safeFolderName(name), folder, JSON.stringify(name));
  const long = safeFolderName('ü'.repeat(300));
  assert.ok(Buffer.byteLength(long) <= 200 && long === 'ü'.repeat(100), 'cut at 200 bytes, never inside a character');
});

test('two categories that clean to the same folder get distinct folders; names compare as a case-insensitive disk would', () => {
  assert.deepEqual([...categoryFolders(['a:b', 'a?b', 'A_B', 'other']).values()], ['a_b', 'a_b (2)', 'A_B (3)', 'other']);
  assert.equal(nameKey('/x/IMG_1.JPG'), nameKey('/x/img_1.jpg'));
  assert.equal(nameKey('/x/Cafe\u0301'), nameKey('/x/café'));
  assert.equal(withSuffix('IMG_1.jpg', 2), 'IMG_1 (2).jpg');
  assert.equal(withSuffix('archive.tar.gz', 3), 'archive.tar (3).gz');
  assert.equal(withSuffix('README', 2), 'README (2)');
});

test("a photo's best category: the person's correction first, then the surest", () => {
  const entries = exportEntries({
    modelId: 'm',
    multiLabel: true,
    categories: [
      { id: 1, name: 'Beach', photos: [{ photoId: 1, confidence: 0.6, corrected: false }, { photoId: 2, confidence: 0.9, corrected: false }] },
      { id: 2, name: 'Dogs', photos: [{ photoId: 2, confidence: 0.3, corrected: true }, { photoId: 1, confidence: 0.8, corrected: false }, { photoId: 3, confidence: 0.5, corrected: false }] },
    ],
    unsorted: [{ photoId: 4, confidence: 0.1, corrected: false }],
  });
  assert.deepEqual(entries, [
    { photoId: 1, categories: ['Dogs', 'Beach'] },
    { photoId: 2, categories: ['Dogs', 'Beach'] },
    { photoId: 3, categories: ['Dogs'] },
  ]);
});
