import { describe, expect, it, vi } from 'vitest';
import { CONDITION_TYPES, type ConditionType, evaluateCondition } from '../src/studio/conditions.ts';
import {
  type FlowDefinition,
  FlowDefinitionSchema,
  validateFlowDefinition,
} from '../src/studio/flow-definition.ts';
import {
  type FlowRunnerDeps,
  type FlowTrigger,
  MAX_RUNS_PER_WIDGET,
  MAX_STEPS,
  runFlow,
  type SendToFlexRequest,
  type StudioHttpRequest,
  type StudioHttpResponse,
} from '../src/studio/runner.ts';

const CONVERSATION_SID = 'CH0123456789abcdef0123456789abcdef';
const MESSAGE_SID = 'IM0123456789abcdef0123456789abcdef';
const WORKFLOW_SID = 'WW0123456789abcdef0123456789abcdef';
const FLOW_SID = 'FW0123456789abcdef0123456789abcdef';

/**
 * A flow as Studio exports it for a Conversations custom channel: every Discord message goes to the
 * bridge's bot endpoint, which answers with a route; "agent" hands the conversation to Flex.
 */
const discordInbound = {
  description: 'Discord inbound: bot first, then Flex',
  states: [
    {
      name: 'Trigger',
      type: 'trigger',
      transitions: [
        { event: 'incomingMessage' },
        { event: 'incomingCall' },
        { next: 'bot', event: 'incomingConversationMessage' },
        { event: 'incomingRequest' },
        { event: 'incomingParent' },
      ],
      properties: { offset: { x: 0, y: 0 } },
    },
    {
      name: 'bot',
      type: 'make-http-request',
      transitions: [
        { next: 'route', event: 'success' },
        { next: 'send_to_flex', event: 'failed' },
      ],
      properties: {
        offset: { x: 20, y: 220 },
        method: 'POST',
        content_type: 'application/x-www-form-urlencoded;charset=utf-8',
        add_twilio_auth: false,
        parameters: [
          { key: 'ConversationSid', value: '{{trigger.conversation.ConversationSid}}' },
          { key: 'MessageSid', value: '{{trigger.conversation.MessageSid}}' },
          { key: 'Author', value: '{{trigger.conversation.Author}}' },
          { key: 'Body', value: '{{trigger.conversation.Body}}' },
          { key: 'Source', value: '{{trigger.conversation.Source}}' },
        ],
        url: 'https://bridge.example.test/webhooks/twilio/bot',
      },
    },
    {
      name: 'route',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch' },
        {
          next: 'send_to_flex',
          event: 'match',
          conditions: [
            {
              friendly_name: 'If value equal_to agent',
              arguments: ['{{widgets.bot.parsed.route}}'],
              type: 'equal_to',
              value: 'agent',
            },
          ],
        },
        {
          event: 'match',
          conditions: [
            {
              friendly_name: 'If value matches_any_of bot,none',
              arguments: ['{{widgets.bot.parsed.route}}'],
              type: 'matches_any_of',
              value: 'bot,none',
            },
          ],
        },
      ],
      properties: { input: '{{widgets.bot.parsed.route}}', offset: { x: 20, y: 460 } },
    },
    {
      name: 'send_to_flex',
      type: 'send-to-flex',
      transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
      properties: {
        offset: { x: 20, y: 700 },
        workflow: WORKFLOW_SID,
        channel: 'chat',
        attributes:
          '{"conversationSid": "{{trigger.conversation.ConversationSid}}", "customerName": "{{widgets.bot.parsed.task.customerName}}", "discord": {{widgets.bot.parsed.task | to_json}}, "caseNumber": {{widgets.bot.parsed.caseNumber | default: 0}}}',
        priority: '0',
        timeout: '3600',
      },
    },
  ],
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
};

function conversationMessage(body: string, extra: Record<string, unknown> = {}): FlowTrigger {
  return {
    event: 'incomingConversationMessage',
    context: {
      conversation: {
        ConversationSid: CONVERSATION_SID,
        MessageSid: MESSAGE_SID,
        Author: 'discord:1234',
        ParticipantSid: 'MB0123456789abcdef0123456789abcdef',
        Source: 'API',
        Body: body,
        ...extra,
      },
    },
  };
}

