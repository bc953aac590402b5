import { existsSync } from 'node:fs';
import type { Twilio } from 'twilio';
import { activeRelease } from './plan-plugin.ts';
import { CHAT_TASK_CHANNEL, FLEX_WORKFLOW_NAME } from './plan-twilio.ts';
import { DEFAULT_PLUGIN_BUNDLE, readPluginBundle } from './plugin-bundle.ts';
import type { SmokeOptions } from './smoke-config.ts';
import {
  describeError,
  fail,
  pass,
  type SmokeDeps,
  type SmokeResult,
  settle,
  statusOf,
} from './smoke-result.ts';

type FlexConfiguration = Awaited<ReturnType<ReturnType<Twilio['flexApi']['v1']['configuration']>['fetch']>>;
type Workspace = Awaited<ReturnType<ReturnType<Twilio['taskrouter']['v1']['workspaces']>['fetch']>>;

/** The Twilio side: credentials, Flex's workspace and callback, the Conversations service, the flow, the plugin. */
export async function twilioChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const credentials = await credentialsCheck(options, deps.twilio);
  if (!credentials.flexConfig) return [credentials.result];
  return [
    credentials.result,
    ...(await workspaceChecks(options, deps.twilio, credentials.flexConfig)),
    await conversationsServiceCheck(options, deps.twilio),
    await studioFlowCheck(options, deps.twilio),
    await pluginCheck(deps),
  ];
}

const baseOf = (options: SmokeOptions) => options.PUBLIC_BASE_URL.replace(/\/+$/, '');

/** The credentials, read through Flex's configuration (which also says Flex is set up on the account). */
async function credentialsCheck(
  options: SmokeOptions,
  client: Twilio,
): Promise<{ result: SmokeResult; flexConfig?: FlexConfiguration }> {
  try {
    const flexConfig = await client.flexApi.v1.configuration().fetch();
    return {
      flexConfig,
      result: pass(
        'Twilio credentials',
        `account ${options.TWILIO_ACCOUNT_SID} accepted them, Flex is set up`,
      ),
    };
  } catch (error) {
    const status = statusOf(error);
    return {
      result:
        status === 401
          ? fail(
              'Twilio credentials',
              'Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (20003 Authentication Error).',
              'Copy the Account SID and the Auth Token (not an API key secret) from Console → Account → API keys & tokens into .env.',
            )
          : status === 404
            ? fail(
                'Twilio credentials',
                'The credentials are valid but this account has no Flex configuration.',
                'Create a Flex project on this account (Console → Flex → Overview), then run `npm run provision`.',
              )
            : fail(
                'Twilio credentials',
                `Twilio could not be read (${describeError(error)}).`,
                'Check the network and TWILIO_API_BASE_URL, then run the check again.',
              ),
    };
  }
}

/** Flex's TaskRouter workspace with its workflow and chat task channel, and its event callback. */
async function workspaceChecks(
  options: SmokeOptions,
  client: Twilio,
  flexConfig: FlexConfiguration,
): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const base = baseOf(options);
  const workspaceSid = flexConfig.taskrouterWorkspaceSid;
  const workspace: Workspace | undefined = workspaceSid
    ? await client.taskrouter.v1
        .workspaces(workspaceSid)
        .fetch()
        .catch(() => undefined)
    : undefined;
  if (!workspace) {
    results.push(
      fail(
        'Flex workspace',
        `Flex's configuration names no TaskRouter workspace that exists (${workspaceSid || 'none'}).`,
        'Open Flex once in the Console so it creates "Flex Task Assignment", or repair the Flex project.',
      ),
    );
  } else {
    const ws = client.taskrouter.v1.workspaces(workspace.sid);
    const [workflows, channels] = await Promise.all([
      ws.workflows.list({ limit: 200 }),
      ws.taskChannels.list({ limit: 200 }),
    ]);
    const wanted = options.TWILIO_FLEX_WORKFLOW_SID;
    const workflow = workflows.find((candidate) =>
      wanted ? candidate.sid === wanted : candidate.friendlyName === FLEX_WORKFLOW_NAME,
    );
    const channel = channels.find((candidate) => candidate.uniqueName === CHAT_TASK_CHANNEL);
    results.push(
      !workflow
        ? fail(
            'Flex workspace',
            wanted
              ? `The workflow ${wanted} (TWILIO_FLEX_WORKFLOW_SID) is not in workspace "${workspace.friendlyName}".`
              : `The workflow "${FLEX_WORKFLOW_NAME}" is not in workspace "${workspace.friendlyName}".`,
            'Fix TWILIO_FLEX_WORKFLOW_SID (or create the workflow in Console → TaskRouter), then run `npm run provision -- --only twilio`.',
          )
        : !channel
          ? fail(
              'Flex workspace',
              `The task channel "${CHAT_TASK_CHANNEL}" is not in workspace "${workspace.friendlyName}".`,
              'Create it (Console → TaskRouter → Workspaces → Task Channels, unique name "chat").',
            )
          : pass(
              'Flex workspace',
              `"${workspace.friendlyName}" with workflow "${workflow.friendlyName}" and task channel "chat"`,
            ),
    );
    const callbackUrl = `${base}/webhooks/twilio/taskrouter`;
    results.push(
      workspace.eventCallbackUrl === callbackUrl
        ? pass('TaskRouter event callback', callbackUrl)
        : fail(
            'TaskRouter event callback',
            `TaskRouter sends its events to ${workspace.eventCallbackUrl || 'nowhere'}, not to ${callbackUrl}: "Dana joined the chat" then depends on the Conversations webhook alone.`,
            'Run `npm run provision -- --only twilio` (add --force to replace a URL that is not ours).',
          ),
    );
  }

  return results;
}

