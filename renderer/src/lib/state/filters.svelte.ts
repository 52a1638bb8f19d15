// What narrows the photos shown: a library folder (the sidebar) and capture dates (the date
// fields, as they hold them: yyyy-mm-dd or empty). The library grid and searches read `filter`.
import type { ApiInput } from '../api/client.js';
import { dayEnd, dayStart } from '../util/dates.js';

export type PhotoFilter = NonNullable<ApiInput<'photos.list'>['filter']>;

export class FilterState {
  rootId = $state<number | undefined>(undefined);
  from = $state('');
  to = $state('');

  readonly filter: PhotoFilter = $derived.by(() => {
    const f: PhotoFilter = {};
    if (this.rootId !== undefined) f.rootId = this.rootId;
    const start = dayStart(this.from);
    const end = dayEnd(this.to);
    if (start !== undefined) f.takenFrom = start;
    if (end !== undefined) f.takenTo = end;
    return f;
  });

  readonly datesSet = $derived(this.filter.takenFrom !== undefined || this.filter.takenTo !== undefined);
}
