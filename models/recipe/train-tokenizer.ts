// Trains the bundled model's byte-level BPE on the synthetic caption corpus and writes
// models/shoebox-mini/textual/{tokenizer.json, tokenizer_config.json}.
//   npx tsx models/recipe/train-tokenizer.ts [--out models/shoebox-mini] [--scenes 20000] [--seed 7]

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { captionsFor, canonicalCaption, sampleScene } from '../../electron/core/synthetic/index.js';
import { Rng } from '../../electron/core/synthetic/rng.js';
import { BACKGROUND_PHRASES } from '../../electron/core/synthetic/vocabulary.js';
import { tokenizerConfigJson, tokenizerJson, trainBpe } from './bpe-trainer.js';
import { backgroundPrompts, objectPrompts } from './zero-shot.js';

export const CONTEXT_LENGTH = 24;
export const MAX_VOCAB = 1000;

/** Caption corpus: training-scene captions plus the evaluation prompts (words, not pairings). */
export function captionCorpus(scenes: number, seed: number): string[] {
  const rng = new Rng(seed);
  const corpus: string[] = [];
  for (let i = 0; i < scenes; i++) {
    const spec = sampleScene(rng, { allowHeldOut: false });
    corpus.push(canonicalCaption(spec), ...captionsFor(spec, rng, 3));
  }
  corpus.push(...objectPrompts(), ...backgroundPrompts(BACKGROUND_PHRASES));
  return corpus;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'models/shoebox-mini' },
      scenes: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '7' },
    },
  });
  const corpus = captionCorpus(Number(values.scenes), Number(values.seed));
  const bpe = trainBpe(corpus, { maxVocab: MAX_VOCAB, minFrequency: 2 });
  const dir = path.join(values.out as string, 'textual');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(bpe), null, 1) + '\n');
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(CONTEXT_LENGTH), null, 2) + '\n');
  console.log(`corpus ${corpus.length} lines → vocab ${bpe.vocab.size} (${bpe.merges.length} merges) in ${dir}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
