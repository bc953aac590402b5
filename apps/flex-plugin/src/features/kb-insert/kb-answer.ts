import type { KbSearchHit } from '@flexcord/contracts';

/**
 * The short answer an agent drops into the reply box for an article: its title and its link, or,
 * for an article without a page, its title and text.
 */
export function kbAnswer(article: Pick<KbSearchHit, 'title' | 'url' | 'excerpt'>): string {
  return article.url
    ? `This article should help: ${article.title} – ${article.url}`
    : `${article.title}: ${article.excerpt}`;
}
