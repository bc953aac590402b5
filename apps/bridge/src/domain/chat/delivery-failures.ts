import type { CaseActor } from '@flexcord/contracts';
import {
  type ConversationRow,
  findConversation,
  findConversationByChannel,
  findOpenConversation,
} from '../../infrastructure/db/conversations-repository.ts';
import type { Database, Sql, Tx } from '../../infrastructure/db/database.ts';
import type { Outbox } from '../../infrastructure/outbox/outbox.ts';
import {
  type DeadLetter,
  listDeadLetters,
  type OutboxRow,
  reviveDeadLetter,
} from '../../infrastructure/outbox/outbox-repository.ts';
import { clipCodePoints } from '../../infrastructure/util/safe-text.ts';
import type { CaseService } from '../cases/case-service.ts';
import { SYSTEM_AUTHOR } from './chat-channel.ts';

const FLEXCORD: CaseActor = { kind: 'system', id: 'flexcord', name: 'Flexcord' };

/** Why a vendor refused for good, by its error code, as the agent reads it. */
const REASONS: Record<number, string> = {
  // Discord @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
  50007: "the member's DMs are closed to the server",
  10003: "the member's DM channel no longer exists",
  50001: 'the bot has no access to the channel',
  50013: 'the bot lacks a permission there',
  50035: 'Discord refused it as invalid',
  40005: 'an attachment is too large for Discord',
  // Twilio @see https://www.twilio.com/docs/api/errors
  50377: 'the Conversation is closed',
  50504: 'it is longer than a Conversation message may be',
  20404: 'the Conversation no longer exists',
};

interface Payload {
  channelId?: string;
  userId?: string;
  conversationSid?: string;
  caseNumber?: number;
  content?: string;
  body?: string;
  author?: string;
  media?: { filename?: string } | { filename?: string }[];
}

/**
 * What happens when the outbox gives up on a delivery: never silence. The chat's agent reads a
 * notice in the Conversation (what did not arrive, and why), the case's timeline records it, and
 * it stays in the dead-letter list, where an operator can replay it (`npm run outbox`).
 */
export class DeliveryFailures {
  constructor(private readonly deps: { db: Database; outbox: Outbox; cases: CaseService }) {}

  /** Told by the outbox worker, in the transaction that marks `row` dead. */
  async deadLettered(tx: Tx, row: OutboxRow, error: unknown): Promise<void> {
    const payload = (row.payload ?? {}) as Payload;
    const chat = await this.chatOf(tx, payload);
    const caseNumber = chat?.case_number ?? payload.caseNumber ?? null;
    const toMember = row.kind.startsWith('discord.');
    const reason = reasonOf(error, row.attempts);
    const excerpt = excerptOf(payload);
    if (caseNumber) {
      await this.deps.cases.record(tx, caseNumber, 'delivery_failed', FLEXCORD, {
        outboxId: row.id,
        kind: row.kind,
        to: toMember ? 'member' : 'agent',
        reason,
        ...(excerpt ? { excerpt } : {}),
        ...(chat ? { conversationSid: chat.sid } : {}),
      });
    }
    // A notice that itself could not be posted is not announced again (it would fail the same way).
    const isNotice = payload.author === SYSTEM_AUTHOR;
    if (!chat || isNotice || (row.kind !== 'discord.message' && row.kind !== 'twilio.message')) return;
    const quoted = excerpt ? `: “${excerpt}”` : '';
    await this.deps.outbox.enqueue(tx, {
      kind: 'twilio.message',
      key: `dead-letter:${row.id}:notice`,
      payload: {
        conversationSid: chat.sid,
        author: SYSTEM_AUTHOR,
        body: toMember
          ? `This message could not be delivered to the member on Discord (${reason})${quoted}`
          : `A message from the member could not be delivered to this conversation (${reason})${quoted}`,
        attributes: { deliveryFailed: { outboxId: row.id, kind: row.kind } },
      },
    });
  }

  /** The items given up on, oldest first. */
  list(): Promise<DeadLetter[]> {
    return listDeadLetters(this.deps.db);
  }

  /** Sends a dead item again (the worker picks it up at its next pass), and says so on its case. */
  replay(id: string): Promise<'replayed' | 'not_dead'> {
    return this.deps.db.transaction(async (tx) => {
      const revived = await reviveDeadLetter(tx, id);
      if (!revived) return 'not_dead';
      const payload = (revived.payload ?? {}) as Payload;
      const caseNumber = (await this.chatOf(tx, payload))?.case_number ?? payload.caseNumber ?? null;
      if (caseNumber) {
        await this.deps.cases.record(tx, caseNumber, 'delivery_replayed', FLEXCORD, {
          outboxId: revived.id,
          kind: revived.kind,
        });
      }
      return 'replayed';
    });
  }

  private async chatOf(sql: Sql, payload: Payload): Promise<ConversationRow | null> {
    if (payload.conversationSid) return findConversation(sql, payload.conversationSid);
    if (payload.channelId) return findConversationByChannel(sql, payload.channelId);
    if (payload.userId) return findOpenConversation(sql, payload.userId);
    return null;
  }
}

function reasonOf(error: unknown, attempts: number): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'number' ? cause.code : undefined;
  if (code !== undefined && REASONS[code]) return REASONS[code];
  const message = error instanceof Error ? error.message : String(error);
  return `${code === undefined ? `after ${attempts} attempts: ` : ''}${clipCodePoints(message, 160)}`;
}

function excerptOf(payload: Payload): string {
  const text = (payload.content ?? payload.body ?? '').replace(/\s+/g, ' ').trim();
  if (text) return clipCodePoints(text, 100) + (text.length > 100 ? '…' : '');
  const media = Array.isArray(payload.media) ? payload.media[0] : payload.media;
  return media?.filename ? `[${media.filename}]` : '';
}
