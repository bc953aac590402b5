import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { HelpTopics } from '../src/domain/topics/help-topics.ts';
import { topicFilter, withTopicFilters } from '../src/provision/plan-topic-routing.ts';

const VALID = {
  PUBLIC_BASE_URL: 'https://flexcord.example.com',
  DISCORD_TOKEN: 'bot-token-value',
  DISCORD_APPLICATION_ID: '123456789012345678',
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth-token-value-0123456789',
  TWILIO_CONVERSATIONS_SERVICE_SID: `IS${'b'.repeat(32)}`,
  TWILIO_STUDIO_FLOW_SID: `FW${'c'.repeat(32)}`,
};

const PAYMENTS = {
  id: 'payments',
  label: { en: 'Payments', es: 'Pagos' },
  emoji: '💳',
  form: {
    fields: [
      { id: 'order', label: { en: 'Order number', es: 'Número de pedido' } },
      { id: 'what', label: { en: 'What happened?', es: '¿Qué pasó?' }, style: 'paragraph', required: false },
    ],
  },
  routing: { queue: 'Payments', skills: ['billing'], priority: 5 },
};

/** The message of the configuration error HELP_TOPICS gives, or null when it is valid. */
function problem(topics: unknown): string | null {
  try {
    loadConfig({ ...VALID, HELP_TOPICS: typeof topics === 'string' ? topics : JSON.stringify(topics) });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((item) => item.variable === 'HELP_TOPICS');
    return issue?.message ?? null;
  }
}

describe('HELP_TOPICS: the brand’s help topics', () => {
  it('are none when unset: /helpme shows no menu', () => {
    expect(loadConfig(VALID).HELP_TOPICS).toEqual([]);
  });

  it('read inline JSON, inline YAML, or a file, with defaults filled in', () => {
    const fromJson = loadConfig({
      ...VALID,
      HELP_TOPICS: JSON.stringify({ topics: [PAYMENTS] }),
    }).HELP_TOPICS;
    expect(fromJson[0]).toMatchObject({
      id: 'payments',
      form: { fields: [{ id: 'order', style: 'short', required: true, minLength: 0, maxLength: 1000 }, {}] },
      routing: { queue: 'Payments', skills: ['billing'], priority: 5 },
    });
    const yaml = [
      'topics:',
      '  - id: bug',
      '    label: { en: "Bug 🐛", es: "Error 🐛" }',
      '    routing: { skills: [tech] }',
    ].join('\n');
    expect(loadConfig({ ...VALID, HELP_TOPICS: yaml }).HELP_TOPICS[0]).toMatchObject({
      id: 'bug',
      label: { en: 'Bug 🐛', es: 'Error 🐛' },
      routing: { skills: ['tech'], priority: 0 },
    });
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    const file = join(dir, 'topics.yaml');
    writeFileSync(file, yaml);
    expect(loadConfig({ ...VALID, HELP_TOPICS: file }).HELP_TOPICS).toHaveLength(1);
    expect(problem(join(dir, 'missing.yaml'))).toMatch(/^cannot read .*missing\.yaml/);
  });

  it('name each problem by its place, in words a deployer can act on', () => {
    expect(problem('{ not json')).toMatch(/^not valid YAML or JSON/);
    expect(problem({ topics: [] })).toBe('topics: list at least one topic');
    expect(problem({ topics: [{ ...PAYMENTS, id: 'Pagos Ñ' }] })).toMatch(
      /^topics\.0\.id: a topic id is 1–32 characters of a–z/,
    );
    expect(problem({ topics: [{ ...PAYMENTS, label: { en: 'Payments' } }] })).toMatch(
      /^topics\.0\.label\.es: /,
    );
    expect(problem({ topics: [PAYMENTS, PAYMENTS] })).toBe('topics: the topic id "payments" is used twice');
    expect(
      problem({ topics: [{ ...PAYMENTS, answer: { en: 'Open settings', es: 'Abre ajustes' } }] }),
    ).toContain('has both "answer" and "routing"');
  });

  it('hold to Discord’s limits: 25 topics, labels of 100, forms of 1–5 fields with labels of 45', () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ id: `t${i}`, label: { en: `T${i}`, es: `T${i}` } }));
    expect(problem({ topics: many })).toBe('topics: at most 25 topics (a Discord select menu)');
    expect(problem({ topics: [{ ...PAYMENTS, label: { en: 'x'.repeat(101), es: 'Pagos' } }] })).toBe(
      'topics.0.label.en: a topic label: at most 100 characters',
    );
    const field = (i: number) => ({ id: `f${i}`, label: { en: `F${i}`, es: `F${i}` } });
    expect(
      problem({ topics: [{ ...PAYMENTS, form: { fields: Array.from({ length: 6 }, (_, i) => field(i)) } }] }),
    ).toBe('topics.0.form.fields: a form has 1 to 5 fields');
    const longLabel = {
      id: 'order',
      label: { en: 'Your order number, as printed on the receipt email', es: 'Pedido' },
    };
    expect(problem({ topics: [{ ...PAYMENTS, form: { fields: [longLabel] } }] })).toBe(
      'topics.0.form.fields.0.label.en: a field label: at most 45 characters',
    );
    expect(
      problem({
        topics: [{ ...PAYMENTS, form: { fields: [{ ...field(1), minLength: 50, maxLength: 10 }] } }],
      }),
    ).toBe('topics.0.form.fields.0.minLength: minLength is more than maxLength');
    expect(
      problem({ topics: [{ ...PAYMENTS, form: { fields: [{ ...field(1), maxLength: 4001 }] } }] }),
    ).toMatch(/^topics\.0\.form\.fields\.0\.maxLength: /);
  });

  it('check a topic’s support hours like SUPPORT_HOURS', () => {
    expect(
      problem({
        topics: [{ ...PAYMENTS, routing: { supportHours: { timeZone: 'Mars/Olympus', weekly: {} } } }],
      }),
    ).toMatch(/^topics\.0\.routing\.supportHours\.timeZone: must be an IANA time zone/);
  });
});

