/**
 * A map that keeps the `capacity` most recently remembered keys: remembering one more forgets the
 * key remembered longest ago. For what the bridge may keep in memory to skip a read, and read again
 * when it has forgotten.
 */
export class RecentMap<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  constructor(private readonly capacity = 10_000) {}

  /** Keys remembered now (at most the capacity). */
  get size(): number {
    return this.entries.size;
  }

  get(key: Key): Value | undefined {
    return this.entries.get(key);
  }

  has(key: Key): boolean {
    return this.entries.has(key);
  }

  remember(key: Key, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: Key): void {
    this.entries.delete(key);
  }
}
