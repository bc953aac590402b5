import { describe, expect, it } from 'vitest';
import { RecentMap } from '../src/infrastructure/util/recent-map.ts';

describe('RecentMap', () => {
  it('forgets the key remembered longest ago, counting a key remembered again as new', () => {
    const map = new RecentMap<string, number>(2);
    map.remember('a', 1);
    map.remember('b', 2);
    map.remember('a', 3);
    map.remember('c', 4);
    expect(map.has('b')).toBe(false);
    expect(map.get('a')).toBe(3);
    expect(map.get('c')).toBe(4);
    map.forget('a');
    expect(map.get('a')).toBeUndefined();
  });
});
