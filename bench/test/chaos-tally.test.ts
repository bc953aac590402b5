import { describe, expect, it } from 'vitest';
import { intact, tally } from '../src/chaos/tally.ts';

const chats = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe("the chaos run's tally", () => {
  it('counts a clean run as intact', () => {
    const sent = chats({ a: ['a0', 'a1', 'a2'], b: ['b0', 'b1'] });
    const result = tally(sent, chats({ a: ['a0', 'a1', 'a2'], b: ['b0', 'b1'] }));
    expect(result).toEqual({
      sent: 5,
      delivered: 5,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      inversions: 0,
      unexpected: 0,
    });
    expect(intact(result)).toBe(true);
  });

  it('tells lost, duplicated and reordered apart', () => {
    const sent = chats({ a: ['a0', 'a1', 'a2', 'a3', 'a4'] });
    // a1 lost, a3 twice, a2 after a4.
    const result = tally(sent, chats({ a: ['a0', 'a3', 'a4', 'a3', 'a2'] }));
    expect(result).toMatchObject({ sent: 5, delivered: 4, lost: 1, duplicated: 1, reordered: 1 });
    // (a3, a2) and (a4, a2) are the pairs out of order.
    expect(result.inversions).toBe(2);
    expect(intact(result)).toBe(false);
  });

  it('counts a message in the wrong chat as lost there and unexpected where it landed', () => {
    const sent = chats({ a: ['a0'], b: ['b0'] });
    const result = tally(sent, chats({ a: [], b: ['b0', 'a0'], c: ['stray'] }));
    expect(result).toMatchObject({ delivered: 1, lost: 1, unexpected: 2 });
    expect(intact(result)).toBe(false);
  });

  it('a chat interleaved with catch-up (…120, 241, 121…) counts every late message', () => {
    const texts = Array.from({ length: 6 }, (_, i) => `m${i}`);
    const result = tally(chats({ a: texts }), chats({ a: ['m0', 'm3', 'm1', 'm4', 'm2', 'm5'] }));
    expect(result).toMatchObject({ lost: 0, duplicated: 0, reordered: 2, inversions: 3 });
  });
});
