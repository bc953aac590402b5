import { CaseTriageTaskAttributesSchema } from '@flexcord/contracts';
import { eventually } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { type Stack, startStack } from './helpers/stack.ts';

/**
 * Triage routing: with `TRIAGE_ROUTING=task` a new bug report or feature request is also a
 * TaskRouter task on the triage channel, routed by the triage workflow to the triage queue (whose
 * workers get it like any task) and carrying the case number the case panel opens; with `view`
 * (the default) it is only in the Cases view.
 */
describe('triage routing', () => {
  let stack: Stack;
  let queueSid = '';
  let leoSid = '';

  const triageTasks = async () => {
    const tasks = await stack.client.taskrouter.v1
      .workspaces(stack.env.TRIAGE_WORKSPACE_SID ?? '')
      .tasks.list({
        evaluateTaskAttributes: 'type == "case_triage"',
      });
    return tasks;
  };
  const fileBug = async (user: string, title: string) => {
    await stack.discord.control.runCommand({ user, name: 'bug', channel: 'help' });
    const submitted = await stack.discord.control.submitModal({
      user,
      values: {
        title,
        whatHappened: `${title}, every single time.`,
        steps: '',
        expectedVsActual: '',
        severity: 'low',
      },
    });
    const reply = await eventually(() => {
      const content = stack.discord.control.interaction(submitted.interactionId).original?.content;
      return content && /filed as case #\d+/.test(content) ? content : undefined;
    }, 'the /bug answer');
    return Number(/#(\d+)/.exec(reply)![1]);
  };

  beforeAll(async () => {
    stack = await startStack();
    const ws = stack.client.taskrouter.v1.workspaces(stack.twilio.workspaceSid);
    await ws.taskChannels.create({ friendlyName: 'Case triage', uniqueName: 'triage' });
    const queue = await ws.taskQueues.create({
      friendlyName: 'Triage',
      targetWorkers: 'routing.skills HAS "triage"',
    });
    queueSid = queue.sid;
    const everyone = (await ws.taskQueues.list()).find((q) => q.friendlyName === 'Everyone')!;
    const workflow = await ws.workflows.create({
      friendlyName: 'Flexcord triage',
      configuration: JSON.stringify({
        task_routing: {
          filters: [{ expression: 'type == "case_triage"', targets: [{ queue: queue.sid }] }],
          default_filter: { queue: everyone.sid },
        },
      }),
    });
    const leo = (await ws.workers.list()).find((w) => JSON.parse(w.attributes).full_name === 'Leo')!;
    leoSid = leo.sid;
    await ws.workers(leo.sid).update({
      attributes: JSON.stringify({
        ...JSON.parse(leo.attributes),
        routing: { skills: ['triage'], levels: {} },
      }),
    });
    stack.env.TRIAGE_WORKSPACE_SID = stack.twilio.workspaceSid;
    stack.env.TRIAGE_WORKFLOW_SID = workflow.sid;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('by default (view) a new report creates no task', async () => {
    const number = await fileBug('quietbob', 'Minimap flickers');
    await eventually(
      async () => ((await stack.bridge.cases.find(number))?.publicPost ? true : undefined),
      'the post',
    );
    expect(await triageTasks()).toEqual([]);
  });

  it('with TRIAGE_ROUTING=task a bug report becomes a task in the triage queue, reserved for a triage agent', async () => {
    stack.env.TRIAGE_ROUTING = 'task';
    await stack.restartBridge();
    const number = await fileBug('pixelpat', 'Sound cuts out in menus');
    const task = await eventually(async () => (await triageTasks())[0], 'the triage task');
    const attributes = CaseTriageTaskAttributesSchema.parse(JSON.parse(task.attributes));
    expect(attributes).toMatchObject({
      type: 'case_triage',
      caseNumber: number,
      caseType: 'bug',
      subject: 'Sound cuts out in menus',
      name: `#${number} Sound cuts out in menus`,
      priority: 'low',
    });
    expect(task.taskQueueSid).toBe(queueSid);
    expect(task.taskChannelUniqueName).toBe('triage');
    const reservations = await stack.client.taskrouter.v1
      .workspaces(stack.twilio.workspaceSid)
      .tasks(task.sid)
      .reservations.list();
    expect(reservations.map((r) => r.workerSid)).toEqual([leoSid]);
    const timeline = await eventually(async () => {
      const detail = await stack.bridge.cases.detail(number);
      return detail.timeline.some((event) => event.type === 'triage_task_created')
        ? detail.timeline
        : undefined;
    }, 'the timeline entry');
    expect(timeline.find((event) => event.type === 'triage_task_created')).toMatchObject({
      visibility: 'internal',
      data: { taskSid: task.sid },
    });
  });

  it('a feature request too', async () => {
    await stack.discord.control.runCommand({ user: 'maude', name: 'new_feature', channel: 'help' });
    await stack.discord.control.submitModal({
      user: 'maude',
      values: { title: 'Spectator mode', description: 'Watch friends play.', whyItMatters: 'Fun' },
    });
    const task = await eventually(
      async () =>
        (await triageTasks()).find((candidate) => JSON.parse(candidate.attributes).caseType === 'feature'),
      'the feature triage task',
    );
    expect(JSON.parse(task.attributes)).toMatchObject({ subject: 'Spectator mode', type: 'case_triage' });
  });

  it('refuses TRIAGE_ROUTING=task without the workspace and workflow, naming them', () => {
    const env = { ...stack.env, TRIAGE_ROUTING: 'task' };
    delete (env as Record<string, string | undefined>).TRIAGE_WORKFLOW_SID;
    delete (env as Record<string, string | undefined>).TRIAGE_WORKSPACE_SID;
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
      'TRIAGE_WORKFLOW_SID',
      'TRIAGE_WORKSPACE_SID',
    ]);
  });
});
