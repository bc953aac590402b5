import { describe, expect, it } from 'vitest';
import { splitMessage } from '../src/util/split-message.ts';

describe('splitMessage', () => {
  it('keeps a short message whole', () => {
    expect(splitMessage('hello there')).toEqual(['hello there']);
  });

  it('splits long text at word boundaries under the limit, losing nothing', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const parts = splitMessage(words.join(' '));
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ').split(/\s+/)).toEqual(words);
  });

  it('prefers paragraph boundaries', () => {
    const paragraph = 'a'.repeat(1200);
    const parts = splitMessage(`${paragraph}\n\n${paragraph}`);
    expect(parts).toEqual([paragraph, paragraph]);
  });

  it('closes and reopens a code block cut in two', () => {
    const code = Array.from({ length: 200 }, (_, i) => `console.log(${i}); // line`).join('\n');
    const parts = splitMessage(`Try this:\n\`\`\`js\n${code}\n\`\`\`\nDone.`);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect((part.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(parts[1]?.startsWith('```js\n')).toBe(true);
  });

  it('cuts a single enormous word since it has no boundary', () => {
    const parts = splitMessage('x'.repeat(4500));
    expect(parts.map((part) => part.length)).toEqual([1996, 1996, 508]);
  });
});
