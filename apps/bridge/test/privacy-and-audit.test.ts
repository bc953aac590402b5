import {
  AuditResponseSchema,
  FiguresResponseSchema,
  PrivacyRequestsResponseSchema,
  TranscriptResponseSchema,
} from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { DEFAULT_AGENTS } from '@flexcord/twilio-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/** Lucía (Spanish) asks for an agent and Dana takes the chat. */
async function luciaWithDana(stack: Stack) {
  const { discord, twilio } = stack;
  const userId = discord.control.user('lucia').id;
  await discord.control.runCommand({ user: 'lucia', name: 'helpme', channel: 'help', locale: 'es-ES' });
  await discord.control.waitForMessage({ dmWith: 'lucia', contains: 'asistente de soporte' });
  discord.control.sendMessage({ user: 'lucia', content: 'agente por favor' });
  await discord.control.waitForMessage({ dmWith: 'lucia', contains: 'conectando con un agente' });
  const task = await eventually(
    () => twilio.control.tasks().find((candidate) => candidate.attributes.discordUserId === userId),
    'the Flex task',
  );
  twilio.control.acceptTask(task.sid, 'Dana');
  await discord.control.waitForMessage({ dmWith: 'lucia', contains: 'se unió al chat' });
  return { conversationSid: String(task.attributes.conversationSid), taskSid: task.sid, userId };
}

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

interface Button {
  custom_id?: string;
  label?: string;
}

const buttonsOf = (message: { components?: unknown[] }) =>
  (message.components ?? []).flatMap((row) =>
    row && typeof row === 'object' && 'components' in row
      ? ((row as { components: Button[] }).components ?? [])
      : [],
  );

/**
 * Members' data rights and the audit log: Lucía chats with Dana, a supervisor changes her case
 * (the audit log says who, what and from where, also as CSV), Lucía exports her data (the file
 * holds her transcript) and erases it (her name is gone from the case, the transcript and the
 * figures, which stay), each request rate-limited and logged without personal data; an admin does
 * the same for a request that came by e-mail, and no one else may.
 */
