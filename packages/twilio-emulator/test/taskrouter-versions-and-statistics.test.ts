import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';

type Twilio = ReturnType<typeof twilio>;

let emulator: TwilioEmulator | undefined;
let client: Twilio;

beforeEach(async () => {
  await emulator?.stop();
  emulator = await startTwilioEmulator();
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
});
afterAll(async () => {
  await emulator?.stop();
});

function workspace() {
  return client.taskrouter.v1.workspaces(emulator!.workspaceSid);
}

describe('a task has a version: ETag on every answer, If-Match on every write', () => {
  it('sends the ETag, moves it on each change, and refuses a stale If-Match with 412 / 20412', async () => {
    emulator!.control.setAgentActivity('Dana', 'Offline');
    emulator!.control.setAgentActivity('Leo', 'Offline');
    const created = await workspace().tasks.createWithHttpInfo({
      attributes: JSON.stringify({ topic: 'billing' }),
    });
    expect(created.headers.etag).toBe('0');
    const task = workspace().tasks(created.body.sid);

    const read = await task.fetchWithHttpInfo();
    expect(read.headers.etag).toBe('0');
    const written = await task.updateWithHttpInfo({
      attributes: JSON.stringify({ topic: 'refund' }),
      ifMatch: '0',
    });
    expect(written.headers.etag).toBe('1');

    // Another writer with the old version: refused, nothing changed.
    await expect(
      task.update({ attributes: JSON.stringify({ topic: 'lost' }), ifMatch: '0' }),
    ).rejects.toMatchObject({
      status: 412,
      code: 20412,
      moreInfo: 'https://www.twilio.com/docs/errors/20412',
    });
    expect(JSON.parse((await task.fetch()).attributes)).toEqual({ topic: 'refund' });
    await expect(task.remove({ ifMatch: '0' })).rejects.toMatchObject({ status: 412 });

    // Without If-Match, the last write wins (no check).
    await task.update({ priority: 5 });
    expect((await task.fetchWithHttpInfo()).headers.etag).toBe('2');
    expect(await task.remove({ ifMatch: '2' })).toBe(true);
  });

  it('lets the control API play Flex writing the task between a read and a write', async () => {
    const created = await workspace().tasks.create({ attributes: JSON.stringify({ a: 1 }) });
    const task = workspace().tasks(created.sid);
    emulator!.control.writeTaskAttributesAfterNextRead(created.sid, (attributes) => ({
      ...attributes,
      flex: true,
    }));
    const read = await task.fetchWithHttpInfo();
    expect(JSON.parse(read.body.attributes)).toEqual({ a: 1 });
    await expect(
      task.update({ attributes: JSON.stringify({ a: 2 }), ifMatch: String(read.headers.etag) }),
    ).rejects.toMatchObject({ status: 412 });
    expect(JSON.parse((await task.fetch()).attributes)).toEqual({ a: 1, flex: true });
  });
});

describe('TaskRouter activities and workers', () => {
  it('fetches an activity by SID and creates one', async () => {
    const [available] = await workspace().activities.list({ friendlyName: 'Available' });
    const fetched = await workspace().activities(available!.sid).fetch();
    expect(fetched).toMatchObject({ friendlyName: 'Available', available: true });
    const lunch = await workspace().activities.create({ friendlyName: 'Lunch', available: false });
    expect((await workspace().activities(lunch.sid).fetch()).available).toBe(false);
    await expect(workspace().activities('WA00000000000000000000000000000000').fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it("rejects a worker's pending reservations when asked to, as it goes unavailable", async () => {
    const dana = emulator!.control.agents().find((a) => a.name === 'Dana')!;
    emulator!.control.setAgentActivity('Leo', 'Offline');
    const task = await workspace().tasks.create({ attributes: '{}' });
    const [reservation] = await workspace().tasks(task.sid).reservations.list();
    expect(reservation).toMatchObject({ workerSid: dana.workerSid, reservationStatus: 'pending' });
    const [offline] = await workspace().activities.list({ friendlyName: 'Offline' });

    // Leo comes back, Dana goes Offline rejecting what she held: the task is offered to Leo.
    emulator!.control.setAgentActivity('Leo', 'Available');
    await workspace()
      .workers(dana.workerSid)
      .update({ activitySid: offline!.sid, rejectPendingReservations: true });
    const reservations = await workspace().tasks(task.sid).reservations.list();
    expect(reservations.find((r) => r.sid === reservation!.sid)?.reservationStatus).toBe('rejected');
    expect(
      reservations.some((r) => r.workerSid !== dana.workerSid && r.reservationStatus === 'pending'),
    ).toBe(true);
  });
});

describe('TaskRouter statistics', () => {
  it("counts in a queue's real-time statistics only the workers its TargetWorkers selects", async () => {
    const onlyDana = await workspace().taskQueues.create({
      friendlyName: 'Dana only',
      targetWorkers: 'email == "dana@example.com"',
    });
    emulator!.control.setAgentActivity('Leo', 'Offline');
    const stats = await workspace().taskQueues(onlyDana.sid).realTimeStatistics().fetch();
    expect(stats.totalEligibleWorkers).toBe(1);
    expect(stats.totalAvailableWorkers).toBe(1);
    expect(stats.activityStatistics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ friendly_name: 'Available', workers: 1 }),
        expect.objectContaining({ friendly_name: 'Offline', workers: 0 }),
      ]),
    );
  });

  it('answers the workspace, workers, workflow and every-queue statistics', async () => {
    emulator!.control.setAgentActivity('Dana', 'Offline');
    emulator!.control.setAgentActivity('Leo', 'Offline');
    await workspace().tasks.create({ attributes: '{}', workflowSid: emulator!.workflowSid });

    const everyQueue = await workspace().taskQueues.statistics.list();
    expect(everyQueue.map((q) => q.taskQueueSid)).toContain(emulator!.taskQueueSid);
    expect(everyQueue.find((q) => q.taskQueueSid === emulator!.taskQueueSid)?.realtime).toMatchObject({
      total_tasks: 1,
    });
    const queue = await workspace().taskQueues(emulator!.taskQueueSid).statistics().fetch();
    expect(queue.cumulative).toMatchObject({ tasks_entered: 1 });

    const realtime = await workspace().realTimeStatistics().fetch();
    expect(realtime).toMatchObject({ totalTasks: 1, totalWorkers: 2 });
    expect((await workspace().cumulativeStatistics().fetch()).tasksCreated).toBe(1);
    expect((await workspace().statistics().fetch()).realtime).toMatchObject({ total_tasks: 1 });

    const workers = await workspace().workers.statistics().fetch();
    expect(workers.realtime).toMatchObject({ total_workers: 2 });
    expect((await workspace().workers.realTimeStatistics().fetch()).totalWorkers).toBe(2);
    const dana = emulator!.control.agents().find((a) => a.name === 'Dana')!;
    expect((await workspace().workers(dana.workerSid).statistics().fetch()).workerSid).toBe(dana.workerSid);

    const workflow = workspace().workflows(emulator!.workflowSid);
    expect((await workflow.realTimeStatistics().fetch()).totalTasks).toBe(1);
    expect((await workflow.cumulativeStatistics().fetch()).tasksEntered).toBe(1);
    expect((await workflow.statistics().fetch()).realtime).toMatchObject({ total_tasks: 1 });
  });
});
