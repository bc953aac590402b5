import type { PublicPost } from '@flexcord/contracts';

/**
 * A Discord masked link, `[label](url)`: what the member reads is the label (a post's or a
 * channel's name), never the raw `discord.com/channels/…` address. Discord renders masked links in
 * interaction replies, webhooks and embeds, and since its 2023 Markdown update in every message
 * (https://github.com/Rapptz/discord.py/discussions/8451, https://paradoxv5.github.io/Discord-Markdown).
 * Brackets in the label are escaped so a subject cannot close the link early.
 */
export function maskedLink(label: string, url: string): string {
  const safe = label
    .replace(/[\\[\]]/g, (char) => `\\${char}`)
    .replace(/\s+/g, ' ')
    .trim();
  return `[${safe || url}](${url})`;
}

/**
 * The link to a case's public post, labelled with the post's name (`#12 · Login fails`, or
 * `#bug-report` for a message in a text channel); `#<case number>` for a post recorded before names were kept.
 * Empty when there is no post.
 */
export function postLink(post: PublicPost | null | undefined, caseNumber: number): string {
  if (!post) return '';
  return maskedLink(post.name ?? `#${caseNumber}`, post.url);
}
