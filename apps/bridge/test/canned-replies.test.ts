import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CannedReply,
  CannedReplyListResponseSchema,
  FilledCannedRepliesResponseSchema,
} from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCannedReplies } from '../src/domain/canned-replies/load-canned-replies.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();

/** `memberWithAgent` for a member whose Discord speaks Spanish: the bot answers her in Spanish. */
async function spanishMemberWithAgent(stack: Stack, user: string, agent: string) {
  const { discord, twilio } = stack;
  const userId = discord.control.user(user).id;
  await discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
  await discord.control.waitForMessage({ dmWith: user, contains: 'asistente de soporte' });
  discord.control.sendMessage({ user, content: 'quiero hablar con un humano' });
  await discord.control.waitForMessage({ dmWith: user, contains: 'conectando con un agente' });
  const task = await eventually(
    () => twilio.control.tasks().find((candidate) => candidate.attributes.discordUserId === userId),
    'the Flex task',
  );
  twilio.control.acceptTask(task.sid, agent);
  await discord.control.waitForMessage({ dmWith: user, contains: 'se unió al chat' });
  return { conversationSid: String(task.attributes.conversationSid), taskSid: task.sid };
}
const DEMO_DIR = fileURLToPath(new URL('../canned-replies', import.meta.url));

/**
 * Canned replies for agents: the brand's files seed the shared ones; supervisors change those and
 * agents keep personal ones only they see; for a chat each reply comes in the member's language
 * with the member, the agent, the case and the topic filled in.
 */
