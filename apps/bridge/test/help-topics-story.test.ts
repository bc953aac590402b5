import { CaseDetailResponseSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/provision/apply-plan.ts';
import { planTopicRouting } from '../src/provision/plan-topic-routing.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, type Storage, startStack } from './helpers/stack.ts';

/**
 * Help topics through the real path: /helpme offers the brand's topics in a select menu, a topic's
 * form is a modal, a canned-answer topic answers without a case, and a routed topic's task reaches
 * Flex with its `topic` attribute, sent to the topic's queue by the workflow filter provisioning wrote.
 */
const withPostgres = await postgresAvailable();

export const STORY_TOPICS = JSON.stringify({
  topics: [
    {
      id: 'account',
      label: { en: 'Account & login', es: 'Cuenta e inicio de sesión' },
      emoji: '🔐',
      answer: {
        en: 'To reset your password, open **Settings → Security → Reset password**.',
        es: 'Para restablecer tu contraseña, abre **Ajustes → Seguridad → Restablecer contraseña**.',
      },
    },
    {
      id: 'payments',
      label: { en: 'Payments', es: 'Pagos' },
      emoji: '💳',
      description: { en: 'Charges, refunds, gems', es: 'Cargos, reembolsos, gemas' },
      form: {
        title: { en: 'About your payment', es: 'Sobre tu pago' },
        fields: [
          { id: 'order', label: { en: 'Order number', es: 'Número de pedido' }, maxLength: 40 },
          {
            id: 'what',
            label: { en: 'What happened?', es: '¿Qué pasó?' },
            style: 'paragraph',
            required: false,
          },
        ],
      },
      routing: { queue: 'Payments', skills: ['billing'], priority: 5 },
    },
    { id: 'other', label: { en: 'Something else', es: 'Otra cosa' }, emoji: '💬' },
  ],
});

describe.each<Storage>(['pglite', 'postgres'])('on %s: help topics in /helpme', (storage) => {
  if (storage === 'postgres' && !withPostgres) {
    it.skip('needs the Postgres server at 127.0.0.1:5432', () => undefined);
    return;
  }
  let stack: Stack;
  let paymentsQueueSid = '';
  let workspaceSid = '';

  beforeAll(async () => {
    stack = await startStack({ storage, env: { HELP_TOPICS: STORY_TOPICS } });
    // Provisioning writes the topics' queue and filter into the chat workflow, beside the brand's own.
    const [workspace] = await stack.client.taskrouter.v1.workspaces.list();
    workspaceSid = workspace!.sid;
    const ws = stack.client.taskrouter.v1.workspaces(workspaceSid);
    const vip = await ws.taskQueues.create({ friendlyName: 'VIP ✨', targetWorkers: '1==1' });
    const [workflow] = await ws.workflows.list();
    const brand = JSON.parse(workflow!.configuration) as {
      task_routing: { filters: unknown[]; default_filter: unknown };
    };
    brand.task_routing.filters.push({
      filter_friendly_name: 'VIP members',
      expression: 'vip == true',
      targets: [{ queue: vip.sid }],
    });
    await ws.workflows(workflow!.sid).update({ configuration: JSON.stringify(brand) });
    const plan = async () =>
      planTopicRouting({
        client: stack.client,
        workspace: workspace!,
        workflow: await ws.workflows(workflow!.sid).fetch(),
        topics: stack.config.HELP_TOPICS,
        call: (work) => work(),
      });
    await applyPlan(await plan());
    // Provisioning again changes nothing.
    expect((await plan()).map((action) => action.action)).toEqual(['unchanged', 'unchanged']);
    const filters = (
      JSON.parse((await ws.workflows(workflow!.sid).fetch()).configuration) as {
        task_routing: { filters: { filter_friendly_name: string; targets: { queue: string }[] }[] };
      }
    ).task_routing.filters;
    expect(filters.map((filter) => filter.filter_friendly_name)).toEqual([
      'Flexcord topic: payments',
      'VIP members',
    ]);
    paymentsQueueSid = filters[0]!.targets[0]!.queue;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const menuOf = async (user: string, locale: string) => {
    const outcome = await stack.discord.control.runCommand({ user, name: 'helpme', channel: 'help', locale });
    return eventually(() => {
      const original = stack.discord.control.interaction(outcome.interactionId).original;
      return original?.components?.length ? original : undefined;
    }, 'the topic menu');
  };
  const selectOf = (message: { components?: unknown[] }) =>
    (
      message.components as {
        components: { custom_id: string; options: { label: string; value: string }[] }[];
      }[]
    )[0]!.components[0]!;

  it('when Pat runs /helpme, the reply offers the brand’s topics in a menu, in English', async () => {
    const menu = await menuOf('pixelpat', 'en-US');
    expect(menu.content).toBe('What do you need help with? Pick a topic:');
    expect(selectOf(menu).options.map((option) => option.label)).toEqual([
      'Account & login',
      'Payments',
      'Something else',
    ]);
    // Nothing is opened before a topic is picked.
    expect(stack.discord.control.dmMessages('pixelpat')).toHaveLength(0);
  });

  it('when Lucía runs /helpme, she reads the topics in Spanish', async () => {
    const menu = await menuOf('lucia', 'es-ES');
    expect(menu.content).toBe('¿Con qué necesitas ayuda? Elige un tema:');
    expect(selectOf(menu).options.map((option) => option.label)).toEqual([
      'Cuenta e inicio de sesión',
      'Pagos',
      'Otra cosa',
    ]);
  });

  it('when Lucía picks "Cuenta", the canned answer resolves it: no chat, no case', async () => {
    const menu = await menuOf('lucia', 'es-ES');
    await stack.discord.control.selectMenu({
      user: 'lucia',
      messageId: menu.id,
      customId: selectOf(menu).custom_id,
      values: ['account'],
    });
    const answered = await eventually(() => {
      const message = stack.discord.control.message(menu.id);
      return message?.content.includes('Restablecer') ? message : undefined;
    }, 'the canned answer');
    expect(answered.content).toContain('Para restablecer tu contraseña');
    expect(answered.components ?? []).toHaveLength(0);
    await stack.twilio.control.settle();
    const { rows } = await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    expect(rows[0]?.n).toBe(0);
    expect(stack.discord.control.dmMessages('lucia')).toHaveLength(0);
  });

  it('when Pat picks "Payments", the form opens; its answers go with the chat, and the task reaches the Payments queue with topic "payments"', async () => {
    const menu = await menuOf('pixelpat', 'en-US');
    const picked = await stack.discord.control.selectMenu({
      user: 'pixelpat',
      messageId: menu.id,
      customId: selectOf(menu).custom_id,
      values: ['payments'],
    });
    expect(picked.response?.type).toBe(9); // MODAL
    const submitted = await stack.discord.control.submitModal({
      user: 'pixelpat',
      values: { order: 'SA-ÑØ-4471 💎', what: 'Charged twice for 500 gems — أرجو المساعدة' },
    });
    expect(submitted.response).not.toBeNull();
    const greeting = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'Hi Pat' });
    expect(greeting.content).toContain('You asked about **Payments**');

    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'agent please' });
    const notice = await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'created' });
    const caseNumber = Number(/#(\d+)/.exec(notice.content)![1]);
    const task = await eventually(() => stack.twilio.control.tasks()[0], 'a Flex task');
    expect(task.attributes).toMatchObject({
      customChannelType: 'discord',
      caseNumber,
      topic: 'payments',
      skills: ['billing'],
      priority: 5,
    });
    expect(task.priority).toBe(5);
    const routed = await stack.client.taskrouter.v1.workspaces(workspaceSid).tasks(task.sid).fetch();
    expect(routed.taskQueueSid).toBe(paymentsQueueSid);
    expect(routed.taskQueueFriendlyName).toBe('Payments');

    const detail = CaseDetailResponseSchema.parse(await stack.bridge.cases.detail(caseNumber));
    expect(detail.case.subject).toBe('Payments');
    expect(detail.case.details).toMatchObject({
      kind: 'support',
      helpTopic: {
        id: 'payments',
        label: { en: 'Payments', es: 'Pagos' },
        emoji: '💳',
        answers: [
          { id: 'order', label: { en: 'Order number', es: 'Número de pedido' }, value: 'SA-ÑØ-4471 💎' },
          {
            id: 'what',
            label: { en: 'What happened?', es: '¿Qué pasó?' },
            value: 'Charged twice for 500 gems — أرجو المساعدة',
          },
        ],
      },
    });
  });
});

