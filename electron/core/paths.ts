// Where Shoebox keeps its files. The data folder follows the platform convention (XDG on Linux:
// $XDG_DATA_HOME/shoebox or ~/.local/share/shoebox; %APPDATA% on Windows; ~/Library/Application
// Support on macOS), overridable with --data-dir or SHOEBOX_DATA_DIR.
import envPaths from 'env-paths';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from './project-root.js';

export interface DataPaths {
  root: string;
  database: string;
  thumbnails: string;
  models: string;
}

export function resolveDataDir(explicit?: string): string {
  const chosen = explicit ?? process.env['SHOEBOX_DATA_DIR'];
  if (chosen && chosen.trim() !== '') return path.resolve(chosen);
  return envPaths('shoebox', { suffix: '' }).data;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    database: path.join(root, 'library.sqlite'),
    thumbnails: path.join(root, 'thumbnails'),
    models: path.join(root, 'models'),
  };
}

/**
 * The folder holding the bundled models: `models/` at the repository root when running from
 * source or dist/, or `resources/models` inside a packaged app (electron-builder extraResources).
 */
export function bundledModelsDir(): string {
  const override = process.env['SHOEBOX_BUNDLED_MODELS'];
  if (override) return path.resolve(override);
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(path.join(resourcesPath, 'models'))) return path.join(resourcesPath, 'models');
  const root = findProjectRoot();
  if (root && existsSync(path.join(root, 'models'))) return path.join(root, 'models');
  throw new Error('Bundled models folder not found: set SHOEBOX_BUNDLED_MODELS to the folder that holds shoebox-mini/.');
}

export const DEFAULT_MODEL_ID = 'shoebox-mini';
