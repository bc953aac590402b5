import { type BotTurnRequest, type BotTurnResponse, discordIdentity } from '@flexcord/contracts';
import { findCase } from '../../infrastructure/db/cases-repository.ts';
import { findConversation, readBotTurn } from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Sql } from '../../infrastructure/db/database.ts';
import { findMember } from '../../infrastructure/db/members-repository.ts';
import { claimEvent, processedResult, setProcessedResult } from '../../infrastructure/db/processed-events.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import { RecentMap } from '../../infrastructure/util/recent-map.ts';
import { UnknownConversationError } from '../chat/chat-channel.ts';
import type { ChatLifecycle } from '../chat/chat-lifecycle.ts';
import type { KbService } from '../kb/kb-service.ts';
import { HelpTopics } from '../topics/help-topics.ts';
import { isAgentRequest } from './agent-request.ts';
import type { AnswerLook } from './bot-replies.ts';
import { sendKbAnswer } from './kb-answer.ts';

/**
 * The virtual agent, called by the Studio flow for every message of a conversation. It answers the
 * member from the KB (to Discord, and into the Conversation so the agent later sees it), or hands
 * over, and tells the flow where to go: `bot` (answered), `agent` (send to Flex), `none` (stay quiet:
 * not the member speaking, or an agent has the chat). A replayed turn returns the same answer.
 */
export class BotService {
  /**
   * Chats an agent has taken (or that ended): every turn there is answered `none`, replays
   * included (the one that sent the chat to Flex was answered `agent`, and that task has since been
   * accepted), so they are answered without reading the database.
   */
  private readonly handedOver = new RecentMap<string, true>();

  constructor(
    private readonly deps: {
      db: Database;
      kb: KbService;
      outbox: Outbox;
      lifecycle: ChatLifecycle;
      /** How an answer looks to the member (the Discord adapter's embed and buttons). */
      look: AnswerLook;
      /** The brand's help topics: a routed chat's task carries its topic's attributes. */
      topics?: HelpTopics;
    },
  ) {}

  async handleTurn(turn: BotTurnRequest): Promise<BotTurnResponse> {
    const { db, kb } = this.deps;
    if (this.handedOver.has(turn.ConversationSid)) return { route: 'none' };
    const key = `bot-turn:${turn.MessageSid}`;
    // One read: the answer already given to this turn (a replay), and the chat as it is now.
    const { replay, chat: snapshot } = await readBotTurn<BotTurnResponse>(db, turn.ConversationSid, key);
    if (replay) return replay;
    if (!snapshot) throw new UnknownConversationError(turn.ConversationSid);
    if (snapshot.phase === 'agent' || snapshot.phase === 'ended')
      this.handedOver.remember(turn.ConversationSid, true);
    const fromMember = turn.Author === discordIdentity(snapshot.discord_user_id);
    // Most turns change nothing (the bot's and agents' own messages, a member talking to an agent):
    // answer them without a transaction. Replays are safe: the answer depends only on the author
    // and on phases a chat never returns to `bot` from.
    if (
      !fromMember ||
      snapshot.phase === 'agent' ||
      snapshot.phase === 'queued' ||
      snapshot.phase === 'after_hours' ||
      snapshot.phase === 'ended'
    ) {
      return { route: 'none' };
    }
    const wantsAgent = fromMember && isAgentRequest(turn.Body);
    // Searched before the transaction: an embedded database runs one transaction at a time.
    const answer = fromMember && !wantsAgent && snapshot.phase === 'bot' ? await kb.answer(turn.Body) : null;

    const response = await db.transaction(async (tx): Promise<BotTurnResponse> => {
      if (!(await claimEvent(tx, key)))
        return (await processedResult<BotTurnResponse>(tx, key)) ?? { route: 'none' };
      const conversation = await findConversation(tx, turn.ConversationSid, true);
      const member = conversation ? await findMember(tx, conversation.discord_user_id) : null;
      let result: BotTurnResponse = { route: 'none' };
      if (conversation && member && fromMember) {
        const locale = conversation.locale ?? member.locale;
        const task = {
          discordUserId: member.discord_user_id,
          discordUsername: member.username,
          discordAvatarUrl: member.avatar_url ?? '',
          customerName: member.display_name,
          ...(this.deps.topics ?? NO_TOPICS).taskAttributes(conversation.help_topic?.id),
        };
        if (conversation.phase === 'handover') {
          // The request posted when the member pressed "Talk to an agent": send it to Flex now.
          await this.deps.lifecycle.routeToAgent(tx, conversation);
          result = {
            route: 'agent',
            ...(conversation.case_number ? { caseNumber: conversation.case_number } : {}),
            task: { ...task, lastAgent: await lastAgentOf(tx, conversation.case_number) },
          };
        } else if (conversation.phase === 'bot' && wantsAgent) {
          const { caseNumber, routed } = await this.deps.lifecycle.requestAgentInTurn(tx, {
            conversation,
            member,
            eventKey: key,
          });
          // Outside the support hours the request is kept, not sent to Flex yet.
          result = routed
            ? { route: 'agent', caseNumber, task: { ...task, lastAgent: await lastAgentOf(tx, caseNumber) } }
            : { route: 'none' };
        } else if (conversation.phase === 'bot' && answer) {
          await sendKbAnswer(tx, this.deps.outbox, this.deps.look, {
            key,
            conversation,
            question: turn.Body,
            answer,
            locale,
            // Not sure: the brand's topics may say what the question is about.
            offerTopics: !conversation.help_topic && (this.deps.topics?.configured ?? false),
          });
          result = { route: 'bot' };
        }
      }
      await setProcessedResult(tx, key, result);
      return result;
    });
    return response;
  }
}

const NO_TOPICS = new HelpTopics();

/**
 * The agent a reopened case goes back to: its assignee (the plain identity of the agent who last
 * took its chat, which is their worker's friendly name in Flex), '' for a case no agent had.
 */
async function lastAgentOf(sql: Sql, caseNumber: number | null | undefined): Promise<string> {
  if (!caseNumber) return '';
  return (await findCase(sql, caseNumber))?.assignee ?? '';
}
