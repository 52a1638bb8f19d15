// Human-readable output of the CLI commands (the --json form prints the API's answer instead).
import type { ApiOutput } from '../core/api/table.js';
import type { IndexSummary } from '../core/library/index-job.js';

/** Prints a command's result: as JSON with --json, else in the command's human form. */
export function printResult<T>(json: boolean, result: T, print: (r: T) => void): void {
  if (json) console.log(JSON.stringify(result, null, 2));
  else print(result);
}

/** A text search's hits; under the relevance floor (docs/SEARCH.md) it says when none is a good match and marks the weaker ones. */
export function printTextHits(r: ApiOutput<'search.text'>): void {
  // Marked only when some are good matches: with none, the line after the list says so of all.
  const weaker = r.strong > 0 ? (h: { strong: boolean }) => !h.strong : undefined;
  printHits(r.hits, r.terms, undefined, weaker);
  if (r.hits.length === 0) return;
  if (r.strong === 0) console.log(r.understood ? 'No good matches: these are the closest photos, none of them a good match.' : 'No good matches: the model does not know these words; these are the closest photos anyway.');
  else if (r.hits.some((h) => !h.strong)) console.log(`${r.strong} good ${r.strong === 1 ? 'match' : 'matches'} in the library; those marked (weaker) are not good matches.`);
}

export function printHits<H extends ApiOutput<'search.similar'>['hits'][number]>(
  hits: readonly H[],
  terms: ApiOutput<'search.text'>['terms'] | null,
  like?: string,
  isWeaker?: (hit: H) => boolean,
): void {
  if (like) console.log(`Most like ${like}:`);
  if (terms && terms.length > 1) console.log(`Query: ${terms.map((t) => `${t.weight >= 0 ? '+' : '-'}${Math.abs(t.weight)}×"${t.text}"`).join(' ')}`);
  if (hits.length === 0) {
    console.log('No photos indexed yet. Index a folder first: shoebox index ~/Pictures');
    return;
  }
  hits.forEach((h, i) => console.log(`${String(i + 1).padStart(3)}. ${h.score.toFixed(3)}  ${h.path}${isWeaker?.(h) ? '  (weaker)' : ''}`));
}

export function printIndexSummary(s: IndexSummary): void {
  const parts = [
    `${s.indexed} indexed`,
    `${s.unchanged} unchanged`,
    ...(s.moved ? [`${s.moved} moved or renamed (kept)`] : []),
    ...(s.missing ? [`${s.missing} missing`] : []),
    `${s.failed.length + s.scanErrors.length} failed`,
  ];
  const rate = s.seconds > 0 ? ` (${(s.indexed / s.seconds).toFixed(1)} photos/s)` : '';
  console.log(`${s.cancelled ? 'Cancelled' : 'Done'} in ${s.seconds.toFixed(1)} s${rate}: ${parts.join(', ')}.`);
  for (const e of s.scanErrors) console.log(`  ✗ ${e.path}: ${e.message}`);
  for (const f of s.failed) console.log(`  ✗ ${f.reason}`);
  if (s.captions && s.captions.added + s.captions.updated + s.captions.failed.length > 0) {
    console.log(`Captions from sidecars and metadata: ${s.captions.added} added, ${s.captions.updated} updated, ${s.captions.failed.length} unreadable.`);
    for (const f of s.captions.failed) console.log(`  ✗ ${f.path}: ${f.reason}`);
  }
}

export function printStatus(s: ApiOutput<'status'>): void {
  const total = s.photos.indexed + s.photos.failed + s.photos.missing;
  console.log(`Library:   ${s.dataDir}`);
  console.log(`Photos:    ${s.photos.indexed} indexed, ${s.photos.failed} failed, ${s.photos.missing} missing (${total} known)`);
  console.log(`Folders:   ${s.roots.length === 0 ? 'none' : s.roots.map((r) => r.path).join(', ')}`);
  if (s.model) {
    const fallback = s.model.providerFallbackReason ? ` (${s.model.providerFallbackReason})` : '';
    console.log(`Model:     ${s.model.displayName} [${s.model.modelId}], ${s.model.embedDim}-d, ${s.model.imageSize} px`);
    console.log(`Provider:  ${s.model.provider}${fallback}, ${s.model.threads} threads`);
  } else {
    console.log(`Model:     not loaded (${s.modelError ?? 'unknown error'}) from ${s.modelDir}`);
  }
  console.log(`Errors:    ${s.errors}${s.errors > 0 ? ' (shoebox errors lists them)' : ''}`);
  for (const j of s.jobs) console.log(`Job:       ${j.kind} #${j.jobId} ${j.state} ${j.done}/${j.total ?? '?'}`);
}

export function printErrors(r: ApiOutput<'errors.list'>): void {
  if (r.total === 0) {
    console.log('No errors.');
    return;
  }
  for (const e of r.errors) console.log(`${e.path}\n    ${e.stage}: ${e.message}`);
  console.log(`${r.total} file(s) could not be indexed.`);
}
