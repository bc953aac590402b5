import { SupervisorFiguresSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { DEFAULT_AGENTS } from '@flexcord/twilio-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { memberWithAgent } from './helpers/story-steps.ts';

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/**
 * A supervisor's figures, from what members and agents did through the real path: Pat's question
 * is answered by the virtual agent and she leaves; Maude asks, then wants an agent, Dana takes the
 * chat and resolves the case; then Pat wants an agent too, and her case stays open. Maya (a Flex supervisor) reads the figures; Dana,
 * an agent, is refused them.
 */
describe.each(storages)('supervisor figures (%s)', (storage) => {
  let stack: Stack;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack({
      storage,
      twilioOptions: {
        agents: [
          ...DEFAULT_AGENTS,
          { name: 'Maya', email: 'maya@example.com', roles: ['agent', 'supervisor'], available: false },
        ],
      },
    });
    for (const agent of ['Dana', 'Maya']) tokens[agent] = stack.twilio.control.issueFlexToken(agent).token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const api = (agent: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${tokens[agent]}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack.bridge.url}/api${path}`, { ...init, headers });
  };
  const ask = async (user: string, question: string) => {
    const before = stack.discord.control.dmMessages(user).length;
    stack.discord.control.sendMessage({ user, content: question });
    await eventually(
      () =>
        stack.discord.control
          .dmMessages(user)
          .slice(before)
          .find((message) => message.author.id === stack.discord.control.botUserId && message.embeds.length),
      `the virtual agent's answer to "${question}"`,
    );
  };

  it('counts the chats the virtual agent closed alone, the first response and the resolution', async () => {
    for (const user of ['pixelpat', 'maude']) {
      await stack.discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
      await stack.discord.control.waitForMessage({ dmWith: user, contains: 'support assistant' });
      await ask(user, 'my game crashes on startup');
    }
    // Pat presses "This helped" under the answer: a confirmed resolution.
    const answer = stack.discord.control.dmMessages('pixelpat').findLast((message) => message.embeds.length)!;
    const helped = (answer.components ?? [])
      .flatMap((row) =>
        'components' in row ? (row.components as { custom_id: string; label: string }[]) : [],
      )
      .find((button) => button.label === 'This helped')!;
    await stack.discord.control.clickButton({
      user: 'pixelpat',
      messageId: answer.id,
      customId: helped.custom_id,
    });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'Glad it helped' });
    const chat = await memberWithAgent(stack, 'maude');
    const [kase] = await stack.bridge.cases.listByConversation(chat.conversationSid);
    await eventually(
      async () => (await stack.bridge.cases.detail(kase!.number)).case.assignee,
      'Dana assigned',
    );
    // The first response is Dana's first message after Maude asked for an agent.
    stack.twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: 'Hi Maude, Dana here' });
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'Dana here' });
    const resolved = await api('Dana', `/cases/${kase!.number}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolved.status).toBe(200);

    const response = await api('Maya', '/figures?days=7');
    expect(response.status).toBe(200);
    const { figures } = (await response.json()) as { figures: unknown };
    const parsed = SupervisorFiguresSchema.parse(figures);
    expect(parsed.deflection).toEqual({ chats: 2, withoutAgent: 1, share: 0.5 });
    expect(parsed.virtualAgent).toEqual({
      chats: 2,
      handedOver: 1,
      confirmed: 1,
      assumed: 0,
      awaiting: 0,
      unresolved: 0,
      resolutionRate: 0.5,
      handoverRate: 0.5,
    });
    expect(parsed.reopened).toEqual({ resolved: 1, reopened: 0, share: 0, caseNumbers: [] });
    expect(parsed.firstResponse).toMatchObject({ samples: 1, caseNumbers: [kase!.number] });
    expect(parsed.firstResponse.medianSeconds).toBeGreaterThanOrEqual(0);
    expect(parsed.resolution).toMatchObject({ samples: 1, caseNumbers: [kase!.number] });
    expect(parsed.agents.map((agent) => [agent.agent, agent.chats])).toEqual([['Dana', 1]]);
    expect(parsed.openCases.filter((row) => row.type === 'support')).toEqual([]);
    expect(parsed.satisfaction).toEqual({ average: null, responses: 0, byScore: [0, 0, 0, 0, 0] });

    const csv = await api('Maya', '/figures?days=7&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename=figures-7-days.csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toMatch(/^scope,day_or_agent,chats,/);
    expect(rows.filter((row) => row.startsWith('day,'))).toHaveLength(8);
    expect(rows.find((row) => row.startsWith('agent,'))).toMatch(/^agent,Dana,1,\d+,1,\d+,1,,0$/);
  });

  it('shows open cases by type and status, and the same numbers in /metrics', async () => {
    await memberWithAgent(stack, 'pixelpat');
    const { figures } = (await (await api('Maya', '/figures')).json()) as { figures: unknown };
    const parsed = SupervisorFiguresSchema.parse(figures);
    expect(parsed.openCases).toContainEqual({ type: 'support', status: 'open', count: 1 });

    const metrics = await eventually(async () => {
      const text = await (await fetch(`${stack.bridge.url}/metrics`)).text();
      return text.includes('flexcord_cases_open{type="support",status="open"} 1') ? text : undefined;
    }, 'the open case in /metrics');
    // Pat wanted an agent after all: neither chat with a question was closed by the virtual agent alone.
    expect(parsed.deflection).toEqual({ chats: 2, withoutAgent: 0, share: 0 });
    expect(metrics).toMatch(/^flexcord_virtual_agent_deflection_ratio 0$/m);
    // Her "This helped" no longer counts: she asked for an agent in the same chat afterwards.
    expect(parsed.virtualAgent).toMatchObject({ chats: 2, handedOver: 2, confirmed: 0, handoverRate: 1 });
    expect(metrics).toMatch(/^flexcord_virtual_agent_handover_ratio 1$/m);
    expect(metrics).toMatch(/^flexcord_virtual_agent_resolution_ratio 0$/m);
    // No survey answer yet: no average to show, rather than a 0 that reads as a bad score.
    expect(metrics).toMatch(/^flexcord_satisfaction_average nan$/im);
    expect(metrics).toMatch(/^flexcord_case_resolution_median_seconds \d+$/m);
  });

  it('refuses the figures to an agent without the supervisor role, with a reason', async () => {
    const response = await api('Dana', '/figures');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'supervisors_only' } });
    expect((await api('Maya', '/figures?days=0')).status).toBe(400);
  });
});