function json(status: number, value: unknown): StudioHttpResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

/** Fake dependencies: `answer` plays the far side of every make-http-request, Flex accepts every task. */
function fakeDeps(answer: (request: StudioHttpRequest) => StudioHttpResponse | Promise<StudioHttpResponse>) {
  let n = 0;
  const httpRequest = vi.fn(async (request: StudioHttpRequest) => answer(request));
  const sendToFlex = vi.fn(async (_request: SendToFlexRequest) => ({
    taskSid: 'WT0123456789abcdef0123456789abcdef',
    interactionSid: 'KD0123456789abcdef0123456789abcdef',
  }));
  const deps = {
    httpRequest,
    sendToFlex,
    now: () => new Date('2025-01-02T03:04:05.000Z'),
    newSid: (prefix: 'FN' | 'FT') => `${prefix}${String(++n).padStart(32, '0')}`,
  } satisfies FlowRunnerDeps;
  return deps;
}

const definition = (value: unknown): FlowDefinition => FlowDefinitionSchema.parse(value);

/** A minimal flow: Trigger (incomingRequest) → the given states, the first of which runs first. */
function flowOf(states: unknown[]): FlowDefinition {
  const first = (states[0] as { name: string }).name;
  return definition({
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: [{ event: 'incomingRequest', next: first }],
        properties: {},
      },
      ...states,
    ],
    initial_state: 'Trigger',
  });
}

const restTrigger: FlowTrigger = { event: 'incomingRequest', context: { request: { parameters: {} } } };

