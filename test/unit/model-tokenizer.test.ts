// The bundled model's byte-level BPE through the app's tokenizer.ts: round trip, CLIP markers,
// truncation, padding, int32/int64 ids, and the conventions of published CLIP tokenizer files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadClipTokenizer } from '../../electron/core/clip/tokenizer.js';
import { bytesToUnicode, trainBpe, tokenizerJson, tokenizerConfigJson } from '../../models/recipe/bpe-trainer.js';

const MODEL = path.resolve('models/shoebox-mini');

test('round trip: decode(encode(text)) gives the lower-cased text back', async () => {
  const tok = await loadClipTokenizer(MODEL, 24);
  for (const text of ['two small red stars on the beach', 'A Photo of a GREEN Heart.', 'ünïcode 🦓 42'] as const) {
    assert.equal(tok.decode(tok.tokenize(text)), text.toLowerCase());
  }
});

test('ids start with <|startoftext|>, end with <|endoftext|>, and are padded with the pad id', async () => {
  const tok = await loadClipTokenizer(MODEL, 24);
  const { ids, n, contextLength } = tok.encode(['a red star', 'three blue circles at night']);
  assert.equal(n, 2);
  assert.equal(contextLength, 24);
  assert.equal(ids.length, 48);
  const row0 = Array.from(ids.subarray(0, 24), Number);
  assert.equal(row0[0], tok.sotId);
  const eot = row0.indexOf(tok.eotId);
  assert.ok(eot > 1, 'end token after the text');
  assert.deepEqual(row0.slice(eot + 1), new Array(24 - eot - 1).fill(tok.padId));
  assert.equal(tok.eotId, tok.sotId! + 1, 'special tokens are the last two ids, as in CLIP');
});

test('long texts are truncated to the context length with the end token kept last', async () => {
  const tok = await loadClipTokenizer(MODEL, 24);
  const ids = tok.tokenize('a red star and '.repeat(20));
  assert.equal(ids.length, 24);
  assert.equal(ids[0], tok.sotId);
  assert.equal(ids[23], tok.eotId);
});

test('the int32 variant holds the same ids as the int64 one', async () => {
  const tok = await loadClipTokenizer(MODEL, 24);
  const texts = ['a purple circle', 'an orange cross in the snow'];
  const a = tok.encode(texts);
  const b = tok.encode(texts, 'int32');
  assert.ok(a.ids instanceof BigInt64Array);
  assert.ok(b.ids instanceof Int32Array);
  assert.deepEqual(Array.from(a.ids, Number), Array.from(b.ids));
});

test('the byte alphabet is GPT-2\'s: printable bytes map to themselves, space to Ġ, newline to Ċ', () => {
  const table = bytesToUnicode();
  assert.equal(table[0x41], 'A');
  assert.equal(table[0x20], '\u0120');
  assert.equal(table[0x0a], '\u010a');
  assert.equal(new Set(table).size, 256);
});

test('BPE training is deterministic and merges frequent pairs first', () => {
  const corpus = ['red star', 'red stars', 'a red star', 'blue star'];
  const a = trainBpe(corpus, { maxVocab: 300, minFrequency: 2 });
  const b = trainBpe(corpus, { maxVocab: 300, minFrequency: 2 });
  assert.deepEqual(a.merges, b.merges);
  assert.ok(a.vocab.has('Ġstar') && a.vocab.has('Ġred'), 'frequent words become single tokens');
  assert.equal(a.vocab.get('<|endoftext|>'), a.vocab.size - 1);
});

test('published-model conventions: RobertaProcessing, no post-processor, pad token object, no config', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-tok-'));
  try {
    const json = JSON.parse(await readFile(path.join(MODEL, 'textual', 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    const ref = await loadClipTokenizer(MODEL, 16);
    const expected = ref.tokenize('a red star');
    const variants: Array<[string, unknown, unknown]> = [
      ['roberta', { type: 'RobertaProcessing', sep: ['<|endoftext|>', ref.eotId], cls: ['<|startoftext|>', ref.sotId], trim_offsets: false, add_prefix_space: false }, { pad_token: { content: '<|endoftext|>' } }],
      ['none', null, { bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '!' }],
      ['no-config', undefined, undefined],
    ];
    for (const [name, post, config] of variants) {
      const sub = path.join(dir, name, 'textual');
      await mkdir(sub, { recursive: true });
      const copy = { ...json };
      if (post === undefined) delete copy.post_processor;
      else copy.post_processor = post;
      await writeFile(path.join(sub, 'tokenizer.json'), JSON.stringify(copy));
      if (config !== undefined) await writeFile(path.join(sub, 'tokenizer_config.json'), JSON.stringify(config));
      const tok = await loadClipTokenizer(path.dirname(sub), 16);
      assert.deepEqual(tok.tokenize('a red star'), expected, name);
      const padExpected = name === 'roberta' ? ref.eotId : 0; // '!' is byte id 0, as in CLIP
      assert.equal(tok.padId, padExpected, name);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing or broken tokenizer.json names the file', async () => {
  await assert.rejects(loadClipTokenizer('/nonexistent-model', 24), /nonexistent-model\/textual\/tokenizer\.json/);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-tok-'));
  try {
    await mkdir(path.join(dir, 'textual'));
    await writeFile(path.join(dir, 'textual', 'tokenizer.json'), '{not json');
    await assert.rejects(loadClipTokenizer(dir, 24), /tokenizer\.json is not valid JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tokenizer_config.json written by the trainer names the CLIP special tokens', () => {
  const cfg = tokenizerConfigJson(24) as Record<string, unknown>;
  assert.equal(cfg.eos_token, '<|endoftext|>');
  assert.equal(cfg.model_max_length, 24);
  const json = tokenizerJson(trainBpe(['a b'], { maxVocab: 300, minFrequency: 1 })) as { model: { type: string } };
  assert.equal(json.model.type, 'BPE');
});
