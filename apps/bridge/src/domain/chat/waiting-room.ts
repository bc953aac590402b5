import { listWaitingConversations } from '../../infrastructure/db/conversations-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import type { ChatLifecycle } from './chat-lifecycle.ts';

/** Where a Flex task stands in its queue; implemented over TaskRouter (`twilio/queue-standings.ts`). */
export interface QueueStandings {
  /**
   * The task's position among the tasks waiting in its queue (1 = next), and an estimated wait in
   * minutes when the queue's statistics allow one; null when the task no longer waits for an
   * agent (offered to one, accepted, finished, gone).
   */
  standing(task: {
    workspaceSid: string;
    taskSid: string;
  }): Promise<{ position: number; waitMinutes: number | null } | null>;
}

export interface WaitingRoomDeps {
  db: Database;
  lifecycle: ChatLifecycle;
  standings: QueueStandings;
  logger: Logger;
  now?: () => Date;
  /** How often waiting chats are looked at. */
  intervalMs: number;
}

/**
 * The bridge's scheduler for members waiting for a person: every `intervalMs` it routes the
 * requests kept outside the support hours once they open, and tells queued members where they
 * stand in line (the lifecycle decides whether a notice is due). Several instances may run it:
 * each change happens once, under the chat's row lock.
 */
export class WaitingRoom {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly deps: WaitingRoomDeps) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (!this.#running)
        this.#running = this.tick()
          .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'waiting room tick failed'))
          .finally(() => {
            this.#running = null;
          });
    }, this.deps.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass: kept requests routed if the hours are open, then queue positions. */
  async tick(): Promise<void> {
    const { db, lifecycle, standings, logger } = this.deps;
    const now = (this.deps.now ?? (() => new Date()))();
    // Each kept request waits for its own team: its help topic's hours, else the brand's.
    for (const chat of await listWaitingConversations(db, 'after_hours')) {
      if (!lifecycle.hoursFor(chat).isOpen(now)) continue;
      if (await lifecycle.releaseAfterHours(chat.sid))
        logger.info({ conversationSid: chat.sid, caseNumber: chat.case_number }, 'routed at opening');
    }
    for (const chat of await listWaitingConversations(db, 'queued')) {
      if (!chat.task_sid || !chat.workspace_sid) continue;
      try {
        const standing = await standings.standing({
          workspaceSid: chat.workspace_sid,
          taskSid: chat.task_sid,
        });
        if (standing)
          await lifecycle.queueStanding({ conversationSid: chat.sid, taskSid: chat.task_sid, ...standing });
      } catch (error) {
        // One chat's lookup failing (a Twilio blip) does not hold up the others; the next pass retries.
        logger.warn({ err: error, conversationSid: chat.sid }, 'could not read the queue position');
      }
    }
  }
}
