import {
  DISCORD_INBOUND_FLOW,
  DISCORD_INBOUND_FLOW_NAME,
  deployFlow,
  renderFlowDefinition,
  sameFlowDefinition,
} from '@flexcord/flows';
import type { Twilio } from 'twilio';
import type { HelpTopic } from '../domain/topics/help-topics.ts';
import type { Plan, PlannedAction } from './apply-plan.ts';
import { writeEnvFile } from './env-file.ts';
import { planLastAgentRouting } from './plan-last-agent-routing.ts';
import { planTopicRouting, TOPIC_FILTER_PREFIX } from './plan-topic-routing.ts';
import { planTriage } from './plan-triage.ts';
import type { TwilioProvisionOptions } from './provision-config.ts';
import { ProvisionError } from './provision-errors.ts';

/** The Conversations service created when the account has no Flex default. */
export const SERVICE_NAME = 'Flexcord';
/** The names Flex gives its TaskRouter setup when it creates a Flex project. */
export const FLEX_WORKSPACE_NAME = 'Flex Task Assignment';
export const FLEX_WORKFLOW_NAME = 'Assign to Anyone';
export const CHAT_TASK_CHANNEL = 'chat';
/** The TaskRouter events the bridge acts on (the dependable "agent joined" signal). */
export const TASKROUTER_EVENTS = ['reservation.accepted', 'task.created'];

export interface TwilioPlanInput {
  client: Twilio;
  options: TwilioProvisionOptions;
  envFile: string;
  /** Replace an event callback URL that points somewhere else. */
  force?: boolean;
  /** The flow file (default: `flows/discord-inbound.json`). */
  flowPath?: string;
}

/**
 * Reads the account and plans the Twilio side: the Conversations service (Flex's default, else
 * one named "Flexcord"), the Studio flow (validated now, created or updated by friendly name,
 * published), the TaskRouter workspace's event callback, and the SIDs in `.env`. Nothing is
 * changed here; a missing Flex resource is a {@link ProvisionError} naming it and the fix.
 *
 * @see https://www.twilio.com/docs/conversations/api/configuration-resource
 * @see https://www.twilio.com/docs/flex/developer/config/flex-configuration-rest-api
 * @see https://www.twilio.com/docs/taskrouter/api/workspace
 * @see https://www.twilio.com/docs/studio/rest-api/v2/flow-validate
 */
