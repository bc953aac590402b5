import type { Database } from '@flexcord/bridge';

/**
 * The emulators keep nothing between runs, the bridge's database does: chats left open by the
 * previous run point at Conversations the new Twilio emulator never had. Close them (the member's
 * next /helpme opens a new chat, linked to their still-open case) and retire Twilio deliveries
 * still queued for them, so the outbox does not retry into the void.
 */
export async function closeStaleChats(db: Database): Promise<{ chats: number; deliveries: number }> {
  return db.transaction(async (tx) => {
    const chats = await tx.query<{ sid: string }>(
      `UPDATE conversations SET state = 'closed', phase = 'ended', updated_at = now()
       WHERE state <> 'closed' RETURNING sid`,
    );
    const deliveries = await tx.query<{ id: string }>(
      `UPDATE outbox SET status = 'dead', last_error = 'sandbox restarted: the Twilio emulator forgot this conversation'
       WHERE status IN ('pending', 'inflight') AND kind LIKE 'twilio.%' RETURNING id`,
    );
    return { chats: chats.rows.length, deliveries: deliveries.rows.length };
  });
}
