import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';
import { botDm } from './helpers/story-steps.ts';

const storages: Storage[] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/** A clock the test moves: the bridge's "now" for its support hours and queue notices. */
function movableClock(start: Date) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set(at: Date) {
      now = at.getTime();
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

async function askForAgent(stack: Stack, user: string): Promise<void> {
  await stack.discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
  await stack.discord.control.waitForMessage({
    dmWith: user,
    contains: user === 'lucia' ? 'asistente' : 'support assistant',
  });
  stack.discord.control.sendMessage({ user, content: 'agent please' });
}

const taskOf = (stack: Stack, user: string) => {
  const userId = stack.discord.control.user(user).id;
  return stack.twilio.control.tasks().find((task) => task.attributes.discordUserId === userId);
};

describe.each(storages)('waiting in line for an agent (%s)', (storage) => {
  let stack: Stack;
  const clock = movableClock(new Date());

  beforeAll(async () => {
    stack = await startStack({
      storage,
      env: { QUEUE_POLL_SECONDS: '0.1', QUEUE_UPDATE_SECONDS: '30' },
      now: clock.now,
    });
    stack.twilio.control.setAgentActivity('Dana', 'Offline');
    stack.twilio.control.setAgentActivity('Leo', 'Unavailable');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('with no agent Available, each member is told their place in line; no estimate without statistics', async () => {
    await askForAgent(stack, 'pixelpat');
    await eventually(() => taskOf(stack, 'pixelpat'), "Pat's task");
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: "You're 1st in line." });
    await askForAgent(stack, 'lucia');
    await eventually(() => taskOf(stack, 'lucia'), "Lucía's task");
    await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      contains: 'Estás en el puesto 2 de la fila.',
    });
    await askForAgent(stack, 'maude');
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: "You're 3rd in line." });
    // Nothing changed for Pat: he is not told again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(botDm(stack, 'pixelpat').filter((text) => text.includes('in line'))).toHaveLength(1);
  });

  it('when an agent takes the first one, the others move up — told at most every 30 s, with an estimate from the queue statistics', async () => {
    // Pat waited two minutes before Dana came back and accepted.
    stack.twilio.control.advanceClock(120_000);
    stack.twilio.control.setAgentActivity('Dana', 'Available');
    const pats = taskOf(stack, 'pixelpat')!;
    stack.twilio.control.acceptTask(pats.sid, 'Dana');
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: '**Dana** joined the chat' });
    // Dana is busy now (single-tasking for this story): nobody else is offered a task.
    stack.twilio.control.setAgentActivity('Dana', 'Unavailable');
    for (const task of stack.twilio.control.tasks())
      if (task.reservations.some((r) => r.status === 'pending'))
        stack.twilio.control.rejectTask(task.sid, 'Dana');

    // Lucía's last notice was under 30 s ago: the new position waits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(botDm(stack, 'lucia').filter((text) => text.includes('puesto'))).toHaveLength(1);
    clock.advance(31_000);
    // About 2 min per member, from the average wait until accepted over the last hour.
    await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      contains: 'Estás en el puesto 1 de la fila; unos 2 min de espera.',
    });
    await stack.discord.control.waitForMessage({
      dmWith: 'maude',
      contains: "You're 2nd in line, about 4 min.",
    });
    expect(botDm(stack, 'pixelpat').filter((text) => text.includes('in line'))).toHaveLength(1);
  });

  it('/helpme while waiting says so with the place in line; an agent joining stops the notices', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'maude',
      name: 'helpme',
      channel: 'help',
    });
    const reply = await eventually(
      () => stack.discord.control.interaction(outcome.interactionId).original?.content || undefined,
      'the answer to /helpme',
    );
    expect(reply).toContain('in line for an agent');
    expect(reply).toContain('2nd in line');

    stack.twilio.control.setAgentActivity('Leo', 'Available');
    const maudes = taskOf(stack, 'maude')!;
    stack.twilio.control.acceptTask(maudes.sid, 'Leo');
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: '**Leo** joined the chat' });
    const before = botDm(stack, 'maude').length;
    clock.advance(31_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      botDm(stack, 'maude')
        .slice(before)
        .filter((text) => text.includes('in line')),
    ).toEqual([]);
  });
});

