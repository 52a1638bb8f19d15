// One page of text-search results with the relevance floor applied (relevance.ts): every hit says
// whether it is a good match, the page says how many good matches the library holds, and a caller
// may page through the good matches alone. The floors live in the index in row order (set by
// SearchHost.relevance), so one int8 scan both ranks and judges every photo (docs/SEARCH.md).
import type { SearchHit } from './embedding-index.js';
import type { QueryTerm } from './query.js';
import type { RelevanceParts } from './search-host.js';
import { understands } from './relevance.js';
import type { SearchService } from './search-service.js';

/** Results reachable by paging: deeper pages cost a larger rerank and no one scrolls that far. */
export const MAX_RESULTS = 5000;

export interface TextSearchRequest {
  offset: number;
  limit: number;
  /** 'strong': only the good matches; 'all': every photo, best first. */
  show: 'strong' | 'all';
  filter?: Set<number>;
}

export interface TextSearchPage {
  hits: (SearchHit & { strong: boolean })[];
  /** Results there are to page through in this mode (at most MAX_RESULTS). */
  total: number;
  /** Good matches among the photos the filter allows. */
  strong: number;
  /** Whether the model knows the query's words (false: no match can be good). */
  understood: boolean;
}

/** A page of results for `terms`, whose query vector `q` the caller encoded (service.queryVector). */
export function searchTextPage(service: SearchService, parts: RelevanceParts, terms: readonly QueryTerm[], q: Float32Array, req: TextSearchRequest): TextSearchPage {
  const understood = understands(
    terms.filter((t) => t.weight > 0).map((t) => t.text),
    parts.knows,
  );
  // Not understood: nothing is a good match, so "good matches only" has nothing to rank.
  if (!understood && req.show === 'strong') return { hits: [], total: 0, strong: 0, understood };
  const { index } = service;
  const allowed = req.filter ? countIndexed(req.filter, (id) => index.has(id)) : index.size;
  // The page's end, bounded by what this mode can hold (the good matches are counted by the scan).
  const end = Math.min(req.offset + req.limit, MAX_RESULTS, allowed);
  const judged = index.searchJudged(q, Math.max(end, 0), { onlyAboveFloor: req.show === 'strong', ...(req.filter ? { filter: req.filter } : {}) });
  const strong = understood ? judged.aboveFloor : 0;
  const total = Math.min(req.show === 'strong' ? strong : allowed, MAX_RESULTS);
  const hits = judged.hits.slice(req.offset, Math.min(end, total)).map(({ id, score, aboveFloor }) => ({ id, score, strong: understood && aboveFloor }));
  return { hits, total, strong, understood };
}

function countIndexed(ids: Set<number>, indexed: (id: number) => boolean): number {
  let n = 0;
  for (const id of ids) if (indexed(id)) n++;
  return n;
}
