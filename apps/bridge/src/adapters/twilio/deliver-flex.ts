import type { Twilio } from 'twilio';
import type {
  InteractionClosePayload,
  InteractionTransferPayload,
  TaskAttributesPayload,
  TaskCompletePayload,
} from './outbox-kinds.ts';
import { isTwilioRestError, toDeliveryError } from './twilio-errors.ts';

const FINISHED = new Set(['completed', 'canceled']);

/** How often a task write is re-read and tried again after another writer (Flex) changed it. */
const VERSION_ATTEMPTS = 5;

type TaskContext = ReturnType<ReturnType<Twilio['taskrouter']['v1']['workspaces']>['tasks']>;
type TaskInstance = Awaited<ReturnType<TaskContext['fetch']>>;

/**
 * Reads the task and writes what `change` makes of it, conditional on the version read (its ETag
 * as `If-Match`): Flex writes the same task (its own attributes, its wrap-up), and a write based
 * on a stale read would wipe that out. On 412 the task changed in between: read again, try again.
 * `change` answers null when there is nothing to write (the task is already finished).
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task (Task Version)
 * @see https://www.twilio.com/docs/usage/mutation-and-conflict-resolution
 */
async function writeTaskOnVersion<T>(
  task: TaskContext,
  change: (
    current: TaskInstance,
  ) => { update: Parameters<TaskContext['update']>[0]; result: (updated: TaskInstance) => T } | { skip: T },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const read = await task.fetchWithHttpInfo();
    const decided = change(read.body);
    if ('skip' in decided) return decided.skip;
    const etag = read.headers.etag ?? read.headers.ETag;
    try {
      const updated = await task.update({
        ...decided.update,
        ...(typeof etag === 'string' && etag !== '' ? { ifMatch: etag } : {}),
      });
      return decided.result(updated);
    } catch (error) {
      if (!(isTwilioRestError(error) && error.status === 412 && attempt < VERSION_ATTEMPTS)) throw error;
    }
  }
}

/** The task's attributes with `conversations` (what Flex Insights reads) merged in. */
function withConversations(
  raw: string,
  conversations: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const attributes = parseAttributes(raw);
  return {
    ...attributes,
    conversations: {
      ...(typeof attributes.conversations === 'object' && attributes.conversations !== null
        ? (attributes.conversations as Record<string, unknown>)
        : {}),
      ...conversations,
    },
  };
}

/**
 * Delivers `twilio.task-complete`: reads the task, merges the `conversations` object Flex Insights
 * reads into its attributes and completes it with the reason, in one update (conditional on the
 * version read). A task already finished (completed in Flex meanwhile) or gone (TaskRouter deletes
 * finished tasks) is done.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task#update-a-task-resource
 * @see https://www.twilio.com/docs/flex/developer/insights/enhance-integration
 */
export function createTaskCompleteDeliverer(client: Twilio) {
  return async (payload: TaskCompletePayload) => {
    const task = client.taskrouter.v1.workspaces(payload.workspaceSid).tasks(payload.taskSid);
    try {
      return await writeTaskOnVersion<Record<string, string>>(task, (current) =>
        FINISHED.has(current.assignmentStatus)
          ? { skip: { skipped: current.assignmentStatus } }
          : {
              update: {
                ...(payload.conversations
                  ? {
                      attributes: JSON.stringify(
                        withConversations(current.attributes, payload.conversations),
                      ),
                    }
                  : {}),
                assignmentStatus: 'completed',
                reason: payload.reason,
              },
              result: (updated) => ({ completed: updated.sid }),
            },
      );
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 404) return { skipped: 'task gone' };
      throw toDeliveryError(error, `completing task ${payload.taskSid}`);
    }
  };
}

/**
 * Delivers `twilio.task-attributes`: merges `conversations` into the task's attributes (a survey's
 * answer, for Flex Insights) whatever the task's status, conditional on the version read. A task
 * TaskRouter already deleted (it does so a few minutes after completion) is done: the answer stays
 * on the case.
 */