export async function planTwilio(input: TwilioPlanInput): Promise<Plan> {
  const { client, options } = input;
  const base = options.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const botUrl = `${base}/webhooks/twilio/bot`;
  const callbackUrl = `${base}/webhooks/twilio/taskrouter`;
  const actions: PlannedAction[] = [];
  const warnings: string[] = [];
  const outputs: { serviceSid?: string; flowSid?: string } = {};
  const side = 'twilio' as const;

  // TaskRouter: the workspace Flex routes with, its workflow and its chat task channel.
  const { workspace, ws, workflow, taskChannel } = await flexRouting(
    client,
    options.TWILIO_FLEX_WORKFLOW_SID,
  );

  // Conversations service: Flex's default where the account has one.
  const conversationsConfig = await orUndefined(
    () => client.conversations.v1.configuration().fetch(),
    'Conversations configuration',
  );
  const services = client.conversations.v1.services;
  const flexDefault = conversationsConfig?.defaultChatServiceSid
    ? await orUndefined(
        () => services(conversationsConfig.defaultChatServiceSid).fetch(),
        'Conversations service',
      )
    : undefined;
  const service =
    flexDefault ??
    (await call(() => services.list({ limit: 200 }), 'Conversations services')).find(
      (candidate) => candidate.friendlyName === SERVICE_NAME,
    );
  if (service) {
    outputs.serviceSid = service.sid;
    actions.push({
      side,
      resource: 'Conversations service',
      action: 'unchanged',
      detail: `${service.sid} "${service.friendlyName}"${flexDefault ? " (the account's default, used by Flex)" : ''}`,
    });
  } else {
    actions.push({
      side,
      resource: 'Conversations service',
      action: 'create',
      detail: `"${SERVICE_NAME}" (the account has no default Conversations service)`,
      apply: async () => {
        const created = await call(
          () => services.create({ friendlyName: SERVICE_NAME }),
          'Conversations service',
        );
        outputs.serviceSid = created.sid;
        return `created ${created.sid} "${SERVICE_NAME}"`;
      },
    });
  }

  // Studio flow: rendered, validated before anything is created, then compared.
  const definition = renderFlowDefinition(input.flowPath ?? DISCORD_INBOUND_FLOW, {
    FLEXCORD_BOT_URL: botUrl,
    FLEX_WORKFLOW_SID: workflow.sid,
    FLEX_CHAT_TASK_CHANNEL_SID: taskChannel.sid,
  });
  try {
    await client.studio.v2.flowValidate.update({
      friendlyName: DISCORD_INBOUND_FLOW_NAME,
      status: 'published',
      definition,
    });
  } catch (error) {
    if (statusOf(error) === 400) {
      throw new ProvisionError(
        'TWILIO_FLOW_INVALID',
        `Studio refused the flow ${input.flowPath ?? DISCORD_INBOUND_FLOW}: ${flowErrors(error)}. Nothing was changed.`,
        { cause: error, status: 400 },
      );
    }
    throw twilioError(error, 'Studio flow validation');
  }
  const flowName = `Studio flow "${DISCORD_INBOUND_FLOW_NAME}"`;
  const existing = (await call(() => client.studio.v2.flows.list({ limit: 200 }), 'Studio flows')).find(
    (flow) => flow.friendlyName === DISCORD_INBOUND_FLOW_NAME,
  );
  const deploy = async () => {
    const deployed = await call(
      () => deployFlow(client, { friendlyName: DISCORD_INBOUND_FLOW_NAME, definition }),
      'Studio flow',
    );
    outputs.flowSid = deployed.sid;
    return `${deployed.action} ${deployed.sid} (revision ${deployed.revision}, published)`;
  };
  const targets = `bot ${botUrl}, workflow "${workflow.friendlyName}", task channel "${CHAT_TASK_CHANNEL}"`;
  if (!existing) {
    actions.push({
      side,
      resource: flowName,
      action: 'create',
      detail: `publish: ${targets}`,
      apply: deploy,
    });
  } else {
    outputs.flowSid = existing.sid;
    const current = await call(() => client.studio.v2.flows(existing.sid).fetch(), 'Studio flow');
    const same = current.status === 'published' && sameFlowDefinition(current.definition, definition);
    actions.push(
      same
        ? {
            side,
            resource: flowName,
            action: 'unchanged',
            detail: `${existing.sid} published, revision ${current.revision}`,
          }
        : {
            side,
            resource: flowName,
            action: 'update',
            detail: `${existing.sid}: publish a new revision (${current.status === 'published' ? 'definition differs' : `status is ${current.status}`}): ${targets}`,
            apply: deploy,
          },
    );
  }

  // TaskRouter event callback: ours, or left alone.
  const currentUrl = workspace.eventCallbackUrl || '';
  const currentFilter = (workspace.eventsFilter ?? '')
    .split(',')
    .map((event) => event.trim())
    .filter(Boolean);
  const missingEvents = TASKROUTER_EVENTS.filter((event) => !currentFilter.includes(event));
  const callbackResource = `TaskRouter event callback (${workspace.friendlyName})`;
  const setCallback = (eventsFilter: string[], what: string) => async () => {
    await call(
      () => ws.update({ eventCallbackUrl: callbackUrl, eventsFilter: eventsFilter.join(',') }),
      'TaskRouter workspace',
    );
    return what;
  };
  if (!currentUrl) {
    actions.push({
      side,
      resource: callbackResource,
      action: 'create',
      detail: `${callbackUrl} for ${TASKROUTER_EVENTS.join(', ')}`,
      apply: setCallback(TASKROUTER_EVENTS, `set to ${callbackUrl} (${TASKROUTER_EVENTS.join(', ')})`),
    });
  } else if (currentUrl === callbackUrl || input.force) {
    // An empty filter means every event, which includes ours.
    const filter = currentFilter.length ? [...currentFilter, ...missingEvents] : [];
    const needsUpdate = currentUrl !== callbackUrl || (currentFilter.length > 0 && missingEvents.length > 0);
    actions.push(
      needsUpdate
        ? {
            side,
            resource: callbackResource,
            action: 'update',
            detail:
              currentUrl === callbackUrl
                ? `add events ${missingEvents.join(', ')}`
                : `replace ${currentUrl} with ${callbackUrl} (--force)`,
            apply: setCallback(
              filter,
              `set to ${callbackUrl} (${filter.length ? filter.join(', ') : 'all events'})`,
            ),
          }
        : {
            side,
            resource: callbackResource,
            action: 'unchanged',
            detail: `${callbackUrl} (${currentFilter.length ? currentFilter.join(', ') : 'all events'})`,
          },
    );
  } else {
    actions.push({
      side,
      resource: callbackResource,
      action: 'unchanged',
      detail: `points at ${currentUrl}, not ours: left alone`,
    });
    warnings.push(
      `The TaskRouter workspace "${workspace.friendlyName}" sends its events to ${currentUrl}, not to ${callbackUrl}. ` +
        'The bridge then learns that an agent joined only from the Conversations webhook. Run again with --force to ' +
        'replace it, or forward reservation.accepted events from that endpoint to the bridge.',
    );
  }

  // The chat workflow's filters: help topics' (with their queues), a reopened case to its last
  // agent first; the brand's own filters kept.
  actions.push(...(await planChatWorkflow({ client, workspace, workflow, topics: options.HELP_TOPICS })));

  // Triage routing (TRIAGE_ROUTING=task): its channel, queue and workflow, and their SIDs in .env.
  if (options.TRIAGE_ROUTING === 'task')
    actions.push(
      ...(await planTriage({
        client,
        workspace,
        taskChannel: options.TRIAGE_TASK_CHANNEL,
        workflowSid: options.TRIAGE_WORKFLOW_SID,
        currentWorkspaceSid: options.TRIAGE_WORKSPACE_SID,
        envFile: input.envFile,
        call,
      })),
    );

  // .env: the SIDs the bridge runs with.
  const planned = { service: outputs.serviceSid, flow: outputs.flowSid };
  const envCurrent =
    planned.service !== undefined &&
    planned.flow !== undefined &&
    options.TWILIO_CONVERSATIONS_SERVICE_SID === planned.service &&
    options.TWILIO_STUDIO_FLOW_SID === planned.flow;
  actions.push(
    envCurrent
      ? {
          side,
          resource: input.envFile,
          action: 'unchanged',
          detail: 'TWILIO_CONVERSATIONS_SERVICE_SID and TWILIO_STUDIO_FLOW_SID are current',
        }
      : {
          side,
          resource: input.envFile,
          action: 'update',
          detail: `write TWILIO_CONVERSATIONS_SERVICE_SID=${planned.service ?? '(new)'}, TWILIO_STUDIO_FLOW_SID=${planned.flow ?? '(new)'}`,
          apply: async () => {
            const updates = {
              TWILIO_CONVERSATIONS_SERVICE_SID: outputs.serviceSid ?? '',
              TWILIO_STUDIO_FLOW_SID: outputs.flowSid ?? '',
            };
            writeEnvFile(input.envFile, updates);
            return `wrote ${Object.entries(updates)
              .map(([key, value]) => `${key}=${value}`)
              .join(', ')}`;
          },
        },
  );
  return { actions, warnings };
}

