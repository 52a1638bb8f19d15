// The library as a lazily loaded list: pages of photos fetched when the grid first shows them,
// at most a few requests in flight, and a refresh that keeps showing the old pages until their
// replacements arrive (so the grid does not flash while indexing adds photos).

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageLoader<T> = (offset: number, limit: number) => Promise<Page<T>>;

interface Slot<T> {
  items: T[];
  generation: number;
}

export class PagedList<T> {
  total = 0;
  private readonly pages = new Map<number, Slot<T>>();
  private readonly loading = new Map<number, Promise<void>>();
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly load: PageLoader<T>,
    private readonly onChange: () => void,
    readonly pageSize = 200,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** The item at `index`, if its page has arrived (possibly from before the last refresh). */
  at(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.items[index % this.pageSize];
  }

  /** Loads the pages covering items [from, to) that are missing or older than the last refresh. */
  ensure(from: number, to: number): Promise<void> {
    const first = Math.floor(Math.max(0, from) / this.pageSize);
    const last = Math.floor(Math.max(0, to - 1) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let page = first; page <= last; page++) waits.push(this.loadPage(page));
    return Promise.all(waits).then(() => undefined);
  }

  /** Resolves to the item at `index`, loading its page if needed; undefined past the end. */
  async get(index: number): Promise<T | undefined> {
    if (index < 0) return undefined;
    await this.ensure(index, index + 1);
    return this.at(index);
  }

  /** Marks every page stale; call ensure() for what is on screen. */
  refresh(): void {
    this.generation++;
  }

  dispose(): void {
    this.disposed = true;
  }

  private loadPage(page: number): Promise<void> {
    const slot = this.pages.get(page);
    if (slot && slot.generation === this.generation) return Promise.resolve();
    const pending = this.loading.get(page);
    if (pending) return pending;
    const generation = this.generation;
    const promise = this.load(page * this.pageSize, this.pageSize)
      .then((result) => {
        if (this.disposed) return;
        this.total = result.total;
        this.pages.set(page, { items: result.items, generation });
        // Pages past the new end are gone.
        for (const p of this.pages.keys()) if (p * this.pageSize >= result.total && p !== 0) this.pages.delete(p);
        this.onChange();
      })
      .catch((err: unknown) => {
        if (!this.disposed) this.onError(err);
      })
      .finally(() => this.loading.delete(page));
    this.loading.set(page, promise);
    return promise;
  }
}
