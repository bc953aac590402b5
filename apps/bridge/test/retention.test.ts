import { TranscriptResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

/**
 * Retention beside the transcripts': a chat's files stop being linked after FILE_RETENTION_DAYS
 * (their names stay), and a resolved case goes after CASE_RETENTION_DAYS with its timeline and
 * chats, while an open case stays whatever its age.
 */
describe('case and file retention', () => {
  let stack: Stack;
  let clock = Date.now();
  let token = '';
  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${stack.bridge.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  beforeAll(async () => {
    stack = await startStack({
      env: {
        CASE_RETENTION_DAYS: '30',
        FILE_RETENTION_DAYS: '7',
        TRANSCRIPT_RETENTION_DAYS: '365',
        TRANSCRIPT_PURGE_INTERVAL_SECONDS: '1',
      },
      now: () => new Date(clock),
    });
    token = stack.twilio.control.issueFlexToken('Dana').token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("after FILE_RETENTION_DAYS a transcript's file is listed by name without a link; after CASE_RETENTION_DAYS the resolved case is gone, an open one stays", async () => {
    const chat = await memberWithAgent(stack, 'pixelpat');
    const resolved = Number(stack.twilio.control.task(chat.taskSid).attributes.caseNumber);
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Here is the fix',
      media: { contentType: 'text/plain', filename: 'señal 📡.cfg', data: Buffer.from('vsync=off\n') },
    });
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      predicate: (message) => message.attachments.length > 0,
    });
    stack.twilio.control.wrapUpTask(chat.taskSid);
    const fileOf = async () => {
      const body = TranscriptResponseSchema.parse(
        await (await api(`/cases/${resolved}/transcript?format=json`)).json(),
      );
      return body.chats[0]?.lines
        .flatMap((line) => line.files)
        .find((file) => file.filename === 'señal 📡.cfg');
    };
    expect((await eventually(fileOf, 'the kept transcript')).url).toMatch(/\/files\/ME/);
    expect((await api(`/cases/${resolved}`, { method: 'PATCH', body: { status: 'resolved' } })).status).toBe(
      200,
    );

    const other = await memberWithAgent(stack, 'maude');
    const open = Number(stack.twilio.control.task(other.taskSid).attributes.caseNumber);
    stack.twilio.control.wrapUpTask(other.taskSid);

    clock += 8 * 86_400_000;
    const unlinked = await eventually(
      async () => {
        const file = await fileOf();
        return file && file.url === null ? file : undefined;
      },
      'the file unlinked',
      5000,
    );
    expect(unlinked.filename).toBe('señal 📡.cfg');
    expect(await stack.bridge.cases.find(resolved)).not.toBeNull();

    clock += 23 * 86_400_000;
    await eventually(async () => (await stack.bridge.cases.find(resolved)) === null, 'the purged case', 5000);
    const { rows } = await stack.db.query('SELECT 1 FROM chat_transcripts WHERE case_number = $1', [
      resolved,
    ]);
    expect(rows).toEqual([]);
    expect((await stack.bridge.cases.find(open))?.status).toBe('open');
  });
});