describe.each<Storage>(['pglite', 'postgres'])('on %s: canned replies', (storage) => {
  if (storage === 'postgres' && !withPostgres) {
    it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
    return;
  }
  let stack: Stack;
  let dir: string;
  let lucia: Awaited<ReturnType<typeof spanishMemberWithAgent>>;
  let pat: Awaited<ReturnType<typeof memberWithAgent>>;
  let tokens: Record<'dana' | 'leo' | 'sam', string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canned-'));
    cpSync(DEMO_DIR, dir, { recursive: true });
    // A file with a variable the bridge does not know is skipped, not sent half-filled.
    writeFileSync(join(dir, 'order-status.md'), '---\ntitle: Order\n---\nYour order {order} shipped.\n');
    stack = await startStack({
      storage,
      env: { CANNED_REPLIES_DIR: dir },
      twilioOptions: {
        agents: [
          { name: 'Dana', email: 'dana@example.com' },
          { name: 'Leo', email: 'leo@example.com' },
          { name: 'Sam', email: 'sam@example.com', roles: ['supervisor'], available: false },
        ],
      },
    });
    lucia = await spanishMemberWithAgent(stack, 'lucia', 'Dana');
    pat = await memberWithAgent(stack, 'pixelpat', 'Leo');
    tokens = {
      dana: stack.twilio.control.issueFlexToken('Dana').token,
      leo: stack.twilio.control.issueFlexToken('Leo').token,
      sam: stack.twilio.control.issueFlexToken('Sam').token,
    };
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.bridge.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const filled = async (token: string, conversationSid: string) => {
    const { status, body } = await call(
      token,
      'GET',
      `/api/canned-replies/filled?conversationSid=${conversationSid}`,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    return FilledCannedRepliesResponseSchema.parse(body);
  };
  const list = async (token: string) => {
    const { status, body } = await call(token, 'GET', '/api/canned-replies');
    expect(status).toBe(200);
    return CannedReplyListResponseSchema.parse(body);
  };

  it("gives Lucía's agent the brand's replies in Spanish, with her name, the agent's and the case filled in", async () => {
    const { language, replies } = await filled(tokens.dana, lucia.conversationSid);
    expect(language).toBe('es');
    const greeting = replies.find((reply) => reply.id === 'greeting')!;
    expect(greeting).toMatchObject({
      title: 'Saludo',
      text: '¡Hola, Lucía! Soy Dana, del equipo de soporte. Déjame revisarlo por ti.',
      language: 'es',
      scope: 'shared',
      missing: [],
    });
    const caseNumber = (await stack.bridge.cases.listByConversation(lucia.conversationSid))[0]!.number;
    expect(replies.find((reply) => reply.id === 'case-follow-up')!.text).toBe(
      `He anotado todo en el caso #${caseNumber}, Lucía. Te escribiremos por aquí en cuanto haya novedades.`,
    );
    expect(replies.map((reply) => reply.id)).not.toContain('order-status');
  });

  it('gives Pat (English) the English versions', async () => {
    const { language, replies } = await filled(tokens.leo, pat.conversationSid);
    expect(language).toBe('en');
    expect(replies.find((reply) => reply.id === 'greeting')!.text).toBe(
      "Hi Pat! I'm Leo from the support team. Let me take a look at this for you.",
    );
  });

  it('refuses a reply with a variable it does not know, naming it, and one with no text', async () => {
    const unknown = await call(tokens.sam, 'POST', '/api/canned-replies/shared', {
      en: { title: 'Order', body: 'Your order {order_id} is on its way, {member}.' },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('{order_id}');
    expect(unknown.body).toMatchObject({ error: { code: 'invalid_request' } });
    const empty = await call(tokens.sam, 'POST', '/api/canned-replies/shared', { tags: ['x'] });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('English (en), Spanish (es) or both');
  });

  it('lets a supervisor add, change and delete shared replies that every agent then sees; an agent may not (403)', async () => {
    const created = await call(tokens.sam, 'POST', '/api/canned-replies/shared', {
      en: { title: 'Server maintenance 🛠️', body: 'Servers are back at 18:00 UTC, {member}. — {agent}' },
      es: {
        title: 'Mantenimiento 🛠️',
        body: 'Los servidores vuelven a las 18:00 UTC, {member}. مرحبا — {agent}',
      },
      tags: ['maintenance'],
    });
    expect(created.status).toBe(201);
    const reply = created.body.reply as CannedReply;
    expect(reply).toMatchObject({ scope: 'shared', fromFile: false, updatedBy: 'Sam' });

    const inLucia = (await filled(tokens.dana, lucia.conversationSid)).replies.find((r) => r.id === reply.id);
    expect(inLucia?.text).toBe('Los servidores vuelven a las 18:00 UTC, Lucía. مرحبا — Dana');

    for (const [method, path, body] of [
      ['POST', '/api/canned-replies/shared', { en: { title: 'Mine', body: 'Hi' } }],
      ['PUT', `/api/canned-replies/shared/${reply.id}`, { en: { title: 'Changed', body: 'Changed' } }],
      ['DELETE', `/api/canned-replies/shared/${reply.id}`, undefined],
      ['PUT', '/api/canned-replies/shared/greeting', { en: { title: 'Changed', body: 'Changed' } }],
    ] as const) {
      const refused = await call(tokens.dana, method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'supervisors_only' } });
    }
    // Nor through the personal routes: a shared reply is nobody's personal one.
    expect((await call(tokens.dana, 'DELETE', `/api/canned-replies/personal/${reply.id}`)).status).toBe(404);

    const changed = await call(tokens.sam, 'PUT', `/api/canned-replies/shared/${reply.id}`, {
      en: { title: 'Server maintenance', body: 'Servers are back at 19:00 UTC, {member}.' },
      tags: ['maintenance'],
    });
    expect(changed.status).toBe(200);
    expect((changed.body.reply as CannedReply).es).toBeNull();
    // Only English now: Lucía's agent gets it in English rather than nothing.
    const fallback = (await filled(tokens.dana, lucia.conversationSid)).replies.find(
      (r) => r.id === reply.id,
    );
    expect(fallback).toMatchObject({ language: 'en', text: 'Servers are back at 19:00 UTC, Lucía.' });

    expect((await call(tokens.sam, 'DELETE', `/api/canned-replies/shared/${reply.id}`)).status).toBe(200);
    expect((await list(tokens.leo)).replies.map((r) => r.id)).not.toContain(reply.id);
    expect((await call(tokens.sam, 'DELETE', `/api/canned-replies/shared/${reply.id}`)).status).toBe(404);
  });

  it("keeps an agent's personal replies to that agent: another agent neither sees nor changes them", async () => {
    const created = await call(tokens.dana, 'POST', '/api/canned-replies/personal', {
      es: { title: 'Mi firma', body: 'Un saludo, {agent} 🎮' },
    });
    expect(created.status).toBe(201);
    const mine = created.body.reply as CannedReply;
    expect(mine.scope).toBe('personal');

    const danaList = await list(tokens.dana);
    expect(danaList.mayEditShared).toBe(false);
    expect(danaList.replies.map((r) => r.id)).toContain(mine.id);
    for (const other of [tokens.leo, tokens.sam]) {
      expect((await list(other)).replies.map((r) => r.id)).not.toContain(mine.id);
      const refused = await call(other, 'PUT', `/api/canned-replies/personal/${mine.id}`, {
        en: { title: 'Taken', body: 'Taken' },
      });
      expect(refused.status).toBe(404);
      expect((await call(other, 'DELETE', `/api/canned-replies/personal/${mine.id}`)).status).toBe(404);
    }
    expect((await list(tokens.sam)).mayEditShared).toBe(true);
    expect((await filled(tokens.leo, pat.conversationSid)).replies.map((r) => r.id)).not.toContain(mine.id);
    // Spanish only: Pat's chat gets the Spanish one rather than nothing.
    expect(
      (await filled(tokens.dana, pat.conversationSid)).replies.find((r) => r.id === mine.id),
    ).toMatchObject({
      language: 'es',
      text: 'Un saludo, Dana 🎮',
    });

    const edited = await call(tokens.dana, 'PUT', `/api/canned-replies/personal/${mine.id}`, {
      es: { title: 'Mi firma', body: 'Saludos, {agent}' },
    });
    expect(edited.status).toBe(200);
    expect((await call(tokens.dana, 'DELETE', `/api/canned-replies/personal/${mine.id}`)).status).toBe(200);
    expect((await list(tokens.dana)).replies.map((r) => r.id)).not.toContain(mine.id);
  });

  it('fills {topic} with what the chat is about, and leaves a variable the chat has no value for readable, never "undefined"', async () => {
    const created = await call(tokens.dana, 'POST', '/api/canned-replies/personal', {
      en: { title: 'About {topic}', body: 'About “{topic}”, {member}: case #{case}.' },
    });
    const id = (created.body.reply as CannedReply).id;
    const inPat = (await filled(tokens.dana, pat.conversationSid)).replies.find((r) => r.id === id)!;
    expect(inPat.text).toMatch(/^About “agent please”, Pat: case #\d+\.$/);
    expect(inPat.missing).toEqual([]);

    // Maude is still with the bot: her chat has no case and she has asked nothing yet.
    await stack.discord.control.runCommand({ user: 'maude', name: 'helpme', channel: 'help' });
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'support assistant' });
    const userId = stack.discord.control.user('maude').id;
    const conversationSid = await eventually(
      async () =>
        (
          await stack.db.query<{ sid: string }>('SELECT sid FROM conversations WHERE discord_user_id = $1', [
            userId,
          ])
        ).rows[0]?.sid,
      "Maude's conversation",
    );
    const reply = (await filled(tokens.dana, conversationSid)).replies.find((r) => r.id === id)!;
    expect(reply.text).toBe('About “{topic}”, Maude: case #{case}.');
    expect(reply.title).toBe('About {topic}');
    expect(reply.missing.sort()).toEqual(['case', 'topic']);
    expect(JSON.stringify(reply)).not.toContain('undefined');
  });

  it('answers 404 for a chat it does not know and 400 for a bad Conversation SID', async () => {
    const unknown = await call(
      tokens.dana,
      'GET',
      `/api/canned-replies/filled?conversationSid=CH${'0'.repeat(32)}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'conversation_not_found' } });
    expect((await call(tokens.dana, 'GET', '/api/canned-replies/filled?conversationSid=nope')).status).toBe(
      400,
    );
  });

  it("keeps a supervisor's change and deletion of a file reply over the file at the next start; an unchanged one follows its file", async () => {
    const edited = await call(tokens.sam, 'PUT', '/api/canned-replies/shared/greeting', {
      en: { title: 'Greeting', body: 'Hello {member}, {agent} here.' },
      es: { title: 'Saludo', body: 'Hola {member}, aquí {agent}.' },
    });
    expect(edited.status).toBe(200);
    expect((await call(tokens.sam, 'DELETE', '/api/canned-replies/shared/closing')).status).toBe(200);
    writeFileSync(join(dir, 'more-details.md'), '---\ntitle: More details\n---\nA screenshot, {member}?\n');

    await stack.restartBridge();
    const replies = (await list(tokens.sam)).replies;
    const byId = new Map(replies.map((reply) => [reply.id, reply]));
    expect(byId.get('greeting')).toMatchObject({
      fromFile: false,
      updatedBy: 'Sam',
      en: { body: 'Hello {member}, {agent} here.' },
    });
    expect(byId.has('closing')).toBe(false);
    expect(byId.get('more-details')).toMatchObject({
      fromFile: true,
      en: { title: 'More details', body: 'A screenshot, {member}?' },
    });
  });
});

describe('canned reply files', () => {
  it('reads <id>.md as English and <id>.es.md as Spanish, and reports each bad file with its reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canned-files-'));
    try {
      writeFileSync(
        join(dir, 'refund.md'),
        '---\ntitle: Refund\ntags: money\n---\nRefunds take 5 days, {member}.\n',
      );
      writeFileSync(
        join(dir, 'refund.es.md'),
        '---\ntitle: Reembolso\n---\nLos reembolsos tardan 5 días, {member}.\n',
      );
      writeFileSync(join(dir, 'typo.md'), '---\ntittle: Oops\n---\nHi\n');
      writeFileSync(join(dir, 'unknown.md'), '---\ntitle: Unknown\n---\nHi {membr}\n');
      writeFileSync(join(dir, 'Bad Name.md'), '---\ntitle: Bad\n---\nHi\n');
      const { replies, problems } = loadCannedReplies(dir);
      expect(replies).toEqual([
        {
          id: 'refund',
          en: { title: 'Refund', body: 'Refunds take 5 days, {member}.' },
          es: { title: 'Reembolso', body: 'Los reembolsos tardan 5 días, {member}.' },
          tags: ['money'],
        },
      ]);
      expect([...new Set(problems.map((problem) => problem.file))].sort()).toEqual([
        'Bad Name.md',
        'typo.md',
        'unknown.md',
      ]);
      expect(
        problems.some(
          (problem) =>
            problem.file === 'typo.md' && problem.reason.includes('unknown front-matter key tittle'),
        ),
      ).toBe(true);
      expect(problems.find((problem) => problem.file === 'unknown.md')!.reason).toContain('{membr}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a missing folder as no replies', () => {
    expect(loadCannedReplies(join(tmpdir(), 'no-such-canned-folder'))).toEqual({ replies: [], problems: [] });
  });
});
