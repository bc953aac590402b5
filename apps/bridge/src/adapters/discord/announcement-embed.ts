import type { APIEmbed } from 'discord.js';
import {
  type Announcement,
  type AnnouncementLook,
  truncate,
} from '../../domain/announcements/announcement-items.ts';

/** Embed limits we keep to: Discord's own for the title, a readable teaser for the summary. */
const TITLE_MAX = 256;
const SUMMARY_MAX = 400;
const FOOTER_MAX = 2048;

/**
 * The Discord embed for an item: title (≤ 256), link, a plain-text teaser, the image, the source's
 * name in the footer and the publication time.
 *
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export function announcementEmbed(item: Announcement, sourceName: string, now: Date): APIEmbed {
  const summary = item.summary ? truncate(item.summary, SUMMARY_MAX) : '';
  return {
    title: truncate(item.title.replace(/\s+/g, ' ').trim() || 'New announcement', TITLE_MAX),
    ...(item.url ? { url: item.url } : {}),
    ...(summary ? { description: summary } : {}),
    ...(item.imageUrl ? { image: { url: item.imageUrl } } : {}),
    footer: { text: truncate(sourceName, FOOTER_MAX) },
    timestamp: (item.publishedAt ?? now).toISOString(),
  };
}

/** Announcements on Discord: one embed per item. */
export const discordAnnouncementLook: AnnouncementLook<{ embeds: APIEmbed[] }> = {
  message: (item, sourceName, now) => ({ embeds: [announcementEmbed(item, sourceName, now)] }),
};
