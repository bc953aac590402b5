import type { Twilio } from 'twilio';
import type { PlannedAction } from './apply-plan.ts';
import { writeEnvFile } from './env-file.ts';
import { ProvisionError } from './provision-errors.ts';

/** What provisioning sets up for `TRIAGE_ROUTING=task`. */
export const TRIAGE_QUEUE_NAME = 'Flexcord triage';
export const TRIAGE_WORKFLOW_NAME = 'Flexcord triage';
/** Who gets triage tasks: workers with the `triage` skill (Flex: Workers → Skills). */
export const TRIAGE_TARGET_WORKERS = 'routing.skills HAS "triage"';

/** The triage workflow: triage tasks to the triage queue (and nothing else comes through it). */
export function triageWorkflowConfiguration(queueSid: string): string {
  return JSON.stringify({
    task_routing: {
      filters: [
        {
          filter_friendly_name: 'Case triage',
          expression: 'type == "case_triage"',
          targets: [{ queue: queueSid }],
        },
      ],
      default_filter: { queue: queueSid },
    },
  });
}

/**
 * The TaskRouter side of triage routing, in Flex's workspace: the task channel, the queue (its
 * workers: `routing.skills HAS "triage"`), the workflow routing `type == "case_triage"` tasks to it,
 * and `TRIAGE_WORKSPACE_SID` / `TRIAGE_WORKFLOW_SID` in `.env`. What exists is left alone.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/task-channel
 * @see https://www.twilio.com/docs/taskrouter/api/task-queue
 * @see https://www.twilio.com/docs/taskrouter/workflow-configuration
 */
export async function planTriage(input: {
  client: Twilio;
  workspace: { sid: string; friendlyName: string };
  taskChannel: string;
  workflowSid: string | undefined;
  currentWorkspaceSid: string | undefined;
  envFile: string;
  call: <T>(work: () => Promise<T>, what: string) => Promise<T>;
}): Promise<PlannedAction[]> {
  const { client, workspace, call } = input;
  const side = 'twilio' as const;
  const ws = client.taskrouter.v1.workspaces(workspace.sid);
  const actions: PlannedAction[] = [];
  const outputs: { queueSid?: string; workflowSid?: string } = {};

  const channels = await call(() => ws.taskChannels.list({ limit: 200 }), 'TaskRouter task channels');
  const channel = channels.find(
    (candidate) => candidate.uniqueName === input.taskChannel || candidate.sid === input.taskChannel,
  );
  const channelResource = `Triage task channel "${input.taskChannel}"`;
  if (channel) actions.push({ side, resource: channelResource, action: 'unchanged', detail: channel.sid });
  else if (/^TC[0-9a-f]{32}$/i.test(input.taskChannel))
    throw new ProvisionError(
      'TWILIO_MISSING_RESOURCE',
      `The task channel ${input.taskChannel} (TRIAGE_TASK_CHANNEL) is not in workspace "${workspace.friendlyName}": fix the SID, or set a unique name (default "triage") for provisioning to create.`,
    );
  else
    actions.push({
      side,
      resource: channelResource,
      action: 'create',
      detail: `in "${workspace.friendlyName}"`,
      apply: async () => {
        const created = await call(
          () => ws.taskChannels.create({ friendlyName: 'Case triage', uniqueName: input.taskChannel }),
          'TaskRouter task channel',
        );
        return `created ${created.sid}`;
      },
    });

  const queues = await call(() => ws.taskQueues.list({ limit: 200 }), 'TaskRouter task queues');
  const queue = queues.find((candidate) => candidate.friendlyName === TRIAGE_QUEUE_NAME);
  const queueResource = `Task queue "${TRIAGE_QUEUE_NAME}"`;
  if (queue) {
    outputs.queueSid = queue.sid;
    actions.push({
      side,
      resource: queueResource,
      action: 'unchanged',
      detail: `${queue.sid}: ${queue.targetWorkers}`,
    });
  } else
    actions.push({
      side,
      resource: queueResource,
      action: 'create',
      detail: `workers: ${TRIAGE_TARGET_WORKERS}`,
      apply: async () => {
        const created = await call(
          () =>
            ws.taskQueues.create({ friendlyName: TRIAGE_QUEUE_NAME, targetWorkers: TRIAGE_TARGET_WORKERS }),
          'TaskRouter task queue',
        );
        outputs.queueSid = created.sid;
        return `created ${created.sid}`;
      },
    });

  const workflows = await call(() => ws.workflows.list({ limit: 200 }), 'TaskRouter workflows');
  const workflow = workflows.find((candidate) =>
    input.workflowSid ? candidate.sid === input.workflowSid : candidate.friendlyName === TRIAGE_WORKFLOW_NAME,
  );
  const workflowResource = `Workflow "${TRIAGE_WORKFLOW_NAME}"`;
  if (workflow) {
    outputs.workflowSid = workflow.sid;
    actions.push({ side, resource: workflowResource, action: 'unchanged', detail: workflow.sid });
  } else
    actions.push({
      side,
      resource: workflowResource,
      action: 'create',
      detail: `type == "case_triage" → "${TRIAGE_QUEUE_NAME}"`,
      apply: async () => {
        const created = await call(
          () =>
            ws.workflows.create({
              friendlyName: TRIAGE_WORKFLOW_NAME,
              configuration: triageWorkflowConfiguration(outputs.queueSid ?? ''),
            }),
          'TaskRouter workflow',
        );
        outputs.workflowSid = created.sid;
        return `created ${created.sid}`;
      },
    });

  const current =
    input.currentWorkspaceSid === workspace.sid &&
    workflow !== undefined &&
    input.workflowSid === workflow.sid;
  actions.push(
    current
      ? {
          side,
          resource: input.envFile,
          action: 'unchanged',
          detail: 'TRIAGE_WORKSPACE_SID and TRIAGE_WORKFLOW_SID are current',
        }
      : {
          side,
          resource: input.envFile,
          action: 'update',
          detail: `write TRIAGE_WORKSPACE_SID=${workspace.sid}, TRIAGE_WORKFLOW_SID=${workflow?.sid ?? '(new)'}`,
          apply: async () => {
            const updates = {
              TRIAGE_WORKSPACE_SID: workspace.sid,
              TRIAGE_WORKFLOW_SID: outputs.workflowSid ?? '',
            };
            writeEnvFile(input.envFile, updates);
            return `wrote ${Object.entries(updates)
              .map(([key, value]) => `${key}=${value}`)
              .join(', ')}`;
          },
        },
  );
  return actions;
}
