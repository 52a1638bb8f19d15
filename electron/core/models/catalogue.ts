// Models Shoebox offers to download: published CLIP exports on the Hugging Face Hub, in Immich's
// layout (immich-app/*) and one in the Transformers.js layout. Quality and speed are the figures
// Immich's documentation publishes (docs/docs/features/searching.md in immich-app/immich, read at
// commit 01a09bb): recall = mean of recall@1/5/10 for zero-shot image retrieval on
// Crossmodal-3600 in English; memory = peak RSS (MiB) and time = mean ms per image of the visual
// model, fp32 on a Ryzen 7800X3D CPU. Download sizes are estimates from the parameter count at
// fp32 (open_clip's model profile; 4 bytes a parameter); the exact size is listed by the Hub when
// a download starts.

export interface CatalogueEntry {
  /** Hugging Face repository id. */
  repo: string;
  displayName: string;
  layout: 'immich' | 'hf';
  embedDim: number;
  /** Languages a query may be written in. */
  languages: string;
  license: string;
  /** Estimated download size in bytes (fp32 weights); null where no parameter count is at hand. */
  approxBytes: number | null;
  /** Immich's figures (see the header), or null where Immich publishes none for these weights. */
  immich: { recallEnglish: number; memoryMiB: number; msPerImage: number } | null;
  /** Quantised or half-precision variants the repository offers beside fp32. */
  variants: string[];
  note?: string;
}

const fp32 = (millionParams: number): number => Math.round(millionParams * 1e6 * 4);

export const IMMICH_FIGURES_SOURCE = 'https://github.com/immich-app/immich/blob/01a09bb36ba03cfc135dbe48c886ad68e8d5e720/docs/docs/features/searching.md';

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    repo: 'immich-app/ViT-B-32__openai',
    displayName: 'CLIP ViT-B/32 (OpenAI)',
    layout: 'immich',
    embedDim: 512,
    languages: 'English',
    license: 'MIT',
    approxBytes: fp32(151.28),
    immich: { recallEnglish: 59.37, memoryMiB: 1004, msPerImage: 2.26 },
    variants: [],
    note: 'The original CLIP; fast. Good first choice on a slow machine.',
  },
  {
    repo: 'immich-app/ViT-B-16__openai',
    displayName: 'CLIP ViT-B/16 (OpenAI)',
    layout: 'immich',
    embedDim: 512,
    languages: 'English',
    license: 'MIT',
    approxBytes: fp32(149.62),
    immich: { recallEnglish: 58.27, memoryMiB: 985, msPerImage: 5.03 },
    variants: [],
  },
  {
    repo: 'immich-app/ViT-L-14__openai',
    displayName: 'CLIP ViT-L/14 (OpenAI)',
    layout: 'immich',
    embedDim: 768,
    languages: 'English',
    license: 'MIT',
    approxBytes: fp32(427.62),
    immich: { recallEnglish: 60.12, memoryMiB: 2212, msPerImage: 19.91 },
    variants: [],
  },
  {
    repo: 'immich-app/ViT-B-32__laion2b-s34b-b79k',
    displayName: 'OpenCLIP ViT-B/32 (LAION-2B)',
    layout: 'immich',
    embedDim: 512,
    languages: 'English',
    license: 'MIT',
    approxBytes: fp32(151.28),
    immich: { recallEnglish: 68.78, memoryMiB: 1001, msPerImage: 2.29 },
    variants: [],
    note: 'As fast as OpenAI’s ViT-B/32 and clearly better at retrieval.',
  },
  {
    repo: 'immich-app/ViT-B-16-SigLIP__webli',
    displayName: 'SigLIP ViT-B/16 (WebLI)',
    layout: 'immich',
    embedDim: 768,
    languages: 'English',
    license: 'Apache-2.0',
    approxBytes: fp32(203.16),
    immich: { recallEnglish: 71.64, memoryMiB: 1081, msPerImage: 5.77 },
    variants: [],
  },
  {
    repo: 'immich-app/ViT-B-16-SigLIP2__webli',
    displayName: 'SigLIP 2 ViT-B/16 (WebLI)',
    layout: 'immich',
    embedDim: 768,
    languages: 'Multilingual (best in English)',
    license: 'Apache-2.0',
    approxBytes: null,
    immich: { recallEnglish: 75.19, memoryMiB: 3038, msPerImage: 5.81 },
    variants: [],
  },
  {
    repo: 'immich-app/XLM-Roberta-Base-ViT-B-32__laion5b_s13b_b90k',
    displayName: 'Multilingual CLIP ViT-B/32 (XLM-RoBERTa)',
    layout: 'immich',
    embedDim: 512,
    languages: 'Multilingual (about 100 languages)',
    license: 'MIT',
    approxBytes: null,
    immich: { recallEnglish: 68.33, memoryMiB: 3030, msPerImage: 3.2 },
    variants: [],
  },
  {
    repo: 'immich-app/nllb-clip-base-siglip__v1',
    displayName: 'NLLB-CLIP base (SigLIP)',
    layout: 'immich',
    embedDim: 768,
    languages: 'Multilingual (about 200 languages)',
    license: 'CC-BY-NC-4.0',
    approxBytes: null,
    immich: { recallEnglish: 68.41, memoryMiB: 4675, msPerImage: 15.17 },
    variants: [],
    note: 'Non-commercial licence. Immich prefixes each query with a language tag for NLLB; Shoebox does not yet, so queries are read without one.',
  },
  {
    repo: 'Xenova/clip-vit-base-patch32',
    displayName: 'CLIP ViT-B/32 (OpenAI, Transformers.js export)',
    layout: 'hf',
    embedDim: 512,
    languages: 'English',
    license: 'MIT',
    approxBytes: fp32(151.28),
    immich: null,
    variants: ['quantized', 'fp16'],
    note: 'OpenAI’s ViT-B/32 weights, as Immich’s export; offers an int8 ("quantized") variant.',
  },
];

/** The catalogue entry of a repository id, if Shoebox lists it. */
export function catalogueEntry(repo: string): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.repo === repo);
}

/**
 * The id a downloaded repository is installed under: "immich-app/ViT-B-32__openai" →
 * "immich-app--ViT-B-32__openai"; a weight variant gets its own id ("…--quantized"), so the
 * fp32 and int8 forms can be installed side by side and measured against each other.
 */
export function modelIdOfRepo(repo: string, variant = ''): string {
  return `${repo.replace(/\//g, '--')}${variant ? `--${variant}` : ''}`;
}
