import { describe, expect, it } from 'vitest';
import { eventually } from '../src/eventually.ts';

describe('eventually', () => {
  it('returns the first value the probe gives that is not undefined or false, retrying throws', async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return calls < 4 ? false : { calls };
    }, 'the fourth call');
    expect(value).toEqual({ calls: 4 });
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('connection refused');
        },
        'the bridge',
        100,
      ),
    ).rejects.toThrow('timed out waiting for the bridge: Error: connection refused');
  });
});
