// Which words the active model knows: part 2 of the relevance floor (relevance.ts, docs/SEARCH.md).
// A model whose tokenizer has a small vocabulary (the bundled model's 434 tokens, learnt from its
// own captions) never learnt a word it can only spell piece by piece. A web-scale vocabulary
// (OpenAI CLIP's 49,408 BPE tokens, SigLIP's 32,000) splits real but rare words (axolotl, gnu)
// and other scripts (straße, 東京) into pieces too, so for those models every word counts as
// known and the scores alone decide. Words the person taught through captions count as known
// while a fine-tuned version is active: the adapter learnt them.
import { readFile } from 'node:fs/promises';
import type { ModelFolder } from '../clip/model-folder.js';
import { loadClipTokenizer } from '../clip/tokenizer.js';
import { isKnownWord, judgedWords } from './relevance.js';

/**
 * Vocabularies below this many tokens are small enough for the piece-count test: 434 (bundled)
 * is far below it, SigLIP's 32,000 and CLIP's 49,408 far above.
 */
export const SMALL_VOCABULARY = 8192;

export type KnowsWord = (word: string) => boolean;

const everyWord: KnowsWord = () => true;

/** The model's own test of a word: the piece count for a small vocabulary, every word for a large one. */
export async function modelKnows(folder: ModelFolder): Promise<KnowsWord> {
  if ((await vocabularySize(folder.files.tokenizer)) >= SMALL_VOCABULARY) return everyWord;
  const tokenizer = await loadClipTokenizer(folder.files, folder.contextLength, { clean: folder.textClean });
  const specials = (tokenizer.sotId === undefined ? 0 : 1) + 1;
  return (word) => isKnownWord(word, Math.max(1, tokenizer.tokenize(word).length - specials));
}

/** `knows`, and also the words of `captions` (what a fine-tuned version was taught). */
export function withTaught(knows: KnowsWord, captions: Iterable<string>): KnowsWord {
  const taught = new Set(judgedWords(captions));
  return taught.size === 0 ? knows : (word) => taught.has(word) || knows(word);
}

/** Tokens in a Hugging Face tokenizer.json (its model's vocabulary and the added tokens). */
export async function vocabularySize(tokenizerFile: string): Promise<number> {
  const json = JSON.parse(await readFile(tokenizerFile, 'utf8')) as { model?: { vocab?: unknown }; added_tokens?: unknown[] };
  const vocab = json.model?.vocab;
  const size = Array.isArray(vocab) ? vocab.length : vocab && typeof vocab === 'object' ? Object.keys(vocab).length : 0;
  if (size === 0) throw new Error(`Tokenizer ${tokenizerFile} has no vocabulary (model.vocab)`);
  return size + (json.added_tokens?.length ?? 0);
}
