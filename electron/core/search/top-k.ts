// Bounded selection of the k largest scores: a binary min-heap over typed arrays, so scanning a
// million scores allocates nothing and most rows cost one comparison against the heap's minimum.

export class TopK {
  private readonly scores: Float64Array;
  private readonly items: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(Math.max(capacity, 1));
    this.items = new Float64Array(Math.max(capacity, 1));
  }

  /** The score a new item must beat to enter once the heap is full; -Infinity before. */
  get threshold(): number {
    return this.count < this.capacity ? -Infinity : (this.scores[0] as number);
  }

  /** Offers (score, item); keeps it if it is among the best `capacity` seen so far. */
  push(score: number, item: number): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.siftUp(this.count++, score, item);
    } else if (score > (this.scores[0] as number)) {
      this.siftDown(0, score, item);
    }
  }

  /** Items and scores, best first; ties broken by the smaller item for stable output. */
  drain(): { item: number; score: number }[] {
    const out: { item: number; score: number }[] = [];
    for (let i = 0; i < this.count; i++) out.push({ item: this.items[i] as number, score: this.scores[i] as number });
    this.count = 0;
    return out.sort((a, b) => b.score - a.score || a.item - b.item);
  }

  private siftUp(pos: number, score: number, item: number): void {
    const s = this.scores;
    const it = this.items;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if ((s[parent] as number) <= score) break;
      s[pos] = s[parent] as number;
      it[pos] = it[parent] as number;
      pos = parent;
    }
    s[pos] = score;
    it[pos] = item;
  }

  private siftDown(pos: number, score: number, item: number): void {
    const s = this.scores;
    const it = this.items;
    const n = this.count;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && (s[child + 1] as number) < (s[child] as number)) child++;
      if ((s[child] as number) >= score) break;
      s[pos] = s[child] as number;
      it[pos] = it[child] as number;
      pos = child;
    }
    s[pos] = score;
    it[pos] = item;
  }
}
