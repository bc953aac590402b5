import type { KbSearchHit } from '@flexcord/contracts';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { t } from '../i18n/messages.ts';
import { clipCodePoints } from '../util/safe-text.ts';

/** custom_ids of the bot's buttons (≤ 100 chars). */
export const BUTTON_TALK_TO_AGENT = 'flexcord:agent';
export const BUTTON_HELPED = 'flexcord:helped';

const BLURPLE = 0x5865f2;

export function answerButtons(
  locale: string | null,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          custom_id: BUTTON_HELPED,
          label: t(locale, 'bot.helped'),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: BUTTON_TALK_TO_AGENT,
          label: t(locale, 'bot.talkToAgent'),
        },
      ],
    },
  ];
}

/** Only "Talk to an agent", for when the KB had nothing. */
export function agentButtonOnly(
  locale: string | null,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return answerButtons(locale).map((row) => ({
    ...row,
    components: row.components.filter(
      (button) => 'custom_id' in button && button.custom_id === BUTTON_TALK_TO_AGENT,
    ),
  }));
}

/** The KB answer as one embed: up to 3 articles, each with a linked title and a short excerpt. */
export function answerEmbed(hits: KbSearchHit[], locale: string | null): APIEmbed {
  return {
    title: t(locale, 'bot.found'),
    color: BLURPLE,
    fields: hits.slice(0, 3).map((hit) => ({
      name: clipCodePoints(hit.title, 256),
      value: `${clipCodePoints(hit.excerpt, 900)}\n[${t(locale, 'bot.readMore')}](${hit.url})`,
    })),
    footer: { text: t(locale, 'bot.foundFooter') },
  };
}

/** The same answer as plain text, for the Conversation, so the agent later sees what the bot said. */
export function answerTranscript(hits: KbSearchHit[], locale: string | null): string {
  if (!hits.length) return t(locale, 'bot.noMatch');
  return [t(locale, 'bot.found'), ...hits.slice(0, 3).map((hit) => `• ${hit.title} — ${hit.url}`)].join('\n');
}
