import type { KbSearchHit } from '@flexcord/contracts';

/** The short answer an agent drops into the reply box for an article: its title and its link. */
export function kbAnswer(article: Pick<KbSearchHit, 'title' | 'url'>): string {
  return `This article should help: ${article.title} – ${article.url}`;
}
