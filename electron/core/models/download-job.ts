// Downloading a model from the Hugging Face Hub, as a background job (kind 'model-download', in
// its own lane so it does not wait for indexing): only the files a model folder needs (either
// layout; one weight variant), fetched, resumed and verified by models/hub, then moved into the
// data folder's models/ with Shoebox's record (manifest.json: repo, revision, files with sha256)
// in one rename. An interrupted, cancelled or corrupt download installs nothing.
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { JobContext, JobRunner } from '../jobs/runner.js';
import type { JobProgress } from '../jobs/kinds.js';
import { catalogueEntry, modelIdOfRepo } from './catalogue.js';
import type { HubConnectionOptions } from './hub/index.js';
import { installStaged, stagingFolder } from './import.js';
import { STAGING } from './installed.js';

export type DownloadParams = { repo: string; revision: string | null; variant: string | null };

export interface DownloadJobProgress extends JobProgress {
  filesDone?: number;
  filesTotal?: number;
}

export interface DownloadResult {
  id: string;
  dir: string;
  repo: string;
  revision: string;
  bytes: number;
}

/**
 * Which files of a repository a model folder needs: the configs and tokenizer files at the root,
 * every file directly in visual/ and textual/ (Immich's layout; external weights sit beside
 * model.onnx under names of their own), and in onnx/ the two encoders of the chosen variant with
 * their external data. Other accelerators' formats, READMEs, images and a manifest.json of the
 * repository's own (ours is written on install) are left out.
 */
export function modelFileFilter(variant: string): (file: string) => boolean {
  const suffix = variant === '' ? '' : `_${variant.replace(/[^\w]/g, '')}`;
  const encoder = new RegExp(`^onnx/(vision|text)_model${suffix}\\.onnx(_data(_\\d+)?)?$`);
  const rootFiles = new Set(['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt']);
  return (file) => {
    if (rootFiles.has(file)) return true;
    if (/^(visual|textual)\/[^/]+$/.test(file)) return !/\.(armnn|rknn|tflite|mlmodel)$/.test(file);
    return encoder.test(file);
  };
}

export interface DownloadDeps {
  jobs: JobRunner;
  installedDir: string;
  /** Endpoint, token, retries (tests); default: HF_ENDPOINT, HF_TOKEN and the proxy variables. */
  hub?: HubConnectionOptions;
}

export function startDownloadJob(deps: DownloadDeps, params: DownloadParams): number {
  return deps.jobs.start('model-download', params, (ctx) => downloadModel(deps, params, ctx)).id;
}

async function downloadModel(deps: DownloadDeps, params: DownloadParams, ctx: JobContext<DownloadJobProgress>): Promise<DownloadResult> {
  const id = modelIdOfRepo(params.repo, params.variant ?? '');
  const staging = await stagingFolder(deps.installedDir, id);
  try {
    // Loaded here, not at start-up: the HTTP client (undici) is ~0.1 s of every command's start.
    const { downloadHubRepo } = await import('./hub/index.js');
    const downloaded = await downloadHubRepo({
      ...deps.hub,
      repo: params.repo,
      ...(params.revision ? { revision: params.revision } : {}),
      destDir: path.join(staging, 'model'),
      stagingDir: path.join(deps.installedDir, STAGING),
      include: modelFileFilter(params.variant ?? ''),
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({ done: p.bytesDone, total: p.bytesTotal, currentFile: p.currentFile, filesDone: p.filesDone, filesTotal: p.filesTotal }),
    });
    const entry = catalogueEntry(params.repo);
    const dir = await installStaged(
      downloaded.dir,
      deps.installedDir,
      {
        id,
        displayName: entry?.displayName ?? params.repo,
        source: `https://huggingface.co/${params.repo}`,
        license: entry?.license ?? 'see the repository’s model card',
        revision: downloaded.revision,
        ...(params.variant ? { variant: params.variant } : {}),
      },
      downloaded.files,
    );
    return { id, dir, repo: params.repo, revision: downloaded.revision, bytes: downloaded.files.reduce((s, f) => s + f.size, 0) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
