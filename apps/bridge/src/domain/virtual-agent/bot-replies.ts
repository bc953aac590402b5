import type { KbSearchHit } from '@flexcord/contracts';
import type { OutboxInput } from '../../infrastructure/outbox/kind-registry.ts';
import { t } from '../i18n/messages.ts';
import type { KbOutcome } from '../kb/kb-confidence.ts';

/**
 * How the virtual agent's answer looks to the member (a port: the Discord adapter renders an embed
 * with the articles and the "This helped" / "Talk to an agent" buttons, each carrying `answerId`
 * so what the member presses is recorded against what they were shown). With no hits, only the
 * way to an agent.
 */
export interface AnswerLook {
  answer(input: {
    hits: KbSearchHit[];
    language: string | null;
    outcome: KbOutcome;
    answerId: string | null;
    /** With no hits, also offer the brand's help topics (the chat has none yet). */
    offerTopics?: boolean;
  }): Pick<OutboxInput<'discord.message'>, 'content' | 'embeds' | 'components'>;
}

/** The same answer as plain text, for the Conversation, so the agent later sees what the bot said. */
export function answerTranscript(
  hits: KbSearchHit[],
  language: string | null,
  outcome: KbOutcome = 'answer',
): string {
  if (!hits.length) return t(language, 'bot.noMatch');
  return [
    t(language, outcome === 'candidates' ? 'bot.candidates' : 'bot.found'),
    ...hits
      .slice(0, 3)
      .map((hit) => (hit.url ? `• ${hit.title} — ${hit.url}` : `• ${hit.title}\n${hit.excerpt}`)),
  ].join('\n');
}
