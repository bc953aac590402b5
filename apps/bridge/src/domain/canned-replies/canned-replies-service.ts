import { randomUUID } from 'node:crypto';
import {
  type CannedReply,
  type CannedReplyInput,
  CannedReplyInputSchema,
  type CannedReplyLanguage,
  type CannedReplyListResponse,
  type CannedReplyScope,
  type CannedReplyVariable,
  type FilledCannedRepliesResponse,
  type FilledCannedReply,
  replaceCannedVariables,
} from '@flexcord/contracts';
import {
  type CannedReplyFields,
  type CannedReplyRow,
  chatForCannedReplies,
  deleteCannedReply,
  findCannedReply,
  insertCannedReply,
  seedCannedReply,
  updateCannedReply,
  visibleCannedReplies,
} from '../../infrastructure/db/canned-replies-repository.ts';
import type { Database } from '../../infrastructure/db/database.ts';
import type { Logger } from '../../infrastructure/logger.ts';
import { DomainError } from '../../infrastructure/util/domain-errors.ts';
import { languageOf } from '../i18n/messages.ts';
import { loadCannedReplies } from './load-canned-replies.ts';

/** The agent asking: their plain identity (owner of their personal replies) and their name. */
export interface CannedReplyViewer {
  id: string;
  name: string;
  /** A supervisor: may change the shared replies. */
  mayEditShared: boolean;
}

/**
 * Canned replies for agents: the brand's files seed the shared ones, supervisors change those,
 * every agent keeps personal ones only they see; for a chat, each reply is given in the member's
 * language with `{member}`, `{agent}`, `{case}` and `{topic}` filled in. Inserting and sending is
 * the agent's: nothing here writes to a chat.
 */
export class CannedRepliesService {
  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Writes the brand's files as shared replies (see `seedCannedReply`); logs files it skipped. */
  async seedFromFiles(): Promise<{ seeded: number; problems: { file: string; reason: string }[] }> {
    const { replies, problems } = loadCannedReplies(this.dir);
    for (const problem of problems) this.logger.warn(problem, 'canned reply file skipped');
    for (const reply of replies) await seedCannedReply(this.db, reply.id, fieldsOf(reply));
    return { seeded: replies.length, problems };
  }

  /** The shared replies and the viewer's personal ones, as written. */
  async list(viewer: CannedReplyViewer): Promise<CannedReplyListResponse> {
    const rows = await visibleCannedReplies(this.db, viewer.id);
    return { replies: rows.map(toReply), mayEditShared: viewer.mayEditShared };
  }

  /** The viewer's replies for one chat: each in the member's language, variables filled. */
  async filled(conversationSid: string, viewer: CannedReplyViewer): Promise<FilledCannedRepliesResponse> {
    const chat = await chatForCannedReplies(this.db, conversationSid);
    if (!chat)
      throw new DomainError(
        'not_found',
        'conversation_not_found',
        `no chat with Conversation ${conversationSid}`,
      );
    const language = languageOf(chat.locale);
    const values: Record<CannedReplyVariable, string | null> = {
      member: chat.memberName,
      agent: viewer.name,
      case: chat.caseNumber === null ? null : String(chat.caseNumber),
      // The help topic the member picked, in their language; else what they first asked about.
      topic: chat.helpTopicLabel?.[language] ?? chat.topic,
    };
    const rows = await visibleCannedReplies(this.db, viewer.id);
    const replies = rows.map((row): FilledCannedReply => {
      const reply = toReply(row);
      const used: CannedReplyLanguage = reply[language] ? language : language === 'en' ? 'es' : 'en';
      const version = reply[used]!;
      const title = replaceCannedVariables(version.title, (name) => values[name]);
      const body = replaceCannedVariables(version.body, (name) => values[name]);
      return {
        id: reply.id,
        scope: reply.scope,
        title: title.text,
        text: body.text,
        language: used,
        tags: reply.tags,
        missing: [...new Set([...title.missing, ...body.missing])],
      };
    });
    // In the order the agent reads them: by the title shown, in the member's language.
    replies.sort((a, b) => a.title.localeCompare(b.title, language, { sensitivity: 'base' }));
    return { language, replies };
  }

  /** A new reply: shared (a supervisor; the route checks) or the viewer's personal one. */
  async create(
    scope: CannedReplyScope,
    input: CannedReplyInput,
    viewer: CannedReplyViewer,
  ): Promise<CannedReply> {
    const fields = fieldsOf(parse(input));
    const row = await insertCannedReply(
      this.db,
      { id: randomUUID(), scope, owner: ownerFor(scope, viewer), by: viewer.id, byName: viewer.name },
      fields,
    );
    return toReply(row);
  }

  /** Replaces a reply's versions and tags. A personal reply of someone else is not found. */
  async replace(
    scope: CannedReplyScope,
    id: string,
    input: CannedReplyInput,
    viewer: CannedReplyViewer,
  ): Promise<CannedReply> {
    const fields = fieldsOf(parse(input));
    const row = await updateCannedReply(
      this.db,
      { id, scope, owner: ownerFor(scope, viewer) },
      { id: viewer.id, name: viewer.name },
      fields,
    );
    if (!row) throw notFound(scope, id);
    return toReply(row);
  }

  async delete(scope: CannedReplyScope, id: string, viewer: CannedReplyViewer): Promise<void> {
    const deleted = await deleteCannedReply(
      this.db,
      { id, scope, owner: ownerFor(scope, viewer) },
      { id: viewer.id, name: viewer.name },
    );
    if (!deleted) throw notFound(scope, id);
  }

  /** One reply as the viewer may see it, or null. */
  async find(scope: CannedReplyScope, id: string, viewer: CannedReplyViewer): Promise<CannedReply | null> {
    const row = await findCannedReply(this.db, id, scope, ownerFor(scope, viewer));
    return row ? toReply(row) : null;
  }
}

function parse(input: CannedReplyInput) {
  const parsed = CannedReplyInputSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError('invalid', 'invalid_canned_reply', parsed.error.issues[0]!.message);
  return parsed.data;
}

function ownerFor(scope: CannedReplyScope, viewer: CannedReplyViewer): string | null {
  return scope === 'personal' ? viewer.id : null;
}

function notFound(scope: CannedReplyScope, id: string): DomainError {
  return new DomainError(
    'not_found',
    'canned_reply_not_found',
    scope === 'personal' ? `you have no personal canned reply ${id}` : `no shared canned reply ${id}`,
  );
}

function fieldsOf(reply: {
  en?: { title: string; body: string } | null | undefined;
  es?: { title: string; body: string } | null | undefined;
  tags: string[];
}): CannedReplyFields {
  return {
    titleEn: reply.en?.title ?? null,
    bodyEn: reply.en?.body ?? null,
    titleEs: reply.es?.title ?? null,
    bodyEs: reply.es?.body ?? null,
    tags: [...new Set(reply.tags)],
  };
}

function toReply(row: CannedReplyRow): CannedReply {
  return {
    id: row.id,
    scope: row.scope,
    en: row.title_en !== null && row.body_en !== null ? { title: row.title_en, body: row.body_en } : null,
    es: row.title_es !== null && row.body_es !== null ? { title: row.title_es, body: row.body_es } : null,
    tags: row.tags,
    fromFile: row.from_file,
    updatedBy: row.updated_by_name,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
