import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { botDm, conversationBodies, memberWithAgent } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that Postgres or a vendor would refuse as it is (half a surrogate pair, U+0000) is made
 * safe where it enters, so one odd message never blocks a chat and is never lost.
 */
describe.each<Storage>(['pglite', 'postgres'])(
  'on %s: text from anywhere is stored and relayed',
  (storage) => {
    if (storage === 'postgres' && !withPostgres) {
      it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
      return;
    }
    let stack: Stack;
    let chat: Awaited<ReturnType<typeof memberWithAgent>>;

    beforeAll(async () => {
      stack = await startStack({ storage });
      chat = await memberWithAgent(stack, 'pixelpat');
    }, 60_000);
    afterAll(async () => {
      await stack?.stop();
    });

    it('an agent message of 1,100 emoji arrives whole, and the chat goes on', async () => {
      const party = `ok ${'🎉'.repeat(1100)}`;
      stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: party });
      const later = Array.from({ length: 6 }, (_, i) => `after the party ${i}`);
      for (const body of later) stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body });
      await eventually(
        () => botDm(stack, 'pixelpat').includes(later[5]!),
        'the later agent messages',
        20_000,
      );
      const dm = botDm(stack, 'pixelpat');
      expect(dm).toContain(party);
      expect(dm.filter((text) => text.startsWith('after the party'))).toEqual(later);
    });

    it('an agent message with U+0000 arrives without it, and the next one too', async () => {
      stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'before\u0000after' });
      stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'next one' });
      await eventually(() => botDm(stack, 'pixelpat').includes('next one'), 'the next agent message', 20_000);
      expect(botDm(stack, 'pixelpat')).toContain('beforeafter');
    });

    it('a member DM with U+0000 or half a surrogate pair reaches the agent', async () => {
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'nul\u0000byte' });
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'half \uD83C pair' });
      stack.discord.control.sendMessage({ user: 'pixelpat', content: 'member after' });
      const bodies = () => conversationBodies(stack, chat.conversationSid, `discord:${chat.userId}`);
      await eventually(() => bodies().includes('member after'), 'the member messages at the agent', 20_000);
      expect(bodies()).toContain('nulbyte');
      const half = bodies().find((body) => body.startsWith('half '));
      expect(half).toBe('half \uFFFD pair');
      for (const body of bodies()) expect(body).not.toMatch(loneSurrogate);
    });

    it('a note with U+0000 from the plugin is stored without it', async () => {
      const token = stack.twilio.control.issueFlexToken('Dana').token;
      const [found] = await stack.bridge.cases.listByConversation(chat.conversationSid);
      const response = await fetch(`${stack.bridge.url}/api/cases/${found!.number}/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'checked\u0000 the logs \uDC00' }),
      });
      expect(response.status).toBe(201);
      const detail = await stack.bridge.cases.detail(found!.number);
      expect(JSON.stringify(detail.timeline)).toContain('checked the logs \uFFFD');
    });
  },
);
