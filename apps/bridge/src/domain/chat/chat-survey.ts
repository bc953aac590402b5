import type { ConversationRow } from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Tx } from '../../infrastructure/db/database.ts';
import { findMember } from '../../infrastructure/db/members-repository.ts';
import {
  chatHadAgent,
  findSurvey,
  insertSurvey,
  type SurveyRow,
  saveComment,
  saveRating,
} from '../../infrastructure/db/surveys-repository.ts';
import type { OutboxInput } from '../../infrastructure/outbox/kind-registry.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';
import type { CaseService } from '../cases/case-service.ts';
import { t } from '../i18n/messages.ts';

/** The longest comment kept (the comment form allows no more). */
export const COMMENT_MAX = 1000;
/** Flex Insights' string attributes are short: the comment is clipped there (kept whole on the case). */
const INSIGHTS_COMMENT_MAX = 250;

/**
 * Where Flex Insights reads a survey's answer: the chat's task attributes under `conversations`
 * (the rating a conversation measure, the comment a conversation attribute).
 *
 * @see https://www.twilio.com/docs/flex/developer/insights/enhance-integration
 */
export const INSIGHTS_RATING_ATTRIBUTE = 'conversation_measure_1';
export const INSIGHTS_COMMENT_ATTRIBUTE = 'conversation_attribute_1';

export type SurveyOutcome =
  | { result: 'recorded'; rating: number; locale: string | null }
  | { result: 'already' | 'closed' | 'not_yours' | 'unknown'; locale: string | null };

/**
 * How the survey looks to the member (a port: the Discord adapter renders buttons): the question,
 * with a way to answer 1–5 for this chat.
 */
export interface SurveyLook {
  ratingPrompt(conversationSid: string): Pick<OutboxInput<'discord.message'>, 'components'>;
}

export interface ChatSurveyDeps {
  db: Database;
  look: SurveyLook;
  outbox: Outbox;
  cases: CaseService;
  /** Off: no survey is offered. */
  enabled: boolean;
  /** How long after the chat the survey takes answers. */
  expiryMinutes: number;
  now?: () => Date;
}

/**
 * The satisfaction survey after a chat with an agent: offered once when the chat ends (1–5 buttons
 * in the member's DM), answered once (a late or repeated click is told so), an optional comment.
 * The answer is on the case's timeline and in the chat's Flex task attributes for Flex Insights.
 */
export class ChatSurvey {
  private readonly now: () => Date;

  constructor(private readonly deps: ChatSurveyDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** In the transaction that ends the chat: offers the survey if an agent took part. */
  async offer(tx: Tx, conversation: ConversationRow): Promise<void> {
    if (!this.deps.enabled || !conversation.case_number) return;
    if (!(await chatHadAgent(tx, conversation.case_number, conversation.sid))) return;
    const offered = await insertSurvey(tx, {
      conversation_sid: conversation.sid,
      case_number: conversation.case_number,
      discord_user_id: conversation.discord_user_id,
      agent_name: conversation.agent_name,
      workspace_sid: conversation.workspace_sid,
      task_sid: conversation.task_sid,
      locale: conversation.locale,
      expires_at: new Date(this.now().getTime() + this.deps.expiryMinutes * 60_000),
    });
    if (!offered) return;
    const locale = conversation.locale;
    await this.deps.outbox.enqueue(tx, {
      kind: 'discord.message',
      key: `survey:${conversation.sid}`,
      payload: {
        channelId: conversation.dm_channel_id,
        content: conversation.agent_name
          ? t(locale, 'survey.ask', { agent: conversation.agent_name })
          : t(locale, 'survey.askNoAgent'),
        ...this.deps.look.ratingPrompt(conversation.sid),
      },
    });
  }

  /** A rating button: recorded once, by the chat's member, while the survey is open. */
  async rate(input: { conversationSid: string; userId: string; rating: number }): Promise<SurveyOutcome> {
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
      return { result: 'unknown', locale: null };
    return this.deps.db.transaction(async (tx) => {
      const survey = await findSurvey(tx, input.conversationSid, true);
      if (!survey) return { result: 'unknown', locale: null };
      const locale = survey.locale;
      if (survey.discord_user_id !== input.userId) return { result: 'not_yours', locale };
      if (survey.rating !== null) return { result: 'already', locale };
      if (survey.expires_at.getTime() <= this.now().getTime()) return { result: 'closed', locale };
      await saveRating(tx, survey.conversation_sid, input.rating, this.now());
      await this.recordAnswer(
        tx,
        survey,
        'survey_answered',
        { rating: input.rating, ...(survey.agent_name ? { agent: survey.agent_name } : {}) },
        'rating',
        { [INSIGHTS_RATING_ATTRIBUTE]: input.rating },
      );
      return { result: 'recorded', rating: input.rating, locale };
    });
  }

  /** The optional comment, once, after a rating, while the survey is open. */
  async comment(input: { conversationSid: string; userId: string; comment: string }): Promise<SurveyOutcome> {
    const comment = clipCodePoints(input.comment.trim(), COMMENT_MAX);
    return this.deps.db.transaction(async (tx) => {
      const survey = await findSurvey(tx, input.conversationSid, true);
      if (!survey) return { result: 'unknown', locale: null };
      const locale = survey.locale;
      if (survey.discord_user_id !== input.userId) return { result: 'not_yours', locale };
      if (survey.rating === null || survey.comment !== null) return { result: 'already', locale };
      if (survey.expires_at.getTime() <= this.now().getTime()) return { result: 'closed', locale };
      if (!comment) return { result: 'recorded', rating: survey.rating, locale };
      await saveComment(tx, survey.conversation_sid, comment);
      await this.recordAnswer(tx, survey, 'survey_commented', { comment }, 'comment', {
        [INSIGHTS_COMMENT_ATTRIBUTE]: clipCodePoints(comment, INSIGHTS_COMMENT_MAX),
      });
      return { result: 'recorded', rating: survey.rating, locale };
    });
  }

  /** An answer on the case's timeline (by the member) and in the chat's Flex task attributes. */
  private async recordAnswer(
    tx: Tx,
    survey: SurveyRow,
    type: 'survey_answered' | 'survey_commented',
    data: Record<string, unknown>,
    part: 'rating' | 'comment',
    conversations: Record<string, string | number>,
  ): Promise<void> {
    if (survey.case_number)
      await this.deps.cases.record(
        tx,
        survey.case_number,
        type,
        await this.member(tx, survey.discord_user_id),
        {
          conversationSid: survey.conversation_sid,
          ...data,
        },
      );
    if (survey.workspace_sid && survey.task_sid)
      await this.deps.outbox.enqueue(tx, {
        kind: 'twilio.task-attributes',
        key: `survey:${survey.conversation_sid}:${part}`,
        payload: {
          conversationSid: survey.conversation_sid,
          workspaceSid: survey.workspace_sid,
          taskSid: survey.task_sid,
          conversations,
        },
      });
  }

  private async member(tx: Tx, discordUserId: string) {
    const row = await findMember(tx, discordUserId);
    return { kind: 'member' as const, id: discordUserId, name: row?.display_name ?? 'Member' };
  }
}
