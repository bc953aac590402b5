import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorClock, startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';

type Twilio = ReturnType<typeof twilio>;

let emulator: TwilioEmulator;
let client: Twilio;
const clock = new EmulatorClock();

beforeAll(async () => {
  emulator = await startTwilioEmulator({ clock });
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
});
afterAll(async () => {
  await emulator?.stop();
});

/** A member's chat handed to Flex through the Interactions API, as the flow's send-to-flex does. */
async function handedOver(name: string) {
  const conversation = await client.conversations.v1.conversations.create({ friendlyName: name });
  const interaction = await client.flexApi.v1.interaction.create({
    channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conversation.sid } },
    routing: {
      properties: {
        workspace_sid: emulator.workspaceSid,
        workflow_sid: emulator.workflowSid,
        task_channel_unique_name: 'chat',
        attributes: { channelType: 'discord', customerName: name },
      },
    },
  });
  const routing = interaction.routing as { properties: { sid: string } };
  return { conversation, interaction, taskSid: routing.properties.sid };
}

describe('a TaskQueue with members waiting and no agent Available', () => {
  it('lists its waiting tasks in the order asked for, with when each entered the queue', async () => {
    emulator.control.setAgentActivity('Dana', 'Offline');
    emulator.control.setAgentActivity('Leo', 'Unavailable');
    const first = await handedOver('ana');
    clock.advance(2000);
    const second = await handedOver('ben');
    clock.advance(2000);
    const third = await handedOver('cy');
    const workspace = client.taskrouter.v1.workspaces(emulator.workspaceSid);
    const task = await workspace.tasks(second.taskSid).fetch();
    expect(task.assignmentStatus).toBe('pending');
    expect(task.taskQueueSid).toMatch(/^WQ/);
    expect(task.taskQueueEnteredDate).toBeInstanceOf(Date);

    const waiting = await workspace.tasks.list({
      taskQueueSid: task.taskQueueSid,
      assignmentStatus: ['pending', 'reserved'],
      ordering: 'Priority:desc,DateCreated:asc',
    });
    expect(waiting.map((t) => t.sid)).toEqual([first.taskSid, second.taskSid, third.taskSid]);
    const newestFirst = await workspace.tasks.list({
      taskQueueSid: task.taskQueueSid,
      ordering: 'DateCreated:desc',
    });
    expect(newestFirst.slice(0, 3).map((t) => t.sid)).toEqual([third.taskSid, second.taskSid, first.taskSid]);
    await expect(workspace.tasks.list({ ordering: 'Age:asc' })).rejects.toMatchObject({ status: 400 });
    await expect(
      workspace.tasks.list({ ordering: 'DateCreated:asc,VirtualStartTime:desc' }),
    ).rejects.toMatchObject({ status: 400 });

    // Real-time statistics: three pending, the oldest one named, no available worker.
    const realTime = await workspace.taskQueues(task.taskQueueSid).realTimeStatistics().fetch();
    expect(realTime.tasksByStatus).toMatchObject({ pending: 3, reserved: 0 });
    expect(realTime.totalTasks).toBe(3);
    expect(realTime.longestTaskWaitingSid).toBe(first.taskSid);
    expect(realTime.longestTaskWaitingAge).toBeGreaterThanOrEqual(4);
    expect(realTime.totalAvailableWorkers).toBe(0);
    expect(realTime.totalEligibleWorkers).toBe(2);
    expect(realTime.activityStatistics).toEqual(
      expect.arrayContaining([expect.objectContaining({ friendly_name: 'Offline', workers: 1 })]),
    );

    // Nobody accepted anything yet: the cumulative wait has no data.
    const before = await workspace
      .taskQueues(task.taskQueueSid)
      .cumulativeStatistics()
      .fetch({ minutes: 60 });
    expect(before.reservationsAccepted).toBe(0);
    expect(before.waitDurationUntilAccepted).toEqual({ avg: 0, min: 0, max: 0, total: 0 });
    expect(before.tasksEntered).toBe(3);

    // Dana comes back after two minutes: the oldest task is offered first and she accepts it.
    clock.advance(120_000);
    emulator.control.setAgentActivity('Dana', 'Available');
    expect(emulator.control.task(first.taskSid).reservations.map((r) => r.agent)).toEqual(['Dana']);
    emulator.control.acceptTask(first.taskSid, 'Dana');
    const after = await workspace.taskQueues(task.taskQueueSid).cumulativeStatistics().fetch({ minutes: 60 });
    expect(after.reservationsAccepted).toBe(1);
    expect(after.waitDurationUntilAccepted.avg).toBeGreaterThanOrEqual(124);
    expect(after.avgTaskAcceptanceTime).toBe(after.waitDurationUntilAccepted.avg);
    const afterRealTime = await workspace.taskQueues(task.taskQueueSid).realTimeStatistics().fetch();
    expect(afterRealTime.tasksByStatus).toMatchObject({ assigned: 1 });
    expect(
      (afterRealTime.tasksByStatus as { pending: number; reserved: number }).pending +
        (afterRealTime.tasksByStatus as { reserved: number }).reserved,
    ).toBe(2);
    await expect(
      workspace.taskQueues('WQ00000000000000000000000000000000').realTimeStatistics().fetch(),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('lists the invites made on an interaction channel', async () => {
    emulator.control.setAgentActivity('Leo', 'Available');
    const { interaction, taskSid } = await handedOver('dee');
    emulator.control.acceptTask(taskSid, 'Leo');
    const channelSid = emulator.control.task(taskSid).interactionChannelSid!;
    const channel = client.flexApi.v1.interaction(interaction.sid).channels(channelSid);
    expect(await channel.invites.list()).toEqual([]);
    const invite = await channel.invites.create({
      routing: {
        properties: {
          workspace_sid: emulator.workspaceSid,
          task_channel_unique_name: 'chat',
          attributes: { transferredFromTaskSid: taskSid },
        },
      },
    });
    const listed = await channel.invites.list();
    expect(listed.map((i) => i.sid)).toEqual([invite.sid]);
    expect(
      (listed[0]!.routing as { properties: { attributes: Record<string, unknown> } }).properties.attributes,
    ).toMatchObject({ transferredFromTaskSid: taskSid });
  });
});
