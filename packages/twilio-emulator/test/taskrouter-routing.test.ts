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
