// Trains a small byte-level BPE tokenizer (GPT-2 / CLIP style) on a caption corpus and writes it
// in Hugging Face tokenizers JSON format, so the app loads it through the same code path as the
// tokenizer.json files of published CLIP models. Training-time tool only; the app never runs it.

/** GPT-2's reversible byte → printable-character table (Radford et al. 2019, encoder.py). */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  }
  return table;
}

/** The order ids 0..255 follow (printable bytes first, as in GPT-2 and CLIP's vocabularies). */
function byteAlphabetOrder(table: string[]): string[] {
  const printable: number[] = [];
  const rest: number[] = [];
  for (let b = 0; b < 256; b++) {
    const code = (table[b] as string).charCodeAt(0);
    (code === b ? printable : rest).push(b);
  }
  return [...printable, ...rest].map((b) => table[b] as string);
}

// The same split the ByteLevel pre-tokenizer applies (GPT-2's pattern).
const PRE_TOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

export interface BpeTrainOptions {
  /** Upper bound on the vocabulary, special tokens included. */
  maxVocab: number;
  /** A pair must occur at least this often (counting word frequency) to become a merge. */
  minFrequency: number;
}

export interface TrainedBpe {
  vocab: Map<string, number>;
  merges: Array<[string, string]>;
}

/** Normalise and pre-tokenise exactly as the saved tokenizer.json will (Lowercase, prefix space). */
function preTokenize(text: string, table: string[]): string[] {
  let t = text.toLowerCase();
  if (!t.startsWith(' ')) t = ' ' + t;
  const pieces = t.match(PRE_TOKENIZE) ?? [];
  return pieces.map((p) => Array.from(Buffer.from(p, 'utf8'), (b) => table[b] as string).join(''));
}

export function trainBpe(corpus: Iterable<string>, opts: BpeTrainOptions): TrainedBpe {
  const table = bytesToUnicode();
  const wordFreq = new Map<string, number>();
  for (const line of corpus) {
    for (const w of preTokenize(line, table)) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
  }
  // Each distinct word as its current symbol sequence; the corpus is small, so a plain
  // recount of pair frequencies per merge is fast enough and easy to verify.
  const words = [...wordFreq.entries()].map(([w, f]) => ({ symbols: Array.from(w), freq: f }));
  const vocab = new Map<string, number>();
  for (const ch of byteAlphabetOrder(table)) vocab.set(ch, vocab.size);
  const merges: Array<[string, string]> = [];
  const budget = opts.maxVocab - 2; // two special tokens at the end
  while (vocab.size < budget) {
    const counts = new Map<string, number>();
    for (const { symbols, freq } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] + '\u0000' + symbols[i + 1];
        counts.set(key, (counts.get(key) ?? 0) + freq);
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, c] of counts) {
      // Ties broken by the pair's text so training is deterministic.
      if (c > bestCount || (c === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = c;
      }
    }
    if (best === null || bestCount < opts.minFrequency) break;
    const [a, b] = best.split('\u0000') as [string, string];
    const merged = a + b;
    merges.push([a, b]);
    if (!vocab.has(merged)) vocab.set(merged, vocab.size);
    for (const w of words) {
      const out: string[] = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (i + 1 < w.symbols.length && w.symbols[i] === a && w.symbols[i + 1] === b) {
          out.push(merged);
          i++;
        } else {
          out.push(w.symbols[i] as string);
        }
      }
      w.symbols = out;
    }
  }
  // Special tokens last, end-of-text highest, as in CLIP's vocabulary (49406, 49407).
  vocab.set(START_TOKEN, vocab.size);
  vocab.set(END_TOKEN, vocab.size);
  return { vocab, merges };
}

/** The tokenizer.json document (Hugging Face tokenizers format). */
export function tokenizerJson(bpe: TrainedBpe): object {
  const special = (content: string) => ({
    id: bpe.vocab.get(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(START_TOKEN), special(END_TOKEN)],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: START_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: END_TOKEN, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: START_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: END_TOKEN, type_id: 1 } },
      ],
      special_tokens: {
        [START_TOKEN]: { id: START_TOKEN, ids: [bpe.vocab.get(START_TOKEN)], tokens: [START_TOKEN] },
        [END_TOKEN]: { id: END_TOKEN, ids: [bpe.vocab.get(END_TOKEN)], tokens: [END_TOKEN] },
      },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(bpe.vocab),
      merges: bpe.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/** tokenizer_config.json: the special tokens the app reads (pad = end-of-text, as OpenAI's CLIP). */
export function tokenizerConfigJson(contextLength: number): object {
  return {
    tokenizer_class: 'CLIPTokenizer',
    bos_token: START_TOKEN,
    eos_token: END_TOKEN,
    pad_token: END_TOKEN,
    unk_token: END_TOKEN,
    model_max_length: contextLength,
    do_lower_case: true,
    clean_up_tokenization_spaces: false,
  };
}
