import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptResponseSchema } from '@flexcord/contracts';
import { type BridgeProcess, eventually, startBridgeProcess } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/provision/apply-plan.ts';
import { planTopicsOnly } from '../src/provision/plan-twilio.ts';
import { type Stack, startStack } from './helpers/stack.ts';
import { botDm } from './helpers/story-steps.ts';

/**
 * Issue #22: Lucía chats with Leo in Spanish, then the bridge restarts and Twilio no longer has the
 * Conversation (deleted by retention, or lost by a reset account or an emulator restart). Nothing
 * the bridge relayed is lost: the kept transcript holds every message of the chat, and Lucía is
 * told once, in Spanish, that the chat ended. The bridge (its own process, its data on disk, killed
 * with SIGKILL) says so in its log in one line, with no stack dump.
 */
describe('a restart during a chat whose Conversation is gone afterwards', () => {
  let stack: Stack;
  let bridge: BridgeProcess | null = null;
  let output = '';
  let conversationSid = '';
  let caseNumber = 0;

  beforeAll(async () => {
    stack = await startStack({ inProcessBridge: false });
    // The chat workflow as `npm run provision` leaves it: a reopened case to its last agent first.
    await applyPlan((await planTopicsOnly({ client: stack.client, options: { HELP_TOPICS: [] } })).actions);
    bridge = await startBridgeProcess({
      env: {
        ...stack.env,
        PGLITE_DIR: join(mkdtempSync(join(tmpdir(), 'flexcord-restart-')), 'pglite'),
        LOG_LEVEL: 'info',
      },
      readyTimeoutMs: 180_000,
    });
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
    conversationSid = String(task.attributes.conversationSid);
    caseNumber = Number(task.attributes.caseNumber);
    twilio.control.acceptTask(task.sid, 'Leo');
    await discord.control.waitForMessage({ dmWith: 'lucia', contains: 'se unió al chat' });
    discord.control.sendMessage({ user: 'lucia', content: 'Mi pedido n.º 4411 no llegó 📦' });
    await eventually(
      () =>
        (twilio.control.conversation(conversationSid).messages as { body: string | null }[]).some(
          (message) => message.body === 'Mi pedido n.º 4411 no llegó 📦',
        ),
      "Lucía's message in the Conversation",
    );
    twilio.control.sendAgentMessage('Leo', conversationSid, { body: 'Lo reviso ahora mismo' });
    await eventually(() => botDm(stack, 'lucia').includes('Lo reviso ahora mismo'), "Leo's reply in the DM");

    // The bridge dies; Twilio forgets the Conversation; the bridge starts again and catches up.
    await bridge.kill();
    await stack.client.conversations.v1
      .services(stack.config.TWILIO_CONVERSATIONS_SERVICE_SID)
      .conversations(conversationSid)
      .remove();
    await bridge.restart();
  }, 420_000);
  afterAll(async () => {
    await bridge?.kill();
    await stack?.stop();
  });

  it('Lucía is told once, in Spanish, that the chat ended', async () => {
    const ended = `Este chat terminó. El caso #${caseNumber} sigue abierto hasta que se resuelva; usa /helpme para volver a hablar con nosotros.`;
    await eventually(() => botDm(stack, 'lucia').includes(ended), 'the end notice');
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(botDm(stack, 'lucia').filter((text) => text.startsWith('Este chat terminó'))).toEqual([ended]);
  });

  it('the kept transcript holds every message of the chat, in order, between its notices', async () => {
    const token = stack.twilio.control.issueFlexToken('Leo').token;
    const transcript = await eventually(async () => {
      const response = await fetch(`${bridge!.url}/api/cases/${caseNumber}/transcript?format=json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = TranscriptResponseSchema.parse(await response.json());
      return body.chats.length ? body : undefined;
    }, 'the kept transcript');
    const [chat] = transcript.chats;
    expect(chat).toMatchObject({ conversationSid, agents: ['Leo'] });
    const lines = chat!.lines.map((line) => `${line.author.kind}:${line.author.name}:${line.body}`);
    const order = [
      lines.indexOf('member:Lucía:agente por favor'),
      lines.indexOf('system:Support:Leo joined the chat'),
      lines.indexOf('member:Lucía:Mi pedido n.º 4411 no llegó 📦'),
      lines.indexOf('agent:Leo:Lo reviso ahora mismo'),
      lines.indexOf('system:Support:The chat ended'),
    ];
    expect(
      order.every((index) => index >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the bridge logs the restart one line per fact: the chat it ended, no stack dumps', async () => {
    await stack.twilio.control.settle();
    output = bridge!.output();
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    const ended = lines.filter((line) => line.includes('Twilio no longer has its Conversation'));
    expect(ended).toHaveLength(1);
    expect(JSON.parse(ended[0]!)).toMatchObject({ conversationSid, caseNumber });
    expect(lines.filter((line) => line.includes('"stack"'))).toEqual([]);
    expect(lines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('when Lucía comes back, her reopened case goes to Leo: the Flex task names him as its known agent and he, not Dana, is offered it', async () => {
    const { discord, twilio } = stack;
    const userId = discord.control.user('lucia').id;
    const before = new Set(twilio.control.tasks().map((task) => task.sid));
    await discord.control.runCommand({ user: 'lucia', name: 'helpme', channel: 'help', locale: 'es-ES' });
    discord.control.sendMessage({ user: 'lucia', content: 'agente' });
    const task = await eventually(
      () =>
        twilio.control
          .tasks()
          .find((candidate) => !before.has(candidate.sid) && candidate.attributes.discordUserId === userId),
      'the new Flex task',
      60_000,
    );
    expect(task.attributes).toMatchObject({ caseNumber, lastAgent: 'leo@example.com' });
    // Both are Available, and Dana is first in line: the workflow still offers the task to Leo only.
    const agents = twilio.control.agents();
    expect(agents.filter((agent) => agent.available).map((agent) => agent.name)).toEqual(['Dana', 'Leo']);
    const workerOf = (name: string) => agents.find((agent) => agent.name === name)!.workerSid;
    const reservations = await eventually(async () => {
      const list = await stack.client.taskrouter.v1
        .workspaces(twilio.workspaceSid)
        .tasks(task.sid)
        .reservations.list();
      return list.length ? list : undefined;
    }, "the reopened task's reservation");
    expect(reservations.map((reservation) => reservation.workerSid)).toEqual([workerOf('Leo')]);
    expect(reservations.map((reservation) => reservation.workerSid)).not.toContain(workerOf('Dana'));
  });
});
