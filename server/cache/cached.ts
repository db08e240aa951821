/**
 * A small in-process cache for documents the hot path reads on every message and that
 * change rarely (inboxes, contacts by identity, policy rules, categories): entries live
 * for `maxAgeMs` at most and are dropped at once when this process changes them, so
 * another process's change is seen within `maxAgeMs`. Loads of one key are shared.
 */
export class Cached<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly loading = new Map<string, Promise<T>>();
  /** Bumped by every invalidation, so a load that began before it is not kept. */
  private generation = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const run = load()
      .then((value) => {
        if (generation === this.generation) this.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, run);
    return run;
  }

  /** The cached value, if there is a fresh one; never loads. */
  peek(key: string): T | undefined {
    const hit = this.entries.get(key);
    return hit && this.now() - hit.at < this.maxAgeMs ? hit.value : undefined;
  }

  set(key: string, value: T): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
