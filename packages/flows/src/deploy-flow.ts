import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Twilio } from 'twilio';

/** The Studio flow of the Discord channel, as shipped in `flows/`. */
export const DISCORD_INBOUND_FLOW = fileURLToPath(
  new URL('../../../flows/discord-inbound.json', import.meta.url),
);
export const DISCORD_INBOUND_FLOW_NAME = 'Flexcord: Discord inbound';

/** What a flow file leaves to deployment: `${NAME}` placeholders. */
export interface FlowPlaceholders {
  FLEXCORD_BOT_URL: string;
  FLEX_WORKFLOW_SID: string;
  FLEX_CHAT_TASK_CHANNEL_SID: string;
}

/** A flow definition with its `${NAME}` placeholders filled; an unfilled one is an error. */
export function renderFlowDefinition(path: string, values: FlowPlaceholders): Record<string, unknown> {
  const source = readFileSync(path, 'utf8');
  const rendered = source.replace(/\$\{([A-Z0-9_]+)\}/g, (match, name: string) => {
    const value = (values as unknown as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`flow ${path} needs a value for ${match}`);
    return value;
  });
  return JSON.parse(rendered) as Record<string, unknown>;
}

export interface DeployedFlow {
  sid: string;
  revision: number;
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * Deploys the flow to Studio v2: validated first, then created or updated (by friendly name) and
 * published. An identical published definition is left alone.
 *
 * @see https://www.twilio.com/docs/studio/rest-api/v2/flow
 */
export async function deployFlow(
  client: Twilio,
  input: { friendlyName: string; definition: Record<string, unknown>; commitMessage?: string },
): Promise<DeployedFlow> {
  await client.studio.v2.flowValidate.update({
    friendlyName: input.friendlyName,
    status: 'published',
    definition: input.definition,
  });
  const existing = (await client.studio.v2.flows.list({ limit: 200 })).find(
    (flow) => flow.friendlyName === input.friendlyName,
  );
  if (!existing) {
    const created = await client.studio.v2.flows.create({
      friendlyName: input.friendlyName,
      status: 'published',
      definition: input.definition,
      commitMessage: input.commitMessage ?? 'Deployed by Flexcord',
    });
    return { sid: created.sid, revision: created.revision, action: 'created' };
  }
  const current = await client.studio.v2.flows(existing.sid).fetch();
  if (current.status === 'published' && sameFlowDefinition(current.definition, input.definition)) {
    return { sid: current.sid, revision: current.revision, action: 'unchanged' };
  }
  const updated = await client.studio.v2.flows(existing.sid).update({
    status: 'published',
    definition: input.definition,
    commitMessage: input.commitMessage ?? 'Updated by Flexcord',
  });
  return { sid: updated.sid, revision: updated.revision, action: 'updated' };
}

/** Whether two flow definitions are the same JSON, whatever the order of their keys. */
export function sameFlowDefinition(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

/**
 * The direct way to point a Twilio account (or the emulator) at a bridge: deploy the Discord flow
 * with the bridge's bot URL and the Flex workflow and chat channel, and send TaskRouter's workspace
 * events to the bridge. `npm run provision` does the same with planning, checks and a summary;
 * this is for the sandbox and tests, where the account is known to be set up.
 */
export async function connectTwilioToBridge(
  client: Twilio,
  input: { publicBaseUrl: string; workspaceSid: string; workflowSid: string; chatTaskChannelSid: string },
): Promise<DeployedFlow> {
  const base = input.publicBaseUrl.replace(/\/+$/, '');
  const flow = await deployFlow(client, {
    friendlyName: DISCORD_INBOUND_FLOW_NAME,
    definition: renderFlowDefinition(DISCORD_INBOUND_FLOW, {
      FLEXCORD_BOT_URL: `${base}/webhooks/twilio/bot`,
      FLEX_WORKFLOW_SID: input.workflowSid,
      FLEX_CHAT_TASK_CHANNEL_SID: input.chatTaskChannelSid,
    }),
  });
  await client.taskrouter.v1
    .workspaces(input.workspaceSid)
    .update({ eventCallbackUrl: `${base}/webhooks/twilio/taskrouter` });
  return flow;
}