export function createTaskAttributesDeliverer(client: Twilio) {
  return async (payload: TaskAttributesPayload) => {
    const task = client.taskrouter.v1.workspaces(payload.workspaceSid).tasks(payload.taskSid);
    try {
      return await writeTaskOnVersion(task, (current) => ({
        update: { attributes: JSON.stringify(withConversations(current.attributes, payload.conversations)) },
        result: () => ({ updated: payload.taskSid }),
      }));
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 404) return { skipped: 'task gone' };
      throw toDeliveryError(error, `updating task ${payload.taskSid}`);
    }
  };
}

/**
 * Delivers `twilio.interaction-close`: the chat's Interactions channel closed with routing closed,
 * so its tasks complete (or are canceled while waiting) and no dead task stays in Flex.
 *
 * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api/channels-subresource
 */
export function createInteractionCloseDeliverer(client: Twilio) {
  return async (payload: InteractionClosePayload) => {
    const channel = client.flexApi.v1.interaction(payload.interactionSid).channels(payload.channelSid);
    try {
      const updated = await channel.update({ status: 'closed', routing: { status: 'closed' } });
      return { status: updated.status };
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 404) return { skipped: 'channel gone' };
      throw toDeliveryError(error, `closing interaction channel ${payload.channelSid}`);
    }
  };
}

/**
 * Delivers `twilio.interaction-transfer`, a cold transfer as Flex Conversations does it: an invite
 * on the chat's channel carrying the task's attributes (routed to the agent with `worker_sid`, or
 * to a queue), then the transferring agent's participant `closed` — their task completes and they
 * leave the conversation, while the member stays and waits for the next agent. Idempotent: a
 * retried delivery finds its earlier invite on the channel (`GET …/Invites`) instead of making one.
 *
 * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api/invites-subresource
 * @see https://www.twilio.com/docs/flex/developer/conversations/interactions-api/interaction-channel-participants
 */
export function createInteractionTransferDeliverer(client: Twilio) {
  return async (payload: InteractionTransferPayload) => {
    const channel = client.flexApi.v1.interaction(payload.interactionSid).channels(payload.channelSid);
    try {
      // A retry after the invite went out (its answer lost, or a later step failed) must not invite
      // again: that would be a second task for the same member. The invite carries the task it
      // transfers, so an earlier attempt's is found on the channel.
      const earlier = (await channel.invites.list()).find(
        (candidate) => transferredFrom(candidate.routing) === payload.taskSid,
      );
      const task = await client.taskrouter.v1.workspaces(payload.workspaceSid).tasks(payload.taskSid).fetch();
      const attributes = { ...parseAttributes(task.attributes), transferredFromTaskSid: payload.taskSid };
      const invite =
        earlier ??
        (await channel.invites.create({
          routing: {
            properties: {
              workspace_sid: payload.workspaceSid,
              workflow_sid: task.workflowSid,
              task_channel_unique_name: task.taskChannelUniqueName,
              attributes,
              ...(payload.workerSid ? { worker_sid: payload.workerSid } : {}),
              ...(payload.queueSid ? { queue_sid: payload.queueSid } : {}),
            },
          },
        }));
      const participants = await channel.participants.list();
      const first = participants.find(
        (p) =>
          p.type === 'agent' &&
          (p.routingProperties as { task_sid?: unknown } | null)?.task_sid === payload.taskSid,
      );
      if (first) await channel.participants(first.sid).update({ status: 'closed' });
      return { invite: invite.sid, closed: first?.sid ?? null };
    } catch (error) {
      throw toDeliveryError(error, `transferring task ${payload.taskSid}`);
    }
  };
}

/** The task an invite transfers (`transferredFromTaskSid` in its routing's task attributes). */
function transferredFrom(routing: unknown): string | null {
  const properties = (routing as { properties?: { attributes?: unknown } } | null)?.properties;
  const attributes =
    typeof properties?.attributes === 'string'
      ? parseAttributes(properties.attributes)
      : properties?.attributes;
  const sid = (attributes as { transferredFromTaskSid?: unknown } | undefined)?.transferredFromTaskSid;
  return typeof sid === 'string' ? sid : null;
}

function parseAttributes(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
