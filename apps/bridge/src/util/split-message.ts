/** Discord's limit on a message's `content`. @see https://discord.com/developers/docs/resources/message#create-message */
export const DISCORD_MESSAGE_LIMIT = 2000;

const FENCE = /^(\s*)(```|~~~)(.*)$/;

/**
 * Splits text into Discord-sized messages without breaking words or Markdown: cuts fall on
 * paragraph, then line, then word boundaries, and a code block cut in two is closed at the end of
 * one part and reopened (same language) at the start of the next.
 */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  let reopen = '';
  while (rest.length) {
    const budget = limit - reopen.length;
    if (rest.length <= budget) {
      parts.push(reopen + rest);
      break;
    }
    // Leave room to close a code block that is still open at the cut.
    let cut = findCut(rest, budget - 4);
    let head = rest.slice(0, cut).trimEnd();
    const openFence = openFenceAtEnd(reopen + head);
    if (openFence !== null) {
      head = `${head}\n\`\`\``;
    }
    parts.push(reopen + head);
    rest = rest
      .slice(cut)
      .replace(/^\s*\n/, '')
      .trimStart();
    reopen = openFence !== null ? `\`\`\`${openFence}\n` : '';
    if (!head.length) cut = budget; // unreachable guard: findCut always advances
  }
  return parts;
}

function findCut(text: string, budget: number): number {
  const window = text.slice(0, budget + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    // A boundary in the first third would leave tiny parts: prefer a later, weaker one.
    if (at > budget / 3) return at + (separator === ' ' ? 1 : 0);
  }
  // One enormous word (a URL, a hash): cut it, there is no boundary.
  return budget;
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