describe('a Discord message through the exported inbound flow', () => {
  it('is the definition Studio would accept', () => {
    expect(validateFlowDefinition(discordInbound)).toEqual([]);
  });

  it('when the bot answers, then only the bot endpoint hears of it and the execution ends', async () => {
    const deps = fakeDeps(() => json(200, { route: 'bot' }));
    const execution = await runFlow(
      definition(discordInbound),
      conversationMessage('hello there & all'),
      deps,
      {
        sid: FLOW_SID,
      },
    );

    expect(execution.status).toBe('ended');
    expect(execution.error).toBeUndefined();
    expect(deps.httpRequest).toHaveBeenCalledTimes(1);
    expect(deps.httpRequest).toHaveBeenCalledWith({
      method: 'POST',
      url: 'https://bridge.example.test/webhooks/twilio/bot',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: `ConversationSid=${CONVERSATION_SID}&MessageSid=${MESSAGE_SID}&Author=discord%3A1234&Body=hello+there+%26+all&Source=API`,
    });
    expect(deps.sendToFlex).not.toHaveBeenCalled();
    expect(execution.context.widgets.bot).toEqual({
      status_code: 200,
      content_type: 'application/json; charset=utf-8',
      body: '{"route":"bot"}',
      parsed: { route: 'bot' },
    });
    expect(execution.steps.map((s) => [s.transitionedFrom, s.event, s.transitionedTo])).toEqual([
      ['Trigger', 'incomingConversationMessage', 'bot'],
      ['bot', 'success', 'route'],
      ['route', 'match', 'Ended'],
    ]);
    expect(execution.steps[0]).toMatchObject({
      sid: 'FT00000000000000000000000000000002',
      name: 'incomingConversationMessage',
    });
    expect(execution).toMatchObject({
      sid: 'FN00000000000000000000000000000001',
      dateCreated: '2025-01-02T03:04:05.000Z',
      dateUpdated: '2025-01-02T03:04:05.000Z',
    });
    expect(execution.context.flow).toMatchObject({
      flow_sid: FLOW_SID,
      sid: execution.sid,
      channel: { address: CONVERSATION_SID },
      variables: {},
    });
  });

  it('when the bot routes to an agent, then Flex gets the rendered workflow, channel and attributes', async () => {
    const task = {
      discordUserId: '1234',
      discordUsername: 'dana',
      discordAvatarUrl: 'https://cdn.example.test/a.png',
      customerName: 'Dana Scully',
    };
    const deps = fakeDeps(() => json(200, { route: 'agent', caseNumber: 42, task }));
    const execution = await runFlow(definition(discordInbound), conversationMessage('talk to a human'), deps);

    expect(execution.status).toBe('ended');
    expect(deps.sendToFlex).toHaveBeenCalledWith({
      workflowSid: WORKFLOW_SID,
      taskChannel: 'chat',
      attributes: {
        conversationSid: CONVERSATION_SID,
        customerName: 'Dana Scully',
        discord: task,
        caseNumber: 42,
      },
      priority: 0,
      timeout: 3600,
    });
    expect(execution.context.widgets.send_to_flex).toEqual({
      sid: 'WT0123456789abcdef0123456789abcdef',
      interaction_sid: 'KD0123456789abcdef0123456789abcdef',
    });
    expect(execution.steps.map((s) => s.event)).toEqual([
      'incomingConversationMessage',
      'success',
      'match',
      'callComplete',
    ]);
  });

  it('when the bot endpoint answers 500, then the widget takes failed and still exposes the status', async () => {
    const deps = fakeDeps(() => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' }));
    const execution = await runFlow(definition(discordInbound), conversationMessage('hi'), deps);

    expect(execution.steps[1]).toMatchObject({
      transitionedFrom: 'bot',
      event: 'failed',
      transitionedTo: 'send_to_flex',
    });
    expect(execution.context.widgets.bot).toEqual({
      status_code: 500,
      content_type: 'text/plain',
      body: 'boom',
    });
    expect(execution.status).toBe('ended');
  });

  it('when the bot endpoint is unreachable or times out, then the widget takes failed', async () => {
    const deps = fakeDeps(() => Promise.reject(new Error('timeout after 10000 ms')));
    const execution = await runFlow(definition(discordInbound), conversationMessage('hi'), deps);

    expect(execution.steps[1]).toMatchObject({
      event: 'failed',
      context: { error: 'request failed: timeout after 10000 ms' },
    });
    expect(execution.context.widgets.bot).toBeUndefined();
  });

  it('when the answer is over 64 kB, then the widget takes failed', async () => {
    const deps = fakeDeps(() => json(200, { route: 'bot', padding: 'x'.repeat(64 * 1024) }));
    const execution = await runFlow(definition(discordInbound), conversationMessage('hi'), deps);

    expect(execution.steps[1]?.event).toBe('failed');
  });

  it('when Flex refuses the task, then send-to-flex takes failedToEnqueue', async () => {
    const deps = fakeDeps(() => json(200, { route: 'agent' }));
    deps.sendToFlex.mockRejectedValueOnce(new Error('workflow not found'));
    const execution = await runFlow(definition(discordInbound), conversationMessage('hi'), deps);

    expect(execution.steps.at(-1)).toMatchObject({
      transitionedFrom: 'send_to_flex',
      event: 'failedToEnqueue',
      context: { error: 'Flex did not enqueue: workflow not found' },
    });
  });
});

describe('make-http-request builds the request Studio would send', () => {
  const http = (properties: Record<string, unknown>) =>
    flowOf([
      {
        name: 'http',
        type: 'make-http-request',
        transitions: [{ event: 'success' }, { event: 'failed' }],
        properties,
      },
    ]);
  const trigger = conversationMessage('say "hi"', {
    ChannelAttributes: '{"from":"dana","tier":{"level":3}}',
  });

  it('sends a JSON body rendered from its template, with to_json and JSON-string drill-in', async () => {
    const deps = fakeDeps(() => json(201, { ok: true }));
    await runFlow(
      http({
        method: 'POST',
        content_type: 'application/json;charset=utf-8',
        url: 'https://api.example.test/turns?v=1',
        body: '{"body": {{trigger.conversation.Body | to_json}}, "from": "{{trigger.conversation.ChannelAttributes.from}}", "level": {{trigger.conversation.ChannelAttributes.tier.level}}, "missing": "{{trigger.nothing.here}}"}',
      }),
      { ...trigger, event: 'incomingRequest' },
      deps,
    );
    expect(deps.httpRequest).toHaveBeenCalledWith({
      method: 'POST',
      url: 'https://api.example.test/turns?v=1',
      headers: { 'Content-Type': 'application/json;charset=utf-8' },
      body: '{"body": "say \\"hi\\"", "from": "dana", "level": 3, "missing": ""}',
    });
  });

  it('puts a GET request’s parameters in the query string and URL credentials in a Basic header', async () => {
    const deps = fakeDeps(() => json(200, {}));
    await runFlow(
      http({
        method: 'GET',
        content_type: 'application/x-www-form-urlencoded;charset=utf-8',
        url: 'https://user:p%40ss@api.example.test/lookup?fixed=1',
        parameters: [{ key: 'q', value: '{{trigger.conversation.Author}}' }],
      }),
      { ...trigger, event: 'incomingRequest' },
      deps,
    );
    expect(deps.httpRequest).toHaveBeenCalledWith({
      method: 'GET',
      url: 'https://api.example.test/lookup?fixed=1&q=discord%3A1234',
      headers: { Authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}` },
    });
  });

  it('sends a form widget’s raw body when it has no parameters', async () => {
    const deps = fakeDeps(() => json(200, {}));
    await runFlow(
      http({
        method: 'POST',
        content_type: 'application/x-www-form-urlencoded',
        url: 'https://api.example.test/legacy',
        body: 'Sid={{trigger.conversation.MessageSid}}&flex=true',
      }),
      { ...trigger, event: 'incomingRequest' },
      deps,
    );
    expect(deps.httpRequest.mock.calls[0]?.[0]).toMatchObject({ body: `Sid=${MESSAGE_SID}&flex=true` });
  });

  it('with add_twilio_auth, asks for Twilio credentials on a Twilio host and refuses any other host', async () => {
    const deps = fakeDeps(() => json(200, {}));
    const twilio = await runFlow(
      http({
        method: 'GET',
        content_type: 'application/x-www-form-urlencoded;charset=utf-8',
        url: 'https://conversations.twilio.com/v1/Conversations/{{trigger.conversation.ConversationSid}}',
        add_twilio_auth: true,
      }),
      { ...trigger, event: 'incomingRequest' },
      deps,
    );
    expect(twilio.steps[1]?.event).toBe('success');
    expect(deps.httpRequest).toHaveBeenCalledWith({
      method: 'GET',
      url: `https://conversations.twilio.com/v1/Conversations/${CONVERSATION_SID}`,
      headers: {},
      addTwilioAuth: true,
    });

    const elsewhere = await runFlow(
      http({
        method: 'GET',
        content_type: 'application/x-www-form-urlencoded;charset=utf-8',
        url: 'https://api.example.test/',
        add_twilio_auth: true,
      }),
      restTrigger,
      deps,
    );
    expect(elsewhere.steps[1]?.event).toBe('failed');
    expect(deps.httpRequest).toHaveBeenCalledTimes(1);
  });

  it('takes failed without a request when the URL renders to something that is not a URL', async () => {
    const deps = fakeDeps(() => json(200, {}));
    const execution = await runFlow(
      http({ method: 'GET', content_type: 'application/json', url: '{{flow.variables.nowhere}}/path' }),
      restTrigger,
      deps,
    );
    expect(execution.steps[1]?.event).toBe('failed');
    expect(deps.httpRequest).not.toHaveBeenCalled();
  });

  it('parses only JSON objects served as JSON', async () => {
    const cases: [StudioHttpResponse, unknown][] = [
      [json(200, { a: 1 }), { a: 1 }],
      [json(200, [{ a: 1 }]), undefined],
      [{ status: 200, headers: { 'Content-Type': 'text/plain' }, body: '{"a":1}' }, undefined],
      [{ status: 204, headers: {}, body: '' }, undefined],
    ];
    for (const [response, parsed] of cases) {
      const execution = await runFlow(
        http({ method: 'GET', content_type: 'application/json', url: 'https://api.example.test/' }),
        restTrigger,
        fakeDeps(() => response),
      );
      expect(execution.steps[1]?.event).toBe('success');
      expect((execution.context.widgets.http as Record<string, unknown>).parsed).toEqual(parsed);
    }
  });
});

describe('set-variables and flow.variables', () => {
  it('writes flow.variables that later widgets read, starting from the flow’s own variables', async () => {
    const deps = fakeDeps(() => json(200, {}));
    const execution = await runFlow(
      flowOf([
        {
          name: 'remember',
          type: 'set-variables',
          transitions: [{ event: 'next', next: 'call' }],
          properties: {
            variables: [
              {
                key: 'count',
                value:
                  '{% if flow.variables.count %}{{flow.variables.count | plus: 1}}{% else %}1{% endif %}',
              },
              { key: 'label', value: 'try {{flow.variables.count}} for {{flow.data.who | upcase}}' },
            ],
          },
        },
        {
          name: 'call',
          type: 'make-http-request',
          transitions: [{ event: 'success' }, { event: 'failed' }],
          properties: {
            method: 'POST',
            content_type: 'application/x-www-form-urlencoded;charset=utf-8',
            url: 'https://api.example.test/',
            parameters: [{ key: 'label', value: '{{flow.variables.label}}' }],
          },
        },
      ]),
      restTrigger,
      deps,
      { sid: FLOW_SID, variables: { count: '4' }, data: { who: 'dana' } },
    );
    expect(execution.context.flow.variables).toEqual({ count: '5', label: 'try 5 for DANA' });
    expect(deps.httpRequest.mock.calls[0]?.[0].body).toBe('label=try+5+for+DANA');
  });
});

describe('split-based-on', () => {
  const split = (input: string, transitions: unknown[]) =>
    flowOf([
      { name: 'split', type: 'split-based-on', transitions, properties: { input } },
      { name: 'first', type: 'set-variables', transitions: [{ event: 'next' }], properties: {} },
      { name: 'second', type: 'set-variables', transitions: [{ event: 'next' }], properties: {} },
      { name: 'other', type: 'set-variables', transitions: [{ event: 'next' }], properties: {} },
    ]);
  const match = (next: string, type: string, value: string) => ({
    event: 'match',
    next,
    conditions: [
      { friendly_name: `If value ${type} ${value}`, arguments: ['{{flow.data.answer}}'], type, value },
    ],
  });
  const answer = async (value: string) => {
    const flow = split('{{flow.data.answer}}', [
      { event: 'noMatch', next: 'other' },
      match('first', 'matches_any_of', 'yes, y ,yeah'),
      match('second', 'starts_with', 'y'),
    ]);
    const execution = await runFlow(
      flow,
      restTrigger,
      fakeDeps(() => json(200, {})),
      {
        sid: FLOW_SID,
        data: { answer: value },
      },
    );
    return execution.steps[1]?.transitionedTo;
  };

  it('takes the first match whose condition holds, else noMatch', async () => {
    expect(await answer('  YEAH ')).toBe('first');
    expect(await answer('yup')).toBe('second');
    expect(await answer('no')).toBe('other');
  });

  it('renders the condition value as a template', async () => {
    const flow = split('{{flow.data.answer}}', [
      { event: 'noMatch' },
      match('first', 'equal_to', '{{flow.variables.expected}}'),
    ]);
    const execution = await runFlow(
      flow,
      restTrigger,
      fakeDeps(() => json(200, {})),
      {
        sid: FLOW_SID,
        variables: { expected: 'Blue' },
        data: { answer: 'blue' },
      },
    );
    expect(execution.steps[1]?.transitionedTo).toBe('first');
  });
});

describe('conditions, as the Split Based On predicate table documents them', () => {
  const table: [ConditionType, string, string, boolean][] = [
    ['equal_to', ' YES ', 'yes', true],
    ['equal_to', 'yes', 'no', false],
    ['not_equal_to', 'yes', 'no', true],
    ['not_equal_to', 'Yes', 'yES', false],
    ['matches_any_of', 'YES', 'yes,yeah,yup', true],
    ['matches_any_of', 'nope', 'yes,yeah,yup', false],
    ['does_not_match_any_of', 'nope', 'yes, yeah', true],
    ['does_not_match_any_of', 'Yeah', 'yes, yeah', false],
    ['contains', 'aab', 'aa', true],
    ['contains', 'aab', 'A', true],
    ['contains', 'aab', 'c', false],
    ['does_not_contain', 'aab', 'c', true],
    ['does_not_contain', 'aab', 'B', false],
    ['starts_with', ' Hoot', 'hoo', true],
    ['starts_with', 'Hoot', 'oot', false],
    ['does_not_start_with', 'Hoot', 'oot', true],
    ['does_not_start_with', 'Hoot', 'HO', false],
    ['regex', '6', '[1-5]', false],
    ['regex', '3', '[1-5]', true],
    ['regex', 'ABC123', '[a-z]+\\d+', true],
    ['regex', 'xABC123', '[a-z]+\\d{2}', false],
    ['regex', 'anything', '(unclosed', false],
    ['is_blank', '  \t ', '', true],
    ['is_blank', 'Twilio', '', false],
    ['is_not_blank', 'Twilio', '', true],
    ['is_not_blank', ' ', '', false],
    ['less_than', '900', '1000', true],
    ['less_than', '1000', '900', false],
    ['less_than', 'abc', '1000', false],
    ['greater_than', '900', '1000', false],
    ['greater_than', '10.5', '10', true],
    ['greater_than', 'ten', '1', false],
    ['is_before_time', '17:00', '16:35', false],
    ['is_before_time', '09:15', '16:35', true],
    ['is_after_time', '17:00', '16:35', true],
    ['is_after_time', '5pm', '16:35', false],
    ['is_after_date', '2019-08-12', '2017-09-04', true],
    ['is_before_date', '2019-08-12', '2017-09-04', false],
    ['is_before_date', '2016-01-31', '2017-09-04', true],
    ['is_before_date', '2016-1-31', '2017-09-04', false],
  ];

  it.each(table)('%s: %j against %j is %s', (type, subject, value, expected) => {
    expect(evaluateCondition(type, subject, value)).toBe(expected);
  });

  it('covers every predicate Studio has', () => {
    expect(new Set(table.map(([type]) => type))).toEqual(new Set(CONDITION_TYPES));
  });
});

describe('send-to-flex attributes', () => {
  const toFlex = (attributes: string, extra: Record<string, unknown> = {}) =>
    flowOf([
      {
        name: 'flex',
        type: 'send-to-flex',
        transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
        properties: { workflow: '{{flow.data.workflow}}', channel: 'chat', attributes, ...extra },
      },
    ]);
  const run = (flow: FlowDefinition, deps = fakeDeps(() => json(200, {}))) =>
    runFlow(flow, restTrigger, deps, { sid: FLOW_SID, data: { workflow: WORKFLOW_SID, name: 'Dana' } });

  it('renders the template and parses it as the task attributes; no priority or timeout when absent', async () => {
    const deps = fakeDeps(() => json(200, {}));
    const execution = await run(toFlex('{"name": "{{flow.data.name}}", "type": "inbound"}'), deps);
    expect(execution.steps[1]?.event).toBe('callComplete');
    expect(deps.sendToFlex).toHaveBeenCalledWith({
      workflowSid: WORKFLOW_SID,
      taskChannel: 'chat',
      attributes: { name: 'Dana', type: 'inbound' },
    });
  });

  it('takes failedToEnqueue without calling Flex when the rendered attributes are not a JSON object', async () => {
    for (const attributes of ['{"name": {{flow.data.name}}}', '["a"]']) {
      const deps = fakeDeps(() => json(200, {}));
      const execution = await run(toFlex(attributes), deps);
      expect(execution.steps[1]?.event).toBe('failedToEnqueue');
      expect(deps.sendToFlex).not.toHaveBeenCalled();
    }
  });

  it('takes failedToEnqueue when priority is not an integer', async () => {
    const execution = await run(toFlex('{}', { priority: 'high' }));
    expect(execution.steps[1]).toMatchObject({
      event: 'failedToEnqueue',
      context: { error: 'priority "high" is not an integer' },
    });
  });
});

describe('executions that fail', () => {
  it('when a widget the emulator does not run is reached, then the execution fails and says which', async () => {
    const execution = await runFlow(
      flowOf([
        {
          name: 'reply',
          type: 'send-message',
          transitions: [{ event: 'sent' }, { event: 'failed' }],
          properties: { body: 'hi', from: '{{flow.channel.address}}', to: '{{contact.channel.address}}' },
        },
      ]),
      restTrigger,
      fakeDeps(() => json(200, {})),
    );
    expect(execution.status).toBe('failed');
    expect(execution.error).toBe(
      "widget type send-message is not supported by the emulator (widget 'reply')",
    );
  });

  it('when a transition names a missing widget, then the execution fails', async () => {
    const execution = await runFlow(
      flowOf([
        {
          name: 'vars',
          type: 'set-variables',
          transitions: [{ event: 'next', next: 'gone' }],
          properties: {},
        },
      ]),
      restTrigger,
      fakeDeps(() => json(200, {})),
    );
    expect(execution).toMatchObject({
      status: 'failed',
      error: "'vars' transitions to 'gone', which is not a widget",
    });
  });

  it('when a widget’s properties are wrong at run time, then the execution fails', async () => {
    const execution = await runFlow(
      flowOf([
        {
          name: 'http',
          type: 'make-http-request',
          transitions: [{ event: 'success' }],
          properties: { url: 'x' },
        },
      ]),
      restTrigger,
      fakeDeps(() => json(200, {})),
    );
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatch(/^widget 'http' \(make-http-request\) has invalid properties: method: /);
  });

  it('when the trigger event has no next widget, then the execution just ends', async () => {
    const execution = await runFlow(
      definition(discordInbound),
      restTrigger,
      fakeDeps(() => json(200, {})),
    );
    expect(execution.status).toBe('ended');
    expect(execution.steps).toHaveLength(1);
    expect(execution.steps[0]).toMatchObject({ transitionedFrom: 'Trigger', transitionedTo: 'Ended' });
  });

  it('when one widget loops on itself, then Studio’s 10-runs limit stops it (81001)', async () => {
    const deps = fakeDeps(() => json(500, {}));
    const execution = await runFlow(
      flowOf([
        {
          name: 'retry',
          type: 'make-http-request',
          transitions: [{ event: 'success' }, { event: 'failed', next: 'retry' }],
          properties: { method: 'GET', content_type: 'application/json', url: 'https://api.example.test/' },
        },
      ]),
      restTrigger,
      deps,
    );
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatch(/^81001: widget 'retry'/);
    expect(deps.httpRequest).toHaveBeenCalledTimes(MAX_RUNS_PER_WIDGET);
  });

  it('when a loop spans many widgets, then the step limit stops it (81000)', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `hop_${i}`);
    const execution = await runFlow(
      flowOf(
        names.map((name, i) => ({
          name,
          type: 'set-variables',
          transitions: [{ event: 'next', next: names[(i + 1) % names.length] }],
          properties: {},
        })),
      ),
      restTrigger,
      fakeDeps(() => json(200, {})),
    );
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatch(/^81000: /);
    expect(execution.steps).toHaveLength(MAX_STEPS + 1);
  });
});

