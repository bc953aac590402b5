import { describe, expect, it } from 'vitest';
import { splitMessage } from '../src/infrastructure/util/split-message.ts';

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

describe('splitMessage on code points, never half a character', () => {
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const codePoints = (text: string) => [...text].length;

  it('counts as Discord does (code points): 1,100 emoji and a word are one message', () => {
    const text = `ok ${'🎉'.repeat(1100)}`;
    expect(splitMessage(text)).toEqual([text]);
  });

  it('cuts a run of emoji between characters, each part within 2,000 code points', () => {
    const text = '🎉'.repeat(4500);
    const parts = splitMessage(text);
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(codePoints(part)).toBeLessThanOrEqual(2000);
      expect(part).not.toMatch(loneSurrogate);
    }
    expect(parts.join('')).toBe(text);
  });

  it('keeps a grapheme (a family emoji, a flag, an accent) whole', () => {
    const family = '👨‍👩‍👧‍👦'; // 7 code points, 11 UTF-16 units
    const text = family.repeat(600);
    const parts = splitMessage(text);
    for (const part of parts) {
      expect(codePoints(part)).toBeLessThanOrEqual(2000);
      expect(part.length % family.length).toBe(0);
    }
    expect(parts.join('')).toBe(text);
    const flags = `${'🇫🇷'.repeat(1500)}`;
    for (const part of splitMessage(flags)) expect(part.length % 4).toBe(0);
  });

  it('still cuts one grapheme longer than a message (combining marks) on code points', () => {
    const zalgo = `a${'\u0301'.repeat(4100)}`;
    const parts = splitMessage(zalgo);
    for (const part of parts) expect(codePoints(part)).toBeLessThanOrEqual(2000);
    expect(parts.join('')).toBe(zalgo);
  });

  it('reopens a code block of emoji within the limit', () => {
    const parts = splitMessage(`\`\`\`txt\n${'🎉'.repeat(3000)}\n\`\`\``);
    expect(parts.length).toBe(2);
    for (const part of parts) {
      expect(codePoints(part)).toBeLessThanOrEqual(2000);
      expect(part).not.toMatch(loneSurrogate);
      expect((part.match(/```/g) ?? []).length).toBe(2);
    }
  });
});