describe.each(storages)('privacy requests and the audit log (%s)', (storage) => {
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof luciaWithDana>>;
  let caseNumber = 0;
  const token: Record<string, string> = {};
  const MEMBER_WORDS = 'Me llamo Lucía y mi pedido 🚀 no llegó (עברית)';

  const api = (who: string, path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${stack.bridge.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token[who]}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const answerOf = (interactionId: string) =>
    eventually(
      () => stack.discord.control.interaction(interactionId).original?.content || undefined,
      'the answer',
    );

  /** Lucía runs `/privacy <subcommand>` in #help, in Spanish. */
  const luciaAsks = (subcommand: 'export' | 'delete') =>
    stack.discord.control.runCommand({
      user: 'lucia',
      name: 'privacy',
      subcommand,
      channel: 'help',
      locale: 'es-ES',
    });
  /** Lucía asks to be erased and presses "Borrar mis datos"; the answer that starts with `answer`. */
  const luciaConfirmsErasure = async (answer: string) => {
    const outcome = await luciaAsks('delete');
    const prompt = stack.discord.control.interaction(outcome.interactionId).original!;
    const erase = buttonsOf(prompt).find((button) => button.label === 'Borrar mis datos')!;
    await stack.discord.control.clickButton({
      user: 'lucia',
      messageId: prompt.id,
      customId: erase.custom_id!,
    });
    return eventually(() => {
      const content = stack.discord.control.interaction(outcome.interactionId).original?.content;
      return content?.startsWith(answer) ? content : undefined;
    }, `the answer "${answer}…"`);
  };

  beforeAll(async () => {
    stack = await startStack({
      storage,
      env: { PRIVACY_REQUESTS_PER_WINDOW: '1' },
      twilioOptions: {
        agents: [
          ...DEFAULT_AGENTS,
          { name: 'Sam', email: 'sam@example.com', roles: ['supervisor'], available: false },
          { name: 'Ada', email: 'ada@example.com', roles: ['admin'], available: false },
        ],
      },
    });
    for (const name of ['Dana', 'Sam', 'Ada']) token[name] = stack.twilio.control.issueFlexToken(name).token;
    chat = await luciaWithDana(stack);
    caseNumber = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    stack.discord.control.sendMessage({ user: 'lucia', content: MEMBER_WORDS });
    await eventually(
      () =>
        (stack.twilio.control.conversation(chat.conversationSid).messages as { body: string | null }[]).some(
          (message) => message.body === MEMBER_WORDS,
        ),
      'the member message in the Conversation',
    );
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Hola Lucía, lo reviso ahora',
    });
    await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'lo reviso' });
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const survey = await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: '★' }).catch(() =>
      stack.discord.control.waitForMessage({
        dmWith: 'lucia',
        predicate: (message) => buttonsOf(message).some((button) => button.label === '4 ★'),
      }),
    );
    const four = buttonsOf(survey).find((button) => button.label === '4 ★');
    if (four)
      await stack.discord.control.clickButton({
        user: 'lucia',
        messageId: survey.id,
        customId: four.custom_id!,
      });
    await eventually(async () => {
      const response = await api('Sam', `/cases/${caseNumber}/transcript?format=json`);
      return TranscriptResponseSchema.parse(await response.json()).chats.length > 0 || undefined;
    }, 'the kept transcript');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("a supervisor's status change is in the audit log with who, what and from where; Flex's own events too", async () => {
    const changed = await api('Sam', `/cases/${caseNumber}`, {
      method: 'PATCH',
      body: { status: 'pending' },
    });
    expect(changed.status).toBe(200);
    const response = await api('Sam', `/audit?caseNumber=${caseNumber}`);
    expect(response.status).toBe(200);
    const { entries } = AuditResponseSchema.parse(await response.json());
    expect(entries[0]).toMatchObject({
      caseNumber,
      action: 'status_changed',
      actor: { id: 'sam@example.com', name: 'Sam' },
      source: 'plugin-api',
      changes: { to: 'pending' },
    });
    expect(entries.find((entry) => entry.action === 'agent_joined')).toMatchObject({
      actor: { name: 'Dana' },
      source: 'flex',
    });
    // Members are not staff: their survey answer is on the timeline, not in the audit log.
    expect(entries.some((entry) => entry.action.startsWith('survey'))).toBe(false);
  });

  it('supervisors export the audit log as CSV; agents may not read it', async () => {
    const csv = await api('Sam', `/audit?caseNumber=${caseNumber}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`case-audit-${caseNumber}-30-days.csv`);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('at,case,action,actor,actor_id,source,changes');
    expect(lines[1]).toMatch(
      new RegExp(`^[^,]+,${caseNumber},status_changed,Sam,sam@example.com,plugin-api,"\\{`),
    );
    const refused = await api('Dana', '/audit');
    expect(refused.status).toBe(403);
  });

  it('/privacy export in Spanish: an ephemeral answer, then a JSON file in her DM that holds her transcript', async () => {
    const outcome = await luciaAsks('export');
    expect(await answerOf(outcome.interactionId)).toMatch(/^Tus datos van en camino/);
    expect((stack.discord.control.interaction(outcome.interactionId).original?.flags ?? 0) & 64).toBe(64);
    const delivered = await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      predicate: (message) => message.attachments.some((file) => file.filename.endsWith('.json')),
    });
    expect(delivered.content).toBe(
      'Aquí tienes todo lo que guardamos sobre ti, como pediste (un archivo JSON).',
    );
    const file = delivered.attachments[0]!;
    expect(file.filename).toMatch(/^flexcord-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = (await (await fetch(file.url)).json()) as {
      format: string;
      profile: { display_name: string };
      cases: { number: number }[];
      transcripts: { lines: { body: string; author: { kind: string } }[] }[];
      surveyAnswers: { rating: number }[];
    };
    expect(exported.format).toBe('flexcord-member-export/1');
    expect(exported.profile.display_name).toBe('Lucía');
    expect(exported.cases.map((kase) => kase.number)).toContain(caseNumber);
    const bodies = exported.transcripts.flatMap((transcript) => transcript.lines.map((line) => line.body));
    expect(bodies).toContain(MEMBER_WORDS);
    expect(bodies).toContain('Hola Lucía, lo reviso ahora');
  });

  it('a second export within the window is refused, clearly and in her language', async () => {
    const outcome = await luciaAsks('export');
    expect(await answerOf(outcome.interactionId)).toMatch(
      /^Lo pediste hace poco\. Puedes pedirlo de nuevo en \d+ h\.$/,
    );
  });

  it('/privacy delete asks first (buttons, in Spanish); "Cancelar" erases nothing', async () => {
    const outcome = await luciaAsks('delete');
    const prompt = stack.discord.control.interaction(outcome.interactionId).original!;
    expect(prompt.flags! & 64).toBe(64);
    expect(prompt.content).toMatch(/^Esto borra tus datos personales/);
    expect(buttonsOf(prompt).map((button) => button.label)).toEqual(['Borrar mis datos', 'Cancelar']);
    const cancel = buttonsOf(prompt).find((button) => button.label === 'Cancelar')!;
    await stack.discord.control.clickButton({
      user: 'lucia',
      messageId: prompt.id,
      customId: cancel.custom_id!,
    });
    expect((await stack.bridge.cases.find(caseNumber))?.member.displayName).toBe('Lucía');
  });

  it('confirmed, her name is gone from the case, the transcript and the figures, which all stay', async () => {
    const figuresBefore = FiguresResponseSchema.parse(await (await api('Sam', '/figures?days=7')).json());
    expect(await luciaConfirmsErasure('Listo')).toMatch(/^Listo: tus datos personales están borrados/);

    const kase = await stack.bridge.cases.detail(caseNumber);
    expect(kase.case.status).toBe('pending');
    expect(kase.case.member.displayName).toBe('Deleted member');
    expect(JSON.stringify(kase)).not.toMatch(/Lucía|lucia|🚀/);
    expect(kase.timeline.at(-1)).toMatchObject({
      type: 'member_data_erased',
      actor: { kind: 'system' },
      data: {},
    });

    const transcript = TranscriptResponseSchema.parse(
      await (await api('Sam', `/cases/${caseNumber}/transcript?format=json`)).json(),
    );
    const lines = transcript.chats[0]!.lines;
    expect(JSON.stringify(transcript)).not.toMatch(/Lucía|🚀/);
    expect(lines.map((line) => line.body)).toContain('Hola Deleted member, lo reviso ahora');
    expect(
      lines
        .filter((line) => line.author.kind === 'member')
        .every((line) => line.author.name === 'Deleted member'),
    ).toBe(true);

    const figuresAfter = FiguresResponseSchema.parse(await (await api('Sam', '/figures?days=7')).json());
    expect(JSON.stringify(figuresAfter)).not.toMatch(/Lucía|🚀/);
    expect(figuresAfter.figures.satisfaction).toEqual(figuresBefore.figures.satisfaction);
    expect(figuresAfter.figures.openCases).toEqual(figuresBefore.figures.openCases);

    // Nothing the bridge keeps names her or holds her Discord id any more.
    for (const table of [
      'members',
      'cases',
      'case_events',
      'conversations',
      'chat_transcripts',
      'chat_lines',
      'kb_answers',
      'chat_surveys',
      'case_audit',
      'privacy_requests',
      'privacy_exports',
    ]) {
      const { rows } = await stack.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      const found = rows.filter((row) => row.row.includes('Lucía') || row.row.includes(chat.userId));
      expect(found, table).toEqual([]);
    }
    // The supervisor's record: that it happened, nothing about whom.
    const { requests } = PrivacyRequestsResponseSchema.parse(
      await (await api('Sam', '/privacy/requests')).json(),
    );
    expect(requests.map((request) => [request.kind, request.source, request.requestedBy])).toEqual([
      ['delete', 'discord', 'member'],
      ['export', 'discord', 'member'],
    ]);
    expect(requests[0]!.summary).toMatchObject({ cases: 1, transcripts: 1, surveys: 1 });
    // The audit log of staff actions stays as it was.
    const audit = AuditResponseSchema.parse(
      await (await api('Sam', `/audit?caseNumber=${caseNumber}`)).json(),
    );
    expect(audit.entries.some((entry) => entry.action === 'status_changed')).toBe(true);
  });

  it('a second erasure within the window is refused in her language', async () => {
    expect(await luciaConfirmsErasure('Lo pediste')).toMatch(/^Lo pediste hace poco/);
  });

  it('an admin exports and erases for a member who asked by e-mail; a supervisor gets 403', async () => {
    const pat = await memberWithAgent(stack, 'pixelpat');
    stack.twilio.control.wrapUpTask(pat.taskSid);
    const patCase = Number(stack.twilio.control.task(pat.taskSid).attributes.caseNumber);
    await eventually(
      async () => (await stack.bridge.cases.find(patCase))?.conversationSids.length,
      'the case',
    );
    const path = `/privacy/members/${pat.userId}`;

    const bySupervisor = await api('Sam', `${path}/export`, { method: 'POST', body: {} });
    expect(bySupervisor.status).toBe(403);
    expect(await bySupervisor.json()).toMatchObject({ error: { code: 'privacy_admins_only' } });

    const exported = await api('Ada', `${path}/export`, { method: 'POST', body: {} });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?flexcord-data-\d{4}-\d{2}-\d{2}\.json"?$/,
    );
    const file = (await exported.json()) as {
      profile: { display_name: string };
      cases: { number: number }[];
    };
    expect(file.profile.display_name).toBe('Pat');
    expect(file.cases.map((kase) => kase.number)).toContain(patCase);

    await eventually(
      async () =>
        !(
          await stack.db.query(`SELECT 1 FROM conversations WHERE sid = $1 AND phase <> 'ended'`, [
            pat.conversationSid,
          ])
        ).rows.length,
      'the chat ended',
    );
    const mismatch = await api('Ada', `${path}/delete`, {
      method: 'POST',
      body: { confirm: '123456789012345678' },
    });
    expect(mismatch.status).toBe(400);
    const erased = await api('Ada', `${path}/delete`, { method: 'POST', body: { confirm: pat.userId } });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ erased: true, summary: { cases: 1 } });
    expect((await stack.bridge.cases.find(patCase))?.member.displayName).toBe('Deleted member');
    const { requests } = PrivacyRequestsResponseSchema.parse(
      await (await api('Sam', '/privacy/requests')).json(),
    );
    expect(requests[0]).toMatchObject({
      kind: 'delete',
      source: 'plugin-api',
      requestedBy: 'ada@example.com',
    });
  });
});