describe('validateFlowDefinition, as Flow Validate', () => {
  interface EditableFlow {
    states: {
      name: string;
      type: string;
      transitions: { event: string; next?: string; conditions?: { type: string; value: string }[] }[];
      properties: Record<string, unknown>;
    }[];
    initial_state: string;
  }
  const errorsFor = (change: (flow: EditableFlow) => unknown) =>
    validateFlowDefinition(change(structuredClone(discordInbound) as EditableFlow));

  it('rejects what is not a flow definition at all', () => {
    expect(validateFlowDefinition('{}')).not.toEqual([]);
    expect(validateFlowDefinition({ states: [], initial_state: 'Trigger' })).toEqual([
      'states: Too small: expected array to have >=1 items',
    ]);
    expect(validateFlowDefinition({ states: [{ name: 'Trigger', transitions: [] }] })).toEqual([
      'states[0].type: Invalid input: expected string, received undefined',
      'initial_state: Invalid input: expected string, received undefined',
    ]);
  });

  it('names an unknown widget type', () => {
    expect(
      errorsFor((flow) => {
        flow.states[1]!.type = 'make-coffee';
        return flow;
      }),
    ).toEqual(["states[1] 'bot': unknown widget type 'make-coffee'"]);
  });

  it('needs a Trigger that initial_state names', () => {
    expect(errorsFor((flow) => ({ ...flow, states: flow.states.slice(1), initial_state: 'bot' }))).toEqual([
      'the flow has no Trigger widget (a state of type "trigger")',
      "initial_state 'bot' is a make-http-request widget, not the Trigger",
    ]);
    expect(errorsFor((flow) => ({ ...flow, initial_state: 'Start' }))).toEqual([
      "initial_state 'Start' is not the name of any widget",
    ]);
  });

  it('rejects a transition to a widget that does not exist, and duplicate names', () => {
    expect(
      errorsFor((flow) => {
        flow.states[1]!.transitions[0]!.next = 'rout';
        flow.states[3]!.name = 'route';
        return flow;
      }),
    ).toEqual([
      "states[3]: widget name 'route' is already used by states[2]",
      "states[1] 'bot': transitions[0] (success) goes to 'rout', which is not a widget of this flow",
      "states[1] 'bot': transitions[1] (failed) goes to 'send_to_flex', which is not a widget of this flow",
      "states[2] 'route': transitions[1] (match) goes to 'send_to_flex', which is not a widget of this flow",
    ]);
  });

  it('checks the properties, events and conditions of the widgets the emulator runs', () => {
    expect(
      errorsFor((flow) => {
        const bot = flow.states[1]!.properties;
        bot.method = 'FETCH';
        delete bot.url;
        bot.content_type = 'text/xml';
        flow.states[1]!.transitions[1]!.event = 'fail';
        const condition = flow.states[2]!.transitions[1]!.conditions![0]!;
        condition.type = 'equals';
        flow.states[2]!.transitions[2]!.conditions![0]!.type = 'regex';
        flow.states[2]!.transitions[2]!.conditions![0]!.value = '(bot';
        delete flow.states[3]!.properties.workflow;
        return flow;
      }),
    ).toEqual([
      "states[1] 'bot': transitions[1] (fail): not an event of make-http-request (success, failed)",
      `states[1] 'bot': properties.method: Invalid option: expected one of "GET"|"POST"|"PUT"|"DELETE"|"PATCH"`,
      "states[1] 'bot': properties.url: Invalid input: expected string, received undefined",
      "states[1] 'bot': properties.content_type: must be application/x-www-form-urlencoded or application/json (optionally with ;charset=utf-8)",
      "states[2] 'route': transitions[1] (match): conditions[0].type 'equals' is not a Studio predicate",
      "states[2] 'route': transitions[2] (match): conditions[0].value '(bot' is not a valid regular expression",
      "states[3] 'send_to_flex': properties.workflow: Invalid input: expected string, received undefined",
    ]);
  });

  it('accepts widgets the emulator does not run, with their own properties', () => {
    expect(
      errorsFor((flow) => {
        flow.states.push({
          name: 'say',
          type: 'send-and-wait-for-reply',
          transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
          properties: {
            offset: { x: 0, y: 0 },
            body: 'Hi',
            from: '{{flow.channel.address}}',
            timeout: '3600',
          },
        });
        return flow;
      }),
    ).toEqual([]);
  });
});
