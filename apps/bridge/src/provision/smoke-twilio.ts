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

/** The Twilio side: credentials, Flex's workspace and callback, the Conversations service, the flow, the plugin. */
export async function twilioChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const client = deps.twilio;
  const results: SmokeResult[] = [];
  const base = options.PUBLIC_BASE_URL.replace(/\/+$/, '');

  let flexConfig: Awaited<ReturnType<ReturnType<Twilio['flexApi']['v1']['configuration']>['fetch']>>;
  try {
    flexConfig = await client.flexApi.v1.configuration().fetch();
    results.push(
      pass('Twilio credentials', `account ${options.TWILIO_ACCOUNT_SID} accepted them, Flex is set up`),
    );
  } catch (error) {
    const status = statusOf(error);
    results.push(
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
    );
    return results;
  }

  // The Flex workspace, its workflow and chat task channel.
  const workspaceSid = flexConfig.taskrouterWorkspaceSid;
  const workspace = workspaceSid
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

  // The Conversations service the bridge uses.
  const { value: service, error: serviceError } = await settle(() =>
    client.conversations.v1.services(options.TWILIO_CONVERSATIONS_SERVICE_SID).fetch(),
  );
  results.push(
    !service
      ? fail(
          'Conversations service',
          `The Conversations service ${options.TWILIO_CONVERSATIONS_SERVICE_SID} (TWILIO_CONVERSATIONS_SERVICE_SID) is not on this account (${describeError(serviceError)}).`,
          "Run `npm run provision -- --only twilio`: it finds Flex's service and writes its SID to .env.",
        )
      : pass('Conversations service', `${service.sid} "${service.friendlyName}"`),
  );

  // The Studio flow: published, calling the bridge at PUBLIC_BASE_URL.
  const botUrl = `${base}/webhooks/twilio/bot`;
  const { value: flow, error: flowError } = await settle(() =>
    client.studio.v2.flows(options.TWILIO_STUDIO_FLOW_SID).fetch(),
  );
  if (!flow) {
    results.push(
      fail(
        'Studio flow',
        `The Studio flow ${options.TWILIO_STUDIO_FLOW_SID} (TWILIO_STUDIO_FLOW_SID) is not on this account (${describeError(flowError)}).`,
        'Run `npm run provision -- --only twilio`: it deploys flows/discord-inbound.json and writes its SID to .env.',
      ),
    );
  } else {
    const definition = JSON.stringify(flow.definition ?? {});
    const urls = [...new Set(definition.match(/https?:\/\/[^"\\]+\/webhooks\/twilio\/bot/g) ?? [])];
    results.push(
      flow.status !== 'published'
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
          : pass('Studio flow', `"${flow.friendlyName}" published, calls ${botUrl}`),
    );
  }

  // The Flex plugin: released, and the built bundle's bytes when there is one to compare.
  const bundlePath = deps.bundlePath ?? DEFAULT_PLUGIN_BUNDLE;
  const bundle = existsSync(bundlePath) ? readPluginBundle(bundlePath) : undefined;
  const name = bundle?.name ?? 'plugin-flexcord';
  const { value: released, error: releaseError } = await settle(() => activeRelease(client, name));
  if (releaseError) {
    results.push(
      fail(
        'Flex plugin',
        `The Flex Plugins API could not be read (${describeError(releaseError)}).`,
        'Check that Flex is enabled, then run the check again.',
      ),
    );
  } else if (!released?.version) {
    results.push(
      fail(
        'Flex plugin',
        released
          ? `The active Flex plugin release (configuration ${released.configurationSid}) does not include ${name}: agents see no Discord channel or case panel.`
          : `Flex has no plugin release: agents see no Discord channel or case panel.`,
        'Run `npm run provision -- --only plugin`.',
      ),
    );
  } else if (bundle && released.sha256 !== bundle.sha256) {
    results.push(
      fail(
        'Flex plugin',
        `Flex runs ${name} ${released.version}, which is not the bundle built here (sha256 ${bundle.sha256.slice(0, 12)}…).`,
        'Run `npm run provision -- --only plugin` to release the built bundle (or `--rollback` if the release is what you want).',
      ),
    );
  } else {
    results.push(
      pass(
        'Flex plugin',
        `${name} ${released.version} released${bundle ? ', same sha256 as the built bundle' : ''}`,
      ),
    );
  }
  return results;
}
