import type { CaseStatus, CaseType } from '@flexcord/contracts';
import type { Sql } from './database.ts';

/** Cases not resolved or closed, by type and status. */
export async function openCaseCounts(
  sql: Sql,
): Promise<{ type: CaseType; status: CaseStatus; count: number }[]> {
  const { rows } = await sql.query<{ type: CaseType; status: CaseStatus; count: number }>(
    `SELECT type, status, count(*)::int AS count FROM cases
     WHERE status IN ('open', 'pending') GROUP BY type, status ORDER BY type, status`,
  );
  return rows;
}

/**
 * Each chat handed to an agent since `since` (a `handover_requested` entry on its case) with the
 * first message an agent wrote in it after the handover (`chat_lines`), if any: what the first
 * response is measured on. The author is the agent's Conversations identity.
 */
export async function firstResponseSamples(
  sql: Sql,
  since: Date,
): Promise<
  {
    caseNumber: number;
    conversationSid: string;
    handoverAt: Date;
    repliedAt: Date | null;
    author: string | null;
  }[]
> {
  const { rows } = await sql.query<{
    case_number: number;
    conversation_sid: string;
    handover_at: Date;
    replied_at: Date | null;
    author: string | null;
  }>(
    `SELECT h.case_number, h.conversation_sid, h.at AS handover_at, reply.created_at AS replied_at, reply.author
     FROM (SELECT case_number, data->>'conversationSid' AS conversation_sid, min(created_at) AS at
           FROM case_events WHERE type = 'handover_requested' AND data ? 'conversationSid'
           GROUP BY 1, 2) h
     LEFT JOIN LATERAL (
       SELECT l.created_at, l.author FROM chat_lines l
       WHERE l.conversation_sid = h.conversation_sid AND l.created_at >= h.at AND NOT l.removed
         AND l.author NOT IN ('bot', 'system') AND l.author NOT LIKE 'discord:%'
       ORDER BY l.created_at, l.id LIMIT 1) reply ON true
     WHERE h.at >= $1
     ORDER BY h.at`,
    [since],
  );
  return rows.map((row) => ({
    caseNumber: Number(row.case_number),
    conversationSid: row.conversation_sid,
    handoverAt: new Date(row.handover_at),
    repliedAt: row.replied_at ? new Date(row.replied_at) : null,
    author: row.author,
  }));
}

/**
 * The cases resolved since `since` and still resolved — set to resolved by an agent or a wrap-up,
 * never closed (a duplicate, spam) — with when they were opened and who has them.
 */
export async function resolutionSamples(
  sql: Sql,
  since: Date,
): Promise<{ caseNumber: number; createdAt: Date; resolvedAt: Date; assignee: string | null }[]> {
  const { rows } = await sql.query<{
    number: number;
    created_at: Date;
    resolved_at: Date;
    assignee: string | null;
  }>(
    `SELECT number, created_at, resolved_at, assignee FROM cases
     WHERE status = 'resolved' AND resolved_at >= $1 ORDER BY resolved_at`,
    [since],
  );
  return rows.map((row) => ({
    caseNumber: Number(row.number),
    createdAt: new Date(row.created_at),
    resolvedAt: new Date(row.resolved_at),
    assignee: row.assignee,
  }));
}

/** Each agent who joined a chat since `since` (their identity and name) and when: the chats they took. */
export async function agentChats(
  sql: Sql,
  since: Date,
): Promise<{ agentId: string; agentName: string; conversationSid: string; at: Date }[]> {
  const { rows } = await sql.query<{
    agent_id: string;
    agent_name: string;
    conversation_sid: string;
    at: Date;
  }>(
    `SELECT actor->>'id' AS agent_id, (array_agg(actor->>'name' ORDER BY created_at DESC))[1] AS agent_name,
            data->>'conversationSid' AS conversation_sid, min(created_at) AS at
     FROM case_events
     WHERE type = 'agent_joined' AND actor->>'kind' = 'agent' AND data ? 'conversationSid' AND created_at >= $1
     GROUP BY 1, 3 ORDER BY 4`,
    [since],
  );
  return rows.map((row) => ({
    agentId: row.agent_id,
    agentName: row.agent_name,
    conversationSid: row.conversation_sid,
    at: new Date(row.at),
  }));
}

/** Every survey rating since `since`, with the agent it rated (by name, as the survey asked) and when. */
export async function surveyRatings(
  sql: Sql,
  since: Date,
): Promise<{ rating: number; agentName: string | null; at: Date }[]> {
  const { rows } = await sql.query<{ rating: number; agent: string | null; created_at: Date }>(
    `SELECT (data->>'rating')::int AS rating, data->>'agent' AS agent, created_at FROM case_events
     WHERE type = 'survey_answered' AND created_at >= $1 ORDER BY created_at`,
    [since],
  );
  return rows
    .filter((row) => row.rating >= 1 && row.rating <= 5)
    .map((row) => ({ rating: Number(row.rating), agentName: row.agent, at: new Date(row.created_at) }));
}

/**
 * The chats since `since` where the member asked the virtual agent something, and how many of
 * them never asked for an agent (no case linked to the chat).
 */
export async function botChats(sql: Sql, since: Date): Promise<{ chats: number; withoutAgent: number }> {
  const { rows } = await sql.query<{ chats: number; without_agent: number }>(
    `SELECT count(*)::int AS chats, count(*) FILTER (WHERE c.case_number IS NULL)::int AS without_agent
     FROM (SELECT DISTINCT conversation_sid FROM kb_answers WHERE created_at >= $1) asked
     JOIN conversations c ON c.sid = asked.conversation_sid`,
    [since],
  );
  return { chats: rows[0]?.chats ?? 0, withoutAgent: rows[0]?.without_agent ?? 0 };
}