describe('a topic’s form answers and task attributes', () => {
  const topics = new HelpTopics(
    loadConfig({ ...VALID, HELP_TOPICS: JSON.stringify({ topics: [PAYMENTS] }) }).HELP_TOPICS,
  );
  const payments = topics.get('payments')!;

  it('keep the answers in the form’s order with both languages’ labels, dropping unknown fields', () => {
    const checked = topics.checkAnswers(payments, { what: ' twice ', order: 'A-1', hacker: 'x' }, 'es-ES');
    expect(checked).toEqual({ ok: true, answers: { order: 'A-1', what: 'twice' } });
    expect(topics.snapshot(payments, { order: 'A-1' })).toEqual({
      id: 'payments',
      label: { en: 'Payments', es: 'Pagos' },
      emoji: '💳',
      answers: [{ id: 'order', label: { en: 'Order number', es: 'Número de pedido' }, value: 'A-1' }],
    });
  });

  it('name a missing required field in the member’s language', () => {
    expect(topics.checkAnswers(payments, { what: 'x' }, 'es-ES')).toEqual({
      ok: false,
      field: 'Número de pedido',
    });
  });

  it('give the task what workflow filters read, and nothing for no topic', () => {
    expect(topics.taskAttributes('payments')).toEqual({
      topic: 'payments',
      skills: ['billing'],
      priority: 5,
    });
    expect(topics.taskAttributes(null)).toEqual({ topic: '', skills: [], priority: 0 });
  });
});

describe('the workflow’s topic filters', () => {
  it('come first, replace Flexcord’s earlier ones and keep the brand’s filters and default', () => {
    const brand = JSON.stringify({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'Flexcord topic: old',
            expression: 'topic == "old"',
            targets: [{ queue: 'WQ0' }],
          },
          { filter_friendly_name: 'VIP', expression: 'vip == true', targets: [{ queue: 'WQ1' }] },
        ],
        default_filter: { queue: 'WQ2' },
      },
    });
    const topic = new HelpTopics(
      loadConfig({ ...VALID, HELP_TOPICS: JSON.stringify({ topics: [PAYMENTS] }) }).HELP_TOPICS,
    ).get('payments')!;
    expect(JSON.parse(withTopicFilters(brand, [topicFilter(topic, 'WQ3')]))).toEqual({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'Flexcord topic: payments',
            expression: 'customChannelType == "discord" AND topic == "payments"',
            targets: [{ queue: 'WQ3' }],
          },
          { filter_friendly_name: 'VIP', expression: 'vip == true', targets: [{ queue: 'WQ1' }] },
        ],
        default_filter: { queue: 'WQ2' },
      },
    });
  });
});
