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
 * never closed (a duplicate, spam) — with when they were opened, who has them, and when their
 * member next opened a case of the same type after the resolution (if they did).
 */
export async function resolutionSamples(
  sql: Sql,
  since: Date,
): Promise<
  {
    caseNumber: number;
    createdAt: Date;
    resolvedAt: Date;
    assignee: string | null;
    nextOpenedAt: Date | null;
  }[]
> {
  const { rows } = await sql.query<{
    number: number;
    created_at: Date;
    resolved_at: Date;
    assignee: string | null;
    next_opened_at: Date | null;
  }>(
    `SELECT k.number, k.created_at, k.resolved_at, k.assignee,
            (SELECT min(n.created_at) FROM cases n
             WHERE n.discord_user_id = k.discord_user_id AND n.type = k.type AND n.number <> k.number
               AND n.created_at > k.resolved_at) AS next_opened_at
     FROM cases k WHERE k.status = 'resolved' AND k.resolved_at >= $1 ORDER BY k.resolved_at`,
    [since],
  );
  return rows.map((row) => ({
    caseNumber: Number(row.number),
    createdAt: new Date(row.created_at),
    resolvedAt: new Date(row.resolved_at),
    assignee: row.assignee,
    nextOpenedAt: row.next_opened_at ? new Date(row.next_opened_at) : null,
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

/** How a chat with the virtual agent ended, and what its member did next. */
export interface BotChatEnding {
  /** The member asked for an agent in the chat. */
  handedOver: boolean;
  /** The chat's last question was answered with articles. */
  answered: boolean;
  /** What the member pressed under that last answer. */
  feedback: 'helped' | 'agent' | null;
  lastAt: Date;
  nextQuestionAt: Date | null;
  nextAgentRequestAt: Date | null;
}

/**
 * Each chat since `since` where the member asked the virtual agent something: whether they asked
 * for an agent in it (a case linked to the chat), its last question — whether articles were shown
 * for it and what the member pressed — and when the same member next asked the virtual agent
 * anything or asked for an agent, in any chat (the agent request only where the verdict turns on
 * it: no agent in the chat, answered, nothing pressed). Deflection and the verdicts are decided on it.
 */
export async function botChatEndings(sql: Sql, since: Date): Promise<BotChatEnding[]> {
  const { rows } = await sql.query<{
    handed_over: boolean;
    answered: boolean;
    feedback: 'helped' | 'agent' | null;
    last_at: Date;
    next_question_at: Date | null;
    next_agent_request_at: Date | null;
  }>(
    // A chat asked something in the window has its last question there, and the member's next
    // question after it is later still: the rows of the window are enough. The agent request is
    // looked up only for the chats whose verdict turns on it.
    `WITH recent AS (
       SELECT a.conversation_sid, a.discord_user_id, a.created_at, a.feedback,
              a.outcome IN ('answer', 'candidates') AS answered,
              lead(a.created_at) OVER (PARTITION BY a.discord_user_id ORDER BY a.created_at, a.id) AS next_question_at,
              row_number() OVER (PARTITION BY a.conversation_sid ORDER BY a.created_at DESC, a.id DESC) AS from_last
       FROM kb_answers a WHERE a.created_at >= $1)
     SELECT c.case_number IS NOT NULL AS handed_over, l.answered, l.feedback, l.created_at AS last_at,
            l.next_question_at,
            CASE WHEN c.case_number IS NULL AND l.answered AND l.feedback IS NULL THEN
              (SELECT min(e.created_at) FROM cases k JOIN case_events e ON e.case_number = k.number
               WHERE k.discord_user_id = l.discord_user_id AND e.type = 'handover_requested'
                 AND e.created_at > l.created_at)
            END AS next_agent_request_at
     FROM recent l JOIN conversations c ON c.sid = l.conversation_sid
     WHERE l.from_last = 1
     ORDER BY l.created_at`,
    [since],
  );
  return rows.map((row) => ({
    handedOver: row.handed_over,
    answered: row.answered,
    feedback: row.feedback,
    lastAt: new Date(row.last_at),
    nextQuestionAt: row.next_question_at ? new Date(row.next_question_at) : null,
    nextAgentRequestAt: row.next_agent_request_at ? new Date(row.next_agent_request_at) : null,
  }));
}