/** Weekdays 9:00–18:00 in Madrid, closed on 8 December 2026 (a Tuesday). */
const HOURS = JSON.stringify({
  timeZone: 'Europe/Madrid',
  label: 'CET',
  weekly: {
    mon: '09:00-18:00',
    tue: '09:00-18:00',
    wed: '09:00-18:00',
    thu: '09:00-18:00',
    fri: ['09:00-14:00', '15:00-18:00'],
  },
  holidays: ['2026-12-08'],
});

describe.each(storages)('outside the support hours (%s)', (storage) => {
  let stack: Stack;
  // Saturday 5 December 2026, 13:00 in Madrid.
  const clock = movableClock(new Date('2026-12-05T12:00:00Z'));

  beforeAll(async () => {
    stack = await startStack({
      storage,
      env: { SUPPORT_HOURS: HOURS, QUEUE_POLL_SECONDS: '0.1' },
      now: clock.now,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('"Talk to an agent" on a Saturday says when the team is back, in the member\'s language, and keeps the request', async () => {
    await askForAgent(stack, 'pixelpat');
    await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: "Our team is away right now: we're back Monday 9:00 (CET). Your request is kept",
    });
    await askForAgent(stack, 'lucia');
    await stack.discord.control.waitForMessage({
      dmWith: 'lucia',
      contains: 'Nuestro equipo no está disponible ahora: volvemos el lunes 9:00 (CET).',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(taskOf(stack, 'pixelpat')).toBeUndefined();
    expect(taskOf(stack, 'lucia')).toBeUndefined();
    const [kase] = await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id);
    expect(kase).toMatchObject({ status: 'open' });
    const detail = await stack.bridge.cases.detail(kase!.number);
    expect(detail.timeline.find((event) => event.type === 'waiting_for_hours')).toMatchObject({
      data: { opensAt: '2026-12-07T08:00:00.000Z' },
    });

    // Pat writes meanwhile: the bot stays quiet (his words wait for the agent), /helpme says he waits.
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'my game crashes on startup' });
    const outcome = await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'helpme',
      channel: 'help',
    });
    const reply = await eventually(
      () => stack.discord.control.interaction(outcome.interactionId).original?.content || undefined,
      'the answer to /helpme',
    );
    expect(reply).toContain('in line for an agent');
  });

  it('when the hours open on Monday the kept requests go to Flex, and the member is told when someone joins', async () => {
    clock.set(new Date('2026-12-07T08:00:05Z'));
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: "We're open again" });
    await stack.discord.control.waitForMessage({ dmWith: 'lucia', contains: 'Ya estamos disponibles' });
    const task = await eventually(() => taskOf(stack, 'pixelpat'), "Pat's task, at opening");
    expect(task.attributes).toMatchObject({ customChannelType: 'discord' });
    stack.twilio.control.acceptTask(task.sid, 'Dana');
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: '**Dana** joined the chat' });
    const [kase] = await stack.bridge.cases.listByMember(stack.discord.control.user('pixelpat').id);
    const detail = await stack.bridge.cases.detail(kase!.number);
    expect(detail.timeline.map((event) => event.type)).toEqual(
      expect.arrayContaining(['waiting_for_hours', 'routed_at_opening', 'agent_joined']),
    );
    // Routed once, whatever the later passes of the scheduler.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(botDm(stack, 'pixelpat').filter((text) => text.includes("We're open again"))).toHaveLength(1);
  });

  it('on a holiday the team is back the next working day', async () => {
    // Monday 7 December, 18:30 in Madrid: Tuesday is a holiday, so Wednesday.
    clock.set(new Date('2026-12-07T17:30:00Z'));
    await askForAgent(stack, 'maude');
    await stack.discord.control.waitForMessage({
      dmWith: 'maude',
      contains: "we're back Wednesday 9:00 (CET)",
    });
  });
});
