// Execution providers: which ONNX Runtime backends to try, in order, for this platform, and session
// creation that falls back to the next one when a provider cannot start (missing CUDA libraries, no
// DirectML device …), recording why. CPU always ends the list, so a session can always be made.
import os from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import type { Ort } from './ort.js';
import { errorMessage } from '../../common/error-message.js';

const PROVIDERS = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const DEFAULTS: Partial<Record<NodeJS.Platform, ProviderName[]>> = {
  linux: ['cuda', 'cpu'],
  win32: ['dml', 'cpu'],
  darwin: ['coreml', 'cpu'],
};

function isProvider(name: string): name is ProviderName {
  return (PROVIDERS as readonly string[]).includes(name);
}

/**
 * The providers to try, best first. `requested` (an option, else the SHOEBOX_EP environment variable)
 * is a name or a comma-separated list such as "cuda" or "dml,cpu"; 'cpu' is appended when missing.
 */
export function providerPreference(
  requested?: string | readonly string[],
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): ProviderName[] {
  const fromEnv = env.SHOEBOX_EP?.trim() ? env.SHOEBOX_EP : undefined;
  const raw = requested ?? fromEnv;
  const origin = requested !== undefined ? 'the provider option' : 'SHOEBOX_EP';
  let list: ProviderName[];
  if (raw === undefined) {
    list = [...(DEFAULTS[platform] ?? ['cpu'])];
  } else {
    const names = (typeof raw === 'string' ? raw.split(',') : [...raw]).map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (names.length === 0) throw new Error(`${origin} is empty; use one or more of ${PROVIDERS.join(', ')}`);
    list = names.map((name) => {
      if (!isProvider(name)) {
        throw new Error(`Unknown execution provider "${name}" in ${origin}; use one of ${PROVIDERS.join(', ')}`);
      }
      return name;
    });
  }
  if (!list.includes('cpu')) list.push('cpu');
  return [...new Set(list)];
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism());
}

export interface ProviderAttempt {
  provider: ProviderName;
  error: string;
}

export interface CreatedSession {
  session: InferenceSession;
  provider: ProviderName;
  /** Providers tried before the one that worked, and why each failed. */
  failed: ProviderAttempt[];
}

export interface SessionSettings {
  providers: readonly ProviderName[];
  threads: number;
  /**
   * Let ONNX Runtime's intra-op threads busy-wait between runs. Off by default: with 2 cores shared
   * with photo decoding (or anything else), spinning threads starve the work they wait for; measured
   * here on shoebox-mini, 2 threads, a busy machine: text 2.7–3.1 ms with spinning vs 0.6–0.8 ms
   * without, image batch 1 2.6–3.3 ms vs 0.33 ms.
   */
  spinning?: boolean;
}

/** Creates a session on the first provider of the list that starts; throws only if none does. */
export async function createSessionWithFallback(ort: Ort, modelFile: string, settings: SessionSettings): Promise<CreatedSession> {
  const failed: ProviderAttempt[] = [];
  for (const provider of settings.providers) {
    try {
      const session = await ort.InferenceSession.create(modelFile, {
        executionProviders: [provider],
        intraOpNumThreads: settings.threads,
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: settings.spinning ? '1' : '0' } } },
      });
      return { session, provider, failed };
    } catch (err) {
      failed.push({ provider, error: errorMessage(err) });
    }
  }
  throw new Error(
    `Cannot open ${modelFile} with any execution provider: ` + failed.map((f) => `${f.provider}: ${f.error}`).join('; '),
  );
}

/** One line for people: "cuda: Failed to load shared library; …". */
export function describeFallback(failed: readonly ProviderAttempt[]): string | undefined {
  if (failed.length === 0) return undefined;
  return failed.map((f) => `${f.provider} unavailable (${f.error.split('\n')[0]?.trim()})`).join('; ');
}
