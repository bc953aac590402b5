import { clipCodePoints, codePoints } from './safe-text.ts';

/**
 * Discord's limit on a message's `content`, in Unicode code points (what Discord counts: an emoji
 * outside the BMP is one, though it is two UTF-16 units).
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export const DISCORD_MESSAGE_LIMIT = 2000;

const FENCE = /^(\s*)(```|~~~)(.*)$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits text into Discord-sized messages without breaking characters, words or Markdown: sizes
 * are counted in code points; cuts fall on paragraph, then line, then word boundaries, and where
 * there is none, between two graphemes (an emoji with its modifiers, a flag, a letter with its
 * accents stays whole); a code block cut in two is closed at the end of one part and reopened
 * (same language) at the start of the next.
 */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  let reopen = '';
  while (rest.length) {
    const budget = limit - codePoints(reopen);
    if (codePoints(rest) <= budget) {
      parts.push(reopen + rest);
      break;
    }
    // Leave room to close a code block that is still open at the cut.
    const cut = findCut(rest, budget - 4);
    let head = rest.slice(0, cut).trimEnd();
    const openFence = openFenceAtEnd(reopen + head);
    if (openFence !== null) head = `${head}\n\`\`\``;
    parts.push(reopen + head);
    rest = rest
      .slice(cut)
      .replace(/^\s*\n/, '')
      .trimStart();
    reopen = openFence !== null ? `\`\`\`${openFence}\n` : '';
  }
  return parts;
}

/** Where to cut `text` (a UTF-16 index, > 0) so that the head holds at most `budget` code points. */
function findCut(text: string, budget: number): number {
  const end = graphemeEnd(text, budget);
  // One code unit more: a separator right at the limit still counts (it is trimmed off the head).
  const window = text.slice(0, end + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    // A boundary in the first third would leave tiny parts: prefer a later, weaker one.
    if (at > end / 3) return at + (separator === ' ' ? 1 : 0);
  }
  // One enormous word (a URL, a hash, a run of emoji): cut it between graphemes.
  return end;
}

/**
 * The end (UTF-16 index) of the longest run of whole graphemes from the start of `text` within
 * `budget` code points; a single grapheme longer than that (a letter under thousands of combining
 * marks) is cut after `budget` code points, so a cut always moves on and never halves a pair.
 */
function graphemeEnd(text: string, budget: number): number {
  let end = 0;
  let used = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = codePoints(segment);
    if (used + size > budget) {
      if (end > 0) return end;
      return index + clipCodePoints(segment, budget).length;
    }
    used += size;
    end = index + segment.length;
  }
  return end;
}

/** The language of a code fence left open at the end of `text`, or null when none is open. */
function openFenceAtEnd(text: string): string | null {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const match = FENCE.exec(line);
    if (!match) continue;
    open = open === null ? (match[3] ?? '').trim() : null;
  }
  return open;
}