/** The Conversations service the bridge uses. */
async function conversationsServiceCheck(options: SmokeOptions, client: Twilio): Promise<SmokeResult> {
  const { value: service, error: serviceError } = await settle(() =>
    client.conversations.v1.services(options.TWILIO_CONVERSATIONS_SERVICE_SID).fetch(),
  );
  return !service
    ? fail(
        'Conversations service',
        `The Conversations service ${options.TWILIO_CONVERSATIONS_SERVICE_SID} (TWILIO_CONVERSATIONS_SERVICE_SID) is not on this account (${describeError(serviceError)}).`,
        "Run `npm run provision -- --only twilio`: it finds Flex's service and writes its SID to .env.",
      )
    : pass('Conversations service', `${service.sid} "${service.friendlyName}"`);
}

/** The Studio flow: published, calling the bridge at PUBLIC_BASE_URL. */
async function studioFlowCheck(options: SmokeOptions, client: Twilio): Promise<SmokeResult> {
  const botUrl = `${baseOf(options)}/webhooks/twilio/bot`;
  const { value: flow, error: flowError } = await settle(() =>
    client.studio.v2.flows(options.TWILIO_STUDIO_FLOW_SID).fetch(),
  );
  if (!flow) {
    return fail(
      'Studio flow',
      `The Studio flow ${options.TWILIO_STUDIO_FLOW_SID} (TWILIO_STUDIO_FLOW_SID) is not on this account (${describeError(flowError)}).`,
      'Run `npm run provision -- --only twilio`: it deploys flows/discord-inbound.json and writes its SID to .env.',
    );
  }
  const definition = JSON.stringify(flow.definition ?? {});
  const urls = [...new Set(definition.match(/https?:\/\/[^"\\]+\/webhooks\/twilio\/bot/g) ?? [])];
  return flow.status !== 'published'
    ? fail(
        'Studio flow',
        `The Studio flow "${flow.friendlyName}" is a ${flow.status}, not published.`,
        'Run `npm run provision -- --only twilio`.',
      )
    : !urls.includes(botUrl)
      ? fail(
          'Studio flow',
          `The Studio flow "${flow.friendlyName}" calls the bot at ${urls.join(', ') || 'no URL'}, not at ${botUrl}.`,
          'PUBLIC_BASE_URL changed since provisioning: run `npm run provision -- --only twilio`.',
        )
      : pass('Studio flow', `"${flow.friendlyName}" published, calls ${botUrl}`);
}

/** The Flex plugin: released, and the built bundle's bytes when there is one to compare. */
async function pluginCheck(deps: SmokeDeps): Promise<SmokeResult> {
  const bundlePath = deps.bundlePath ?? DEFAULT_PLUGIN_BUNDLE;
  const bundle = existsSync(bundlePath) ? readPluginBundle(bundlePath) : undefined;
  const name = bundle?.name ?? 'plugin-flexcord';
  const { value: released, error: releaseError } = await settle(() => activeRelease(deps.twilio, name));
  if (releaseError) {
    return fail(
      'Flex plugin',
      `The Flex Plugins API could not be read (${describeError(releaseError)}).`,
      'Check that Flex is enabled, then run the check again.',
    );
  }
  if (!released?.version) {
    return fail(
      'Flex plugin',
      released
        ? `The active Flex plugin release (configuration ${released.configurationSid}) does not include ${name}: agents see no Discord channel or case panel.`
        : `Flex has no plugin release: agents see no Discord channel or case panel.`,
      'Run `npm run provision -- --only plugin`.',
    );
  }
  if (bundle && released.sha256 !== bundle.sha256) {
    return fail(
      'Flex plugin',
      `Flex runs ${name} ${released.version}, which is not the bundle built here (sha256 ${bundle.sha256.slice(0, 12)}…).`,
      'Run `npm run provision -- --only plugin` to release the built bundle (or `--rollback` if the release is what you want).',
    );
  }
  return pass(
    'Flex plugin',
    `${name} ${released.version} released${bundle ? ', same sha256 as the built bundle' : ''}`,
  );
}
