import type { ConversationRow } from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Sql } from '../../infrastructure/db/database.ts';
import {
  type AnswerFeedback,
  insertAnswer,
  setAnswerFeedback,
} from '../../infrastructure/db/kb-answers-repository.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { BOT_AUTHOR } from '../chat/chat-channel.ts';
import { languageOf } from '../i18n/messages.ts';
import type { KbAnswer } from '../kb/kb-service.ts';
import { type AnswerLook, answerTranscript } from './bot-replies.ts';

/**
 * Answers a member's question in the turn's transaction: records what was asked and answered
 * (`kb_answers`, for the gaps report), and queues the answer to the member's DM and into the
 * Conversation. The whole frame is in the question's language, or the member's Discord locale's
 * when the question does not say (an error code, an emoji).
 */
export async function sendKbAnswer(
  tx: Sql,
  outbox: Outbox,
  look: AnswerLook,
  input: {
    key: string;
    conversation: Pick<ConversationRow, 'sid' | 'dm_channel_id' | 'discord_user_id'>;
    question: string;
    answer: KbAnswer;
    locale: string | null;
    /** With no article to show, also offer the brand's help topics. */
    offerTopics?: boolean;
  },
): Promise<void> {
  const { key, conversation, question, answer } = input;
  const language = answer.language ?? languageOf(input.locale);
  const answerId = await insertAnswer(tx, {
    turnKey: key,
    conversationSid: conversation.sid,
    discordUserId: conversation.discord_user_id,
    question,
    language,
    outcome: answer.outcome,
    confidence: answer.confidence,
    candidates: answer.ranked,
    shown: answer.hits.map((hit) => hit.slug),
  });
  await outbox.enqueue(tx, [
    {
      kind: 'discord.message',
      key: `${key}:answer`,
      payload: {
        channelId: conversation.dm_channel_id,
        ...look.answer({
          hits: answer.hits,
          language,
          outcome: answer.outcome,
          answerId,
          offerTopics: input.offerTopics ?? false,
        }),
      },
    },
    {
      kind: 'twilio.message',
      key: `${key}:transcript`,
      payload: {
        conversationSid: conversation.sid,
        author: BOT_AUTHOR,
        body: answerTranscript(answer.hits, language, answer.outcome),
        attributes: {
          bot: {
            articles: answer.hits.map((hit) => hit.slug),
            outcome: answer.outcome,
            confidence: answer.confidence,
            language,
          },
        },
      },
    },
  ]);
}

/**
 * Records what the member pressed after an answer ("This helped", "Talk to an agent"), and returns
 * the answer's language (null when the button carried no answer).
 */
export async function recordAnswerFeedback(
  db: Database,
  answerId: string | null,
  feedback: AnswerFeedback,
): Promise<string | null> {
  if (!answerId) return null;
  return (await setAnswerFeedback(db, answerId, feedback))?.language ?? null;
}
