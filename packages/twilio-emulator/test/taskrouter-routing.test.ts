import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';
import { parseExpression } from '../src/taskrouter-expressions.ts';

let emulator: TwilioEmulator;
let client: ReturnType<typeof twilio>;

beforeAll(async () => {
  emulator = await startTwilioEmulator();
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
});
afterAll(async () => {
  await emulator?.stop();
});

async function restError(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

describe('TaskRouter expressions', () => {
  it('evaluates comparisons, lists, HAS, CONTAINS, AND/OR and missing keys as Twilio documents', () => {
    const doc = { type: 'bug', n: 3, skills: ['triage', 'es'], o: { a: [1, 2] }, name: 'Case desk' };
    const yes = [
      '1 == 1',
      "type == 'bug'",
      'type IN ["bug", "feature"]',
      'type NOT IN ["support"]',
      'skills HAS "triage"',
      'name CONTAINS "desk"',
      'n >= 3 AND n < 4',
      '(type == "x") OR (o.a[1] == 2)',
      'type = "bug"',
    ];
    const no = ['type == "feature"', 'missing == "x"', 'missing != "x"', 'skills HAS "en"', 'n > 3'];
    for (const source of yes) expect(parseExpression(source)(doc), source).toBe(true);
    for (const source of no) expect(parseExpression(source)(doc), source).toBe(false);
    expect(() => parseExpression('type ==')).toThrow();
    expect(() => parseExpression('(type == "a"')).toThrow();
  });
});

describe('TaskRouter task channels, queues and workflows', () => {
  it("creates them, routes a task by the workflow filter into its queue, reserved for that queue's workers", async () => {
    const ws = client.taskrouter.v1.workspaces(emulator.workspaceSid);
    const channel = await ws.taskChannels.create({ friendlyName: 'Case triage', uniqueName: 'triage' });
    expect(channel).toMatchObject({ uniqueName: 'triage', friendlyName: 'Case triage' });
    expect(
      (await restError(ws.taskChannels.create({ friendlyName: 'Again', uniqueName: 'triage' }))).status,
    ).toBe(400);
    const queue = await ws.taskQueues.create({
      friendlyName: 'Triage',
      targetWorkers: 'routing.skills HAS "triage"',
    });
    expect(queue.targetWorkers).toBe('routing.skills HAS "triage"');
    const badQueue = await restError(
      ws.taskQueues.create({ friendlyName: 'Bad', targetWorkers: 'skills HAS' }),
    );
    expect(badQueue).toMatchObject({ status: 400, code: 20001 });
    const everyone = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Everyone')!;
    const workflow = await ws.workflows.create({
      friendlyName: 'Flexcord triage',
      configuration: JSON.stringify({
        task_routing: {
          filters: [
            {
              filter_friendly_name: 'Cases',
              expression: 'type == "case_triage"',
              targets: [{ queue: queue.sid }],
            },
          ],
          default_filter: { queue: everyone.sid },
        },
      }),
    });
    const unknownQueue = await restError(
      ws.workflows.create({
        friendlyName: 'Broken',
        configuration: JSON.stringify({ task_routing: { default_filter: { queue: 'WQ0000' } } }),
      }),
    );
    expect(unknownQueue).toMatchObject({ status: 400, code: 20001 });

    // Leo triages; Dana does not.
    const workers = await ws.workers.list();
    const leo = workers.find((w) => JSON.parse(w.attributes).full_name === 'Leo')!;
    const attributes = JSON.parse(leo.attributes);
    await ws.workers(leo.sid).update({
      attributes: JSON.stringify({ ...attributes, routing: { skills: ['triage'], levels: {} } }),
    });

    const task = await ws.tasks.create({
      workflowSid: workflow.sid,
      taskChannel: 'triage',
      attributes: JSON.stringify({ type: 'case_triage', caseNumber: 12, caseType: 'bug' }),
    });
    expect(task.taskQueueSid).toBe(queue.sid);
    expect(task.taskChannelUniqueName).toBe('triage');
    const reservations = await ws.tasks(task.sid).reservations.list();
    expect(reservations.map((r) => r.workerSid)).toEqual([leo.sid]);

    const listed = await ws.tasks.list({
      evaluateTaskAttributes: 'type == "case_triage" AND caseNumber == 12',
    });
    expect(listed.map((t) => t.sid)).toEqual([task.sid]);
    expect(await ws.tasks.list({ evaluateTaskAttributes: 'caseNumber == 13' })).toEqual([]);

    const other = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ type: 'x' }),
    });
    expect(other.taskQueueSid).toBe(everyone.sid);
  });

  it('updates a workflow: its new filters route the tasks created after, and a bad configuration is refused', async () => {
    const ws = client.taskrouter.v1.workspaces(emulator.workspaceSid);
    const everyone = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Everyone')!;
    const pagos = await ws.taskQueues.create({ friendlyName: 'Pagos 💳', targetWorkers: '1==1' });
    const workflow = await ws.workflows.create({
      friendlyName: 'Chats',
      configuration: JSON.stringify({
        task_routing: { filters: [], default_filter: { queue: everyone.sid } },
      }),
    });
    const before = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ topic: 'payments' }),
    });
    expect(before.taskQueueSid).toBe(everyone.sid);

    const configuration = JSON.stringify({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'Pagos',
            expression: 'topic == "payments"',
            targets: [{ queue: pagos.sid }],
          },
        ],
        default_filter: { queue: everyone.sid },
      },
    });
    const updated = await ws.workflows(workflow.sid).update({ configuration, friendlyName: 'Chats ✨' });
    expect(updated).toMatchObject({ sid: workflow.sid, friendlyName: 'Chats ✨', configuration });
    expect((await ws.workflows(workflow.sid).fetch()).configuration).toBe(configuration);
    const after = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ topic: 'payments' }),
    });
    expect(after.taskQueueSid).toBe(pagos.sid);

    const badExpression = await restError(
      ws.workflows(workflow.sid).update({
        configuration: JSON.stringify({
          task_routing: { filters: [{ expression: 'topic ==', targets: [{ queue: pagos.sid }] }] },
        }),
      }),
    );
    expect(badExpression).toMatchObject({ status: 400, code: 20001 });
    expect((await ws.workflows(workflow.sid).fetch()).configuration).toBe(configuration);
    const missing = await restError(
      ws.workflows('WW00000000000000000000000000000000').update({ configuration }),
    );
    expect(missing.status).toBe(404);
  });
});