/**
 * Flex's TaskRouter setup: its workspace (the Flex configuration's, else "Flex Task Assignment"),
 * the workflow chats are handed to (`wantedWorkflow`, else "Assign to Anyone") and the `chat` task
 * channel; a missing one is a {@link ProvisionError} that says how to fix it.
 */
async function flexRouting(client: Twilio, wantedWorkflow: string | undefined) {
  const flexConfig = await orUndefined(() => client.flexApi.v1.configuration().fetch(), 'Flex configuration');
  const workspaces = client.taskrouter.v1.workspaces;
  let workspace = flexConfig?.taskrouterWorkspaceSid
    ? await orUndefined(() => workspaces(flexConfig.taskrouterWorkspaceSid).fetch(), 'TaskRouter workspace')
    : undefined;
  workspace ??= (await call(() => workspaces.list({ limit: 200 }), 'TaskRouter workspaces')).find(
    (candidate) => candidate.friendlyName === FLEX_WORKSPACE_NAME,
  );
  if (!workspace) {
    throw new ProvisionError(
      'TWILIO_MISSING_RESOURCE',
      `No Flex TaskRouter workspace: the account's Flex configuration names none and there is no workspace "${FLEX_WORKSPACE_NAME}". ` +
        'Is this a Flex account? Create a Flex project in the Twilio Console (Flex → Overview), then run provisioning again.',
    );
  }
  const ws = workspaces(workspace.sid);
  const workflows = await call(() => ws.workflows.list({ limit: 200 }), 'TaskRouter workflows');

  const workflow = workflows.find((candidate) =>
    wantedWorkflow ? candidate.sid === wantedWorkflow : candidate.friendlyName === FLEX_WORKFLOW_NAME,
  );
  const taskChannel = (
    await call(() => ws.taskChannels.list({ limit: 200 }), 'TaskRouter task channels')
  ).find((candidate) => candidate.uniqueName === CHAT_TASK_CHANNEL);
  const missing: string[] = [];
  if (!workflow) {
    missing.push(
      wantedWorkflow
        ? `the workflow ${wantedWorkflow} (TWILIO_FLEX_WORKFLOW_SID) is not in workspace "${workspace.friendlyName}": fix the SID or unset it to use "${FLEX_WORKFLOW_NAME}"`
        : `the workflow "${FLEX_WORKFLOW_NAME}" is not in workspace "${workspace.friendlyName}": create it (Console → TaskRouter → Workspaces → Workflows) or set TWILIO_FLEX_WORKFLOW_SID to the one chats should use`,
    );
  }
  if (!taskChannel) {
    missing.push(
      `the task channel "${CHAT_TASK_CHANNEL}" is not in workspace "${workspace.friendlyName}": create it (Console → TaskRouter → Workspaces → Task Channels, unique name "chat")`,
    );
  }
  if (missing.length || !workflow || !taskChannel) {
    throw new ProvisionError(
      'TWILIO_MISSING_RESOURCE',
      `Flex is not set up as expected:\n  - ${missing.join('\n  - ')}`,
    );
  }

  return { workspace, ws, workflow, taskChannel };
}

