/** Words shorter than this are never corrected: at 3 letters every word is one edit from many others. */
const MIN_LENGTH = 4;
/** From this length a word may be two edits away from what the member meant. */
const TWO_EDITS_FROM = 8;
const MAX_LENGTH = 24;

/** Edits a word of `length` letters may be away from a correction of it. */
export function allowedEdits(length: number): number {
  if (length < MIN_LENGTH) return 0;
  return length >= TWO_EDITS_FROM ? 2 : 1;
}

/** 32-bit FNV-1a: the deletion index keeps hashes, not strings (a KB of 10,000 articles has ~50,000 words). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The word and every word one letter shorter than it. */
function withDeletes(word: string): string[] {
  const variants = [word];
  for (let i = 0; i < word.length; i++) variants.push(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or `max + 1` as
 * soon as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2 = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, previous2[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Corrects a misspelt word to words of a known vocabulary (the KB's own words and the
 * vocabulary's), by symmetric deletion: a vocabulary word and a typo of it share a string made by
 * deleting a letter or two. The index holds each word's one-letter deletions as sorted hashes;
 * a lookup hashes the typo's deletions (two letters deep for long words) and checks the real
 * distance of what they point to.
 */
export class TypoCorrector {
  private words: string[] = [];
  private weights: number[] = [];
  private hashes = new Uint32Array(0);
  private wordIds = new Uint32Array(0);

  /** `words`: each correctable word with how common it is (corrections prefer common words). */
  constructor(words: Iterable<[string, number]> = []) {
    const pairs: [number, number][] = [];
    for (const [word, weight] of words) {
      if (word.length < MIN_LENGTH || word.length > MAX_LENGTH || /\d/.test(word)) continue;
      const id = this.words.length;
      this.words.push(word);
      this.weights.push(weight);
      for (const variant of new Set(withDeletes(word))) pairs.push([hash(variant), id]);
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.hashes = Uint32Array.from(pairs, (pair) => pair[0]);
    this.wordIds = Uint32Array.from(pairs, (pair) => pair[1]);
  }

  get size(): number {
    return this.words.length;
  }

  /** Up to `limit` words `word` may be a typo of, nearest first, then most common. */
  corrections(
    word: string,
    limit = 2,
    accept: (candidate: string) => boolean = () => true,
  ): { word: string; edits: number }[] {
    const max = allowedEdits(word.length);
    if (!max || word.length > MAX_LENGTH || /\d/.test(word)) return [];
    const variants = new Set(withDeletes(word));
    if (max >= 2)
      for (const shorter of withDeletes(word).slice(1)) for (const v of withDeletes(shorter)) variants.add(v);
    const found = new Map<number, number>();
    for (const variant of variants) {
      const h = hash(variant);
      for (let at = this.lowerBound(h); at < this.hashes.length && this.hashes[at] === h; at++) {
        const id = this.wordIds[at]!;
        if (found.has(id)) continue;
        const candidate = this.words[id]!;
        found.set(id, candidate === word ? max + 1 : editDistance(word, candidate, max));
      }
    }
    return [...found]
      .filter(([id, edits]) => edits <= max && accept(this.words[id]!))
      .sort((a, b) => a[1] - b[1] || this.weights[b[0]]! - this.weights[a[0]]!)
      .slice(0, limit)
      .map(([id, edits]) => ({ word: this.words[id]!, edits }));
  }

  private lowerBound(h: number): number {
    let low = 0;
    let high = this.hashes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.hashes[mid]! < h) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
