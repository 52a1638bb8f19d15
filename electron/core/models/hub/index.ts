// The Hugging Face Hub downloader's public face: download a repository into a model folder, list
// a repository's files (sizes for a UI), and the errors both raise.
export { downloadHubRepo, type DownloadedFile, type DownloadedRepo, type HubDownloadOptions } from './download.js';
export { listHubFiles, type HubFile, type HubListOptions } from './hub-client.js';
export type { HubConnectionOptions, RetryNotice, RetryOptions } from './connection.js';
export type { DownloadProgress } from './progress.js';
export { DownloadCancelledError, HubError, type HubErrorKind } from './errors.js';
