import type { KbSearchHit } from '@flexcord/contracts';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { t } from '../../domain/i18n/messages.ts';
import type { KbOutcome } from '../../domain/kb/kb-confidence.ts';
import { HelpTopics } from '../../domain/topics/help-topics.ts';
import { type AnswerLook, answerTranscript } from '../../domain/virtual-agent/bot-replies.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';
import { topicMenu } from './help-topic-look.ts';

// How the virtual agent's answer looks on Discord: one embed and its buttons, with their custom ids.
// What is answered, and what is recorded of it, is the domain's (domain/virtual-agent/).

/**
 * custom_id prefixes of the bot's buttons (≤ 100 chars). After an answer they carry its id
 * (`flexcord:helped:42`), so what the member presses is recorded against what they were shown.
 */
export const BUTTON_TALK_TO_AGENT = 'flexcord:agent';
export const BUTTON_HELPED = 'flexcord:helped';

const BLURPLE = 0x5865f2;

/** True for a "This helped" button, of any answer. */
export function isHelpedButton(customId: string): boolean {
  return customId === BUTTON_HELPED || customId.startsWith(`${BUTTON_HELPED}:`);
}

/** True for a "Talk to an agent" button, of any answer. */
export function isTalkToAgentButton(customId: string): boolean {
  return customId === BUTTON_TALK_TO_AGENT || customId.startsWith(`${BUTTON_TALK_TO_AGENT}:`);
}

/** The id of the answer a button was shown with, or null (a button from before answers were recorded). */
export function answerIdOf(customId: string): string | null {
  const id = /^flexcord:(?:helped|agent):(\d{1,18})$/.exec(customId)?.[1];
  return id ?? null;
}

function withAnswer(prefix: string, answerId: string | null): string {
  return answerId ? `${prefix}:${answerId}` : prefix;
}

export function answerButtons(
  language: string | null,
  answerId: string | null = null,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          custom_id: withAnswer(BUTTON_HELPED, answerId),
          label: t(language, 'bot.helped'),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: withAnswer(BUTTON_TALK_TO_AGENT, answerId),
          label: t(language, 'bot.talkToAgent'),
        },
      ],
    },
  ];
}

/** Only "Talk to an agent", for when the KB had nothing. */
export function agentButtonOnly(
  language: string | null,
  answerId: string | null = null,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return answerButtons(language, answerId).map((row) => ({
    ...row,
    components: row.components.filter(
      (button) => 'custom_id' in button && isTalkToAgentButton(button.custom_id),
    ),
  }));
}

/**
 * The KB answer as one embed: the article (an answer) or the 2–3 it may be (candidates), each with
 * a short excerpt and a link (or the article's text when it has no page), framed in the member's language.
 */
export function answerEmbed(
  hits: KbSearchHit[],
  language: string | null,
  outcome: KbOutcome = 'answer',
): APIEmbed {
  const candidates = outcome === 'candidates';
  return {
    title: t(language, candidates ? 'bot.candidates' : 'bot.found'),
    color: BLURPLE,
    fields: hits.slice(0, 3).map((hit) => ({
      name: clipCodePoints(hit.title, 256),
      // An article without a page is shown by its text (the hit's excerpt is then the text).
      value: hit.url
        ? `${clipCodePoints(hit.excerpt, 900)}\n[${t(language, 'bot.readMore')}](${hit.url})`
        : clipCodePoints(hit.excerpt, 1024),
    })),
    footer: { text: t(language, candidates ? 'bot.candidatesFooter' : 'bot.foundFooter') },
  };
}

/**
 * The answer on Discord: the embed and both buttons, or only "Talk to an agent" when nothing
 * matched — with the brand's help topics under it when the bot is to offer them.
 */
export function discordAnswerLook(topics: HelpTopics = new HelpTopics()): AnswerLook {
  return {
    answer: ({ hits, language, outcome, answerId, offerTopics }) => {
      if (hits.length)
        return {
          embeds: [answerEmbed(hits, language, outcome)],
          components: answerButtons(language, answerId),
        };
      if (offerTopics && topics.configured)
        return {
          content: t(language, 'bot.noMatchTopics'),
          components: [...agentButtonOnly(language, answerId), ...topicMenu(topics, language).components],
        };
      return { content: answerTranscript([], language), components: agentButtonOnly(language, answerId) };
    },
  };
}
