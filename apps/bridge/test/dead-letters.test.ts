import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();
const BRIDGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * A delivery that can never succeed is never silent: the agent reads it in the Conversation, the
 * case's timeline records it, `/metrics` counts it, and an operator lists it and replays it.
 */
describe.each<Storage>(['pglite', 'postgres'])('on %s: messages that cannot be delivered', (storage) => {
  if (storage === 'postgres' && !withPostgres) {
    it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
    return;
  }
  let stack: Stack;
  let chat: Awaited<ReturnType<typeof memberWithAgent>>;
  let caseNumber = 0;

  beforeAll(async () => {
    stack = await startStack({ storage });
    chat = await memberWithAgent(stack, 'pixelpat');
    caseNumber = (await stack.bridge.cases.listByConversation(chat.conversationSid))[0]!.number;
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const notices = () => conversationBodies(stack, chat.conversationSid, 'system');
  const timeline = async () => (await stack.bridge.cases.detail(caseNumber)).timeline;
  const deadLetterGauge = async () => {
    const text = await (await fetch(`${stack.bridge.url}/metrics`)).text();
    return Number(/^flexcord_outbox_dead_letters (\d+)/m.exec(text)?.[1] ?? Number.NaN);
  };

  it('when the member closes their DMs, the agent is told their message did not arrive, and the case records it', async () => {
    stack.discord.control.setDmsClosed('pixelpat', true);
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, {
      body: 'Are you still there, Pat?',
    });
    const notice = await eventually(
      () => notices().find((body) => body.includes('Are you still there, Pat?')),
      'the notice to the agent',
    );
    expect(notice).toMatch(/could not be delivered/i);
    expect(notice).toMatch(/DMs/);
    const failed = (await timeline()).find((event) => event.type === 'delivery_failed');
    expect(failed?.data).toMatchObject({ kind: 'discord.message', conversationSid: chat.conversationSid });
    expect(await deadLetterGauge()).toBe(1);
    // The notice is for the agent: it is not sent on to the member.
    await stack.twilio.control.settle();
    expect(botDm(stack, 'pixelpat').some((text) => /could not be delivered/i.test(text))).toBe(false);
  });

  it('an operator lists it and, once the member opens their DMs, replays it: it arrives once', async () => {
    const [dead, ...others] = await stack.bridge.deadLetters.list();
    expect(others).toEqual([]);
    expect(dead).toMatchObject({ kind: 'discord.message', stream: `discord:channel:${chat.dmChannelId}` });
    expect(dead!.lastError).toContain('50007');
    stack.discord.control.setDmsClosed('pixelpat', false);
    expect(await stack.bridge.deadLetters.replay(dead!.id)).toBe('replayed');
    stack.bridge.outbox.kick();
    await eventually(
      () => botDm(stack, 'pixelpat').includes('Are you still there, Pat?'),
      'the replayed message',
    );
    expect(await stack.bridge.deadLetters.list()).toEqual([]);
    expect(await stack.bridge.deadLetters.replay(dead!.id)).toBe('not_dead');
    expect(await deadLetterGauge()).toBe(0);
    expect((await timeline()).some((event) => event.type === 'delivery_replayed')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botDm(stack, 'pixelpat').filter((text) => text === 'Are you still there, Pat?')).toHaveLength(1);
  });

  it('a member message Twilio refuses for good is shown to the agent and recorded on the case', async () => {
    await stack.twilio.control.settle();
    stack.twilio.control.injectFault({
      match: 'POST /conversations/v1/**/Messages',
      status: 400,
      code: 50504,
      times: 1,
    });
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'this one gets refused' });
    const notice = await eventually(
      () => notices().find((body) => body.includes('this one gets refused')),
      'the notice to the agent',
    );
    expect(notice).toMatch(/from the member/i);
    const failed = (await timeline()).filter((event) => event.type === 'delivery_failed');
    expect(failed.at(-1)?.data).toMatchObject({ kind: 'twilio.message' });
  });

  it.runIf(storage === 'postgres')('npm run outbox -- list | replay <id> does the same from a shell', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/bin/outbox.ts', ...args], {
        cwd: BRIDGE_DIR,
        env: { ...process.env, DATABASE_URL: stack.env.DATABASE_URL! },
        encoding: 'utf8',
      });
    const list = run('list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('twilio.message');
    const id = /^\s*(\d+)\s/m.exec(list.stdout)?.[1];
    expect(id).toBeDefined();
    const replay = run('replay', id!);
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`replayed ${id}`);
    const unknown = run('replay', '999999');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no dead letter 999999');
  });
});