/**
 * `--only topics`: the help topics' queues and the chat workflow's filters, nothing else (after
 * editing HELP_TOPICS; the full `twilio` side does the same among the rest).
 */
export async function planTopicsOnly(input: {
  client: Twilio;
  options: { HELP_TOPICS: HelpTopic[]; TWILIO_FLEX_WORKFLOW_SID?: string | undefined };
}): Promise<Plan> {
  const { workspace, workflow } = await flexRouting(input.client, input.options.TWILIO_FLEX_WORKFLOW_SID);
  const actions = await planChatWorkflow({
    client: input.client,
    workspace,
    workflow,
    topics: input.options.HELP_TOPICS,
  });
  return { actions, warnings: [] };
}

/**
 * The chat workflow's Flexcord filters: the help topics' (and their queues) when there are topics
 * or filters of topics to remove, then the last-agent filters (Known Agent Routing), which are
 * always there.
 */
async function planChatWorkflow(input: {
  client: Twilio;
  workspace: { sid: string; friendlyName: string };
  workflow: { sid: string; friendlyName: string; configuration: string };
  topics: HelpTopic[];
}): Promise<PlannedAction[]> {
  const { client, workspace, workflow, topics } = input;
  const actions: PlannedAction[] = [];
  if (topics.length || workflow.configuration.includes(TOPIC_FILTER_PREFIX))
    actions.push(...(await planTopicRouting({ client, workspace, workflow, topics, call })));
  const afterPending = actions.some((action) => action.resource.startsWith('Workflow') && action.apply);
  actions.push(planLastAgentRouting({ client, workspace, workflow, afterPending, call }));
  return actions;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function flowErrors(error: unknown): string {
  const details = (error as { details?: { errors?: { message?: string; property_path?: string }[] } })
    .details;
  const errors = details?.errors ?? [];
  return errors.length
    ? errors.map((item) => `${item.property_path ?? ''} ${item.message ?? ''}`.trim()).join('; ')
    : error instanceof Error
      ? error.message
      : String(error);
}

/**
 * A Twilio API failure as a {@link ProvisionError} that says what to do: 20003 is bad
 * credentials, 20404 a missing resource, 20429 throttling.
 *
 * @see https://www.twilio.com/docs/api/errors/20003
 */
export function twilioError(error: unknown, what: string): ProvisionError {
  if (error instanceof ProvisionError) return error;
  const status = statusOf(error);
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401 || code === 20003) {
    return new ProvisionError(
      'TWILIO_AUTH',
      `Twilio refused the credentials (20003 Authentication Error) reading the ${what}: check TWILIO_ACCOUNT_SID and ` +
        'TWILIO_AUTH_TOKEN (Console → Account → API keys & tokens; the auth token, not an API key secret).',
      { cause: error, status: 401 },
    );
  }
  if (status === 403) {
    return new ProvisionError(
      'TWILIO_AUTH',
      `Twilio refused access to the ${what} (${code ?? 403}: ${message}): the account or its credentials lack this product — is Flex enabled on this account?`,
      { cause: error, status },
    );
  }
  return new ProvisionError(
    'TWILIO_API',
    `Twilio failed on the ${what} (${code ?? status ?? '?'}: ${message})`,
    {
      cause: error,
      ...(status === undefined ? {} : { status }),
    },
  );
}

/** A Twilio call whose failure becomes a {@link ProvisionError} saying what was being done. */
export async function call<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw twilioError(error, what);
  }
}

/** The resource, or undefined when Twilio answers 404 (the account does not have it). */
export async function orUndefined<T>(run: () => Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw twilioError(error, what);
  }
}