/**
 * Known Agent Routing: a workflow target names a task attribute holding a worker's friendly name
 * (or SID); that step offers the task to that worker only. A task waits in a step until a worker
 * is matched or the step's timeout moves it to the next target (after the last, the default filter).
 *
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
 * @see https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment
 */
describe('TaskRouter Known Agent Routing', () => {
  let known: TwilioEmulator;
  let kc: ReturnType<typeof twilio>;
  beforeAll(async () => {
    known = await startTwilioEmulator();
    kc = twilio(known.accountSid, known.authToken, twilioClientOptions(known.url));
  });
  afterAll(async () => {
    await known?.stop();
  });

  /** A workflow: last agent first (20 s), then the "Soporte ✨" queue; the default filter: Everyone. */
  async function lastAgentWorkflow(
    key: 'known_worker_friendly_name' | 'known_worker_sid',
    attribute: string,
  ) {
    const ws = kc.taskrouter.v1.workspaces(known.workspaceSid);
    const everyone = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Everyone')!;
    const soporte = await ws.taskQueues.create({ friendlyName: `Soporte ✨ ${key}`, targetWorkers: '1==1' });
    const workflow = await ws.workflows.create({
      friendlyName: `Última agente (${key})`,
      configuration: JSON.stringify({
        task_routing: {
          filters: [
            {
              filter_friendly_name: 'Discord',
              expression: 'customChannelType == "discord"',
              targets: [
                { queue: soporte.sid, [key]: `task.${attribute}`, timeout: 20 },
                { queue: soporte.sid, timeout: 30 },
              ],
            },
          ],
          default_filter: { queue: everyone.sid },
        },
      }),
    });
    return { ws, workflow, soporte, everyone };
  }

  const workerOf = (name: string) => known.control.agents().find((agent) => agent.name === name)!.workerSid;
  const reservedFor = async (taskSid: string) =>
    (await kc.taskrouter.v1.workspaces(known.workspaceSid).tasks(taskSid).reservations.list()).map((r) => [
      r.workerSid,
      r.reservationStatus,
    ]);

  it('offers the task only to the worker its attribute names, by friendly name or by SID, though another is free first', async () => {
    const byName = await lastAgentWorkflow('known_worker_friendly_name', 'lastAgent');
    // Dana is the first available worker: without Known Agent Routing she would be offered it.
    const plain = await byName.ws.tasks.create({
      workflowSid: byName.workflow.sid,
      attributes: JSON.stringify({
        customChannelType: 'discord',
        lastAgent: 'leo@example.com',
        name: 'Lucía 🌷',
      }),
    });
    expect(plain.taskQueueSid).toBe(byName.soporte.sid);
    expect(await reservedFor(plain.sid)).toEqual([[workerOf('Leo'), 'pending']]);
    known.control.acceptTask(plain.sid, 'Leo');

    const bySid = await lastAgentWorkflow('known_worker_sid', 'agent.sid');
    const task = await bySid.ws.tasks.create({
      workflowSid: bySid.workflow.sid,
      attributes: JSON.stringify({ customChannelType: 'discord', agent: { sid: workerOf('Leo') } }),
    });
    expect(await reservedFor(task.sid)).toEqual([[workerOf('Leo'), 'pending']]);
    known.control.acceptTask(task.sid, 'Leo');
  });

  it('waits for the known worker while they are away, then falls through to the next target at its timeout', async () => {
    const { ws, workflow, soporte, everyone } = await lastAgentWorkflow(
      'known_worker_friendly_name',
      'lastAgent',
    );
    known.control.setAgentAvailable('Leo', false);
    const task = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ customChannelType: 'discord', lastAgent: 'leo@example.com' }),
    });
    // Dana is free, but the step offers the task to Leo only.
    expect(await reservedFor(task.sid)).toEqual([]);
    expect((await ws.tasks(task.sid).fetch()).assignmentStatus).toBe('pending');
    known.control.advanceClock(19_000);
    expect(await reservedFor(task.sid)).toEqual([]);
    known.control.advanceClock(1_000);
    expect(await reservedFor(task.sid)).toEqual([[workerOf('Dana'), 'pending']]);
    expect((await ws.tasks(task.sid).fetch()).taskQueueSid).toBe(soporte.sid);

    // Nobody takes it in the last target either: at its timeout the default filter's queue has it.
    known.control.setAgentAvailable('Dana', false);
    known.control.rejectTask(task.sid, 'Dana');
    known.control.advanceClock(30_000);
    expect((await ws.tasks(task.sid).fetch()).taskQueueSid).toBe(everyone.sid);
    const moved = await ws.events.list({ eventType: 'task-queue.moved' });
    expect(moved.filter((event) => event.resourceSid === task.sid)).toHaveLength(1);
    known.control.setAgentAvailable('Dana', true);
    known.control.setAgentAvailable('Leo', true);
  });

  it("a known worker who lets the step's timeout pass loses the offer: it is rescinded and the next target's worker is offered it", async () => {
    const { ws, workflow } = await lastAgentWorkflow('known_worker_friendly_name', 'lastAgent');
    const task = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ customChannelType: 'discord', lastAgent: 'leo@example.com' }),
    });
    expect(await reservedFor(task.sid)).toEqual([[workerOf('Leo'), 'pending']]);
    known.control.advanceClock(20_000);
    expect(await reservedFor(task.sid)).toEqual([
      [workerOf('Leo'), 'rescinded'],
      [workerOf('Dana'), 'pending'],
    ]);
    known.control.acceptTask(task.sid, 'Dana');
  });

  it('a known worker who comes back before the timeout is offered the task', async () => {
    const { ws, workflow } = await lastAgentWorkflow('known_worker_friendly_name', 'lastAgent');
    known.control.setAgentAvailable('Leo', false);
    const task = await ws.tasks.create({
      workflowSid: workflow.sid,
      attributes: JSON.stringify({ customChannelType: 'discord', lastAgent: 'leo@example.com' }),
    });
    known.control.advanceClock(5_000);
    expect(await reservedFor(task.sid)).toEqual([]);
    known.control.setAgentAvailable('Leo', true);
    expect(await reservedFor(task.sid)).toEqual([[workerOf('Leo'), 'pending']]);
  });

  it('an empty or unknown agent offers the step to nobody: the task moves on at the timeout', async () => {
    const { ws, workflow } = await lastAgentWorkflow('known_worker_friendly_name', 'lastAgent');
    const tasks = await Promise.all(
      [{ lastAgent: '' }, {}, { lastAgent: 'nadie@example.com' }].map((extra) =>
        ws.tasks.create({
          workflowSid: workflow.sid,
          attributes: JSON.stringify({ customChannelType: 'discord', ...extra }),
        }),
      ),
    );
    for (const task of tasks) expect(await reservedFor(task.sid)).toEqual([]);
    known.control.advanceClock(20_000);
    for (const task of tasks) expect(await reservedFor(task.sid)).toHaveLength(1);
  });
});