describe('without help topics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('/helpme greets in a DM as before, with no menu', async () => {
    const outcome = await stack.discord.control.runCommand({
      user: 'maude',
      name: 'helpme',
      channel: 'help',
    });
    const reply = await eventually(() => {
      const original = stack.discord.control.interaction(outcome.interactionId).original;
      return original?.content ? original : undefined;
    }, 'the reply');
    expect(reply.content).toContain("I've sent you a DM");
    expect(reply.components ?? []).toHaveLength(0);
  });
});

describe('a topic with its own support hours', () => {
  let stack: Stack;
  const topics = JSON.stringify({
    topics: [
      {
        id: 'vip',
        label: { en: 'VIP desk', es: 'Mesa VIP' },
        emoji: '⭐',
        // The VIP desk works Sunday mornings only, whatever the brand's hours.
        routing: {
          priority: 10,
          supportHours: { timeZone: 'Europe/Madrid', label: 'CET', weekly: { sun: '09:00-13:00' } },
        },
      },
      { id: 'other', label: { en: 'Something else', es: 'Otra cosa' } },
    ],
  });
  beforeAll(async () => {
    // Monday 7 December 2026, 12:00 in Madrid: the brand (no SUPPORT_HOURS) is open, the VIP desk is not.
    stack = await startStack({
      env: { HELP_TOPICS: topics },
      now: () => new Date('2026-12-07T11:00:00Z'),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const pick = async (user: string, topic: string) => {
    const outcome = await stack.discord.control.runCommand({ user, name: 'helpme', channel: 'help' });
    const menu = await eventually(() => {
      const original = stack.discord.control.interaction(outcome.interactionId).original;
      return original?.components?.length ? original : undefined;
    }, 'the topic menu');
    await stack.discord.control.selectMenu({
      user,
      messageId: menu.id,
      customId: 'flexcord:topic',
      values: [topic],
    });
    await stack.discord.control.waitForMessage({ dmWith: user, contains: 'You asked about' });
  };

  it('keeps the request outside the topic’s hours and says when that team is back, in the topic’s time zone', async () => {
    await pick('pixelpat', 'vip');
    stack.discord.control.sendMessage({ user: 'pixelpat', content: 'agent' });
    const notice = await stack.discord.control.waitForMessage({
      dmWith: 'pixelpat',
      contains: 'away right now',
    });
    expect(notice.content).toMatch(
      /^Case #\d+ created\. Our team is away right now: we're back Sunday 9:00 \(CET\)\./,
    );
    await stack.twilio.control.settle();
    expect(stack.twilio.control.tasks()).toHaveLength(0);
  });

  it('routes another topic at once: the brand’s own hours are open', async () => {
    await pick('maude', 'other');
    stack.discord.control.sendMessage({ user: 'maude', content: 'agent' });
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'Connecting you to an agent' });
    const task = await eventually(() => stack.twilio.control.tasks()[0], 'a Flex task');
    expect(task.attributes).toMatchObject({ topic: 'other', skills: [], priority: 0 });
  });
});

describe('when the bot is not sure, it offers the topics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { HELP_TOPICS: STORY_TOPICS } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('Maude’s question matches no article: the reply offers the topics; she picks "Payments", and the chat and its case are about it', async () => {
    // A free-text topic skips the menu: the chat opens at once, about no configured topic.
    await stack.discord.control.runCommand({
      user: 'maude',
      name: 'helpme',
      channel: 'help',
      options: { topic: 'algo raro 🤔' },
    });
    await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'Hi Maude' });
    stack.discord.control.sendMessage({ user: 'maude', content: 'zzqx blorft wibble' });
    const unsure = await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: "I'm not sure" });
    expect(unsure.content).toBe(
      "I'm not sure I have an article about that. You can rephrase it, pick what it is about below, or talk to a person from our team.",
    );
    const rows = (unsure.components ?? []) as { components: { custom_id: string; label?: string }[] }[];
    expect(
      rows.map((row) => row.components.map((component) => component.label ?? component.custom_id)),
    ).toEqual([['Talk to an agent'], ['flexcord:topic']]);

    const picked = await stack.discord.control.selectMenu({
      user: 'maude',
      messageId: unsure.id,
      customId: 'flexcord:topic',
      values: ['payments'],
    });
    expect(picked.response?.type).toBe(9);
    await stack.discord.control.submitModal({ user: 'maude', values: { order: 'SA-77' } });
    const noted = await eventually(() => {
      const message = stack.discord.control.message(unsure.id);
      return message?.content.startsWith('Got it') ? message : undefined;
    }, 'the topic noted in the chat');
    expect(noted.content).toBe('Got it: **Payments**. Tell me more, or say **agent** to talk to a person.');
    // No second greeting: the chat goes on.
    expect(
      stack.discord.control.dmMessages('maude').filter((m) => m.content.startsWith('Hi Maude')),
    ).toHaveLength(1);

    stack.discord.control.sendMessage({ user: 'maude', content: 'agent' });
    const notice = await stack.discord.control.waitForMessage({ dmWith: 'maude', contains: 'created' });
    const caseNumber = Number(/#(\d+)/.exec(notice.content)![1]);
    const task = await eventually(() => stack.twilio.control.tasks()[0], 'a Flex task');
    expect(task.attributes).toMatchObject({ topic: 'payments', skills: ['billing'], priority: 5 });
    const detail = CaseDetailResponseSchema.parse(await stack.bridge.cases.detail(caseNumber));
    expect(detail.case.details).toMatchObject({
      kind: 'support',
      topic: 'Payments',
      helpTopic: { id: 'payments', answers: [{ id: 'order', value: 'SA-77' }] },
    });

    // An agent's canned reply names the topic she picked, not the words she typed.
    const token = stack.twilio.control.issueFlexToken('Dana').token;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${stack.bridge.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const created = await api('/api/canned-replies/personal', {
      method: 'POST',
      body: JSON.stringify({ en: { title: 'Topic', body: 'About {topic}, {member}.' } }),
    });
    expect(created.status).toBe(201);
    const { reply } = (await created.json()) as { reply: { id: string } };
    const filled = (await (
      await api(`/api/canned-replies/filled?conversationSid=${task.attributes.conversationSid}`)
    ).json()) as { replies: { id: string; text: string }[] };
    expect(filled.replies.find((candidate) => candidate.id === reply.id)?.text).toBe(
      'About Payments, Maude.',
    );
  });
});
