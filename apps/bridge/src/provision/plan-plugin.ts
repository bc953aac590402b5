import { randomBytes } from 'node:crypto';
import { rewriteTwilioUrl } from '@flexcord/twilio-client';
import type { Twilio } from 'twilio';
import type { Plan, PlannedAction } from './apply-plan.ts';
import { call, orUndefined, twilioError } from './plan-twilio.ts';
import { checksumChangelog, checksumOfChangelog, type PluginBundle } from './plugin-bundle.ts';
import { ProvisionError } from './provision-errors.ts';

/** The Serverless service the Plugins CLI hosts plugin bundles in. */
export const PLUGINS_SERVICE_UNIQUE_NAME = 'default';
export const PLUGINS_SERVICE_FRIENDLY_NAME = 'Flex Plugins Default Service';
/** Flex UI 2 loads plugins in phase 3. */
const PLUGIN_PHASE = 3;
const BUILD_POLL_MS = 500;
const BUILD_TIMEOUT_MS = 120_000;

export interface PluginPlanInput {
  client: Twilio;
  bundle: PluginBundle;
  credentials: { accountSid: string; authToken: string; apiBaseUrl: string | undefined };
  /** Re-release the configuration that was active before the current one. */
  rollback?: boolean;
}

/** The plugin currently released: its configured version and the configuration it came in. */
export interface ReleasedPlugin {
  releaseSid: string;
  configurationSid: string;
  version: string | undefined;
  pluginUrl: string | undefined;
  sha256: string | undefined;
}

/**
 * Plans the plugin step. It builds nothing: it deploys the bundle the browser tests load, byte for
 * byte, the way `twilio flex:plugins:deploy` and `release` do, through the same public APIs:
 * an asset (+ version) in the Serverless service `default` under
 * `/plugins/<name>/<version>/bundle.js`, a build with every asset version the environment already
 * serves plus this one, a deployment; then the Flex Plugins API's Plugin, PluginVersion (its
 * changelog records the sha256), a Configuration holding every plugin of the active release with
 * ours replaced, and a Release. When the active release already has this checksum, nothing changes.
 *
 * @see https://github.com/twilio/flex-plugin-builder/blob/main/packages/flex-plugin-scripts/src/scripts/deploy.ts
 * @see https://www.twilio.com/docs/flex/developer/plugins/api/release-guide
 */
export async function planPlugin(input: PluginPlanInput): Promise<Plan> {
  const { client, bundle } = input;
  const side = 'twilio' as const;
  const notes = [
    `Plugin bundle ${bundle.path}: ${bundle.bytes.length} bytes, sha256 ${bundle.sha256} → ${bundle.name} ${bundle.version}`,
  ];
  const api = client.flexApi.v1;
  const active = await activeRelease(client, bundle.name);

  if (input.rollback)
    return { actions: [await planRollback(client, bundle.name, active)], warnings: [], notes };

  const resource = `Flex plugin ${bundle.name}`;
  if (active?.sha256 === bundle.sha256) {
    return {
      actions: [
        {
          side,
          resource,
          action: 'unchanged',
          detail: `${active.version} is released (configuration ${active.configurationSid}), sha256 ${bundle.sha256.slice(0, 12)}… equals the built bundle`,
        },
      ],
      warnings: [],
      notes,
    };
  }

  const plugin = await orUndefined(() => api.plugins(bundle.name).fetch(), 'Flex plugin');
  const versions = plugin
    ? await call(() => api.plugins(plugin.sid).pluginVersions.list({ limit: 1000 }), 'Flex plugin versions')
    : [];
  const existing = versions.find((candidate) => candidate.version === bundle.version);
  if (existing && checksumOfChangelog(existing.changelog) !== bundle.sha256) {
    throw new ProvisionError(
      'PLUGIN_VERSION_TAKEN',
      `Flex already has ${bundle.name} ${bundle.version} with another checksum (${checksumOfChangelog(existing.changelog) ?? 'none recorded'}): versions cannot be changed. Archive it in Flex (Admin → Plugins) or change the version in apps/flex-plugin/package.json.`,
    );
  }
  const state: { versionSid?: string } = existing ? { versionSid: existing.sid } : {};

  const actions: PlannedAction[] = [];
  actions.push(
    existing
      ? {
          side,
          resource: `Plugin version ${bundle.name} ${bundle.version}`,
          action: 'unchanged',
          detail: `${existing.sid} already hosted at ${existing.pluginUrl}`,
        }
      : {
          side,
          resource: `Plugin version ${bundle.name} ${bundle.version}`,
          action: 'create',
          detail: `upload the bundle (sha256 ${bundle.sha256.slice(0, 12)}…) to the Serverless service "${PLUGINS_SERVICE_UNIQUE_NAME}" and register it with Flex`,
          apply: async () => {
            const pluginUrl = await hostBundle(input);
            const pluginSid =
              plugin?.sid ??
              (
                await call(
                  () =>
                    api.plugins.create({
                      uniqueName: bundle.name,
                      friendlyName: 'Flexcord',
                      description: 'Discord task channel, case panel and KB answers for agents.',
                    }),
                  'Flex plugin',
                )
              ).sid;
            const created = await call(
              () =>
                api.plugins(pluginSid).pluginVersions.create({
                  versionParam: bundle.version,
                  pluginUrl,
                  changelog: checksumChangelog(bundle.sha256),
                  private: true,
                }),
              'Flex plugin version',
            );
            state.versionSid = created.sid;
            return `${created.sid} at ${pluginUrl}`;
          },
        },
  );
  actions.push({
    side,
    resource: `${resource} release`,
    action: active ? 'update' : 'create',
    detail: active
      ? `release ${bundle.version} in place of ${active.version ?? 'no version of it'} (configuration ${active.configurationSid}), keeping the other plugins of that release`
      : `release ${bundle.version} (a first configuration)`,
    apply: async () => {
      const versionSid = state.versionSid;
      if (!versionSid) throw new ProvisionError('TWILIO_API', 'the plugin version was not created');
      const others = active
        ? (
            await call(
              () => api.pluginConfigurations(active.configurationSid).plugins.list({ limit: 1000 }),
              'Flex plugin configuration',
            )
          ).filter((configured) => configured.uniqueName !== bundle.name)
        : [];
      const configuration = await call(
        () =>
          api.pluginConfigurations.create({
            name: `Flexcord ${bundle.version}`,
            description: `${bundle.name} ${bundle.version} (sha256 ${bundle.sha256})`,
            plugins: [
              ...others.map((configured) => ({
                plugin_version: configured.pluginVersionSid,
                phase: configured.phase,
              })),
              { plugin_version: versionSid, phase: PLUGIN_PHASE },
            ],
          }),
        'Flex plugin configuration',
      );
      const release = await call(
        () => api.pluginReleases.create({ configurationId: configuration.sid }),
        'Flex plugin release',
      );
      return `released ${bundle.version} (configuration ${configuration.sid}, release ${release.sid})`;
    },
  });
  return { actions, warnings: [], notes };
}

/** The release before the active one whose configuration differs, re-released. */
async function planRollback(
  client: Twilio,
  name: string,
  active: ReleasedPlugin | undefined,
): Promise<PlannedAction> {
  const api = client.flexApi.v1;
  const releases = await call(() => api.pluginReleases.list({ limit: 1000 }), 'Flex plugin releases');
  const previous = active
    ? releases.find((release) => release.configurationSid !== active.configurationSid)
    : undefined;
  if (!active || !previous) {
    throw new ProvisionError(
      'NOTHING_TO_ROLL_BACK',
      active
        ? `There is no earlier release to roll back to: configuration ${active.configurationSid} (${name} ${active.version ?? '—'}) is the only one ever released.`
        : 'There is no release to roll back: Flex has never released a plugin configuration on this account.',
    );
  }
  const before = await releasedPlugin(client, name, previous.sid, previous.configurationSid);
  return {
    side: 'twilio',
    resource: `Flex plugin ${name} release`,
    action: 'update',
    detail: `roll back: release configuration ${previous.configurationSid} again (${name} ${before.version ?? 'absent'}) in place of ${active.configurationSid} (${name} ${active.version ?? 'absent'})`,
    apply: async () => {
      const release = await call(
        () => api.pluginReleases.create({ configurationId: previous.configurationSid }),
        'Flex plugin release',
      );
      return `rolled back to configuration ${previous.configurationSid} (${name} ${before.version ?? 'absent'}, release ${release.sid})`;
    },
  };
}

/** The active release and our plugin in it, or undefined when Flex has released nothing yet. */
export async function activeRelease(client: Twilio, name: string): Promise<ReleasedPlugin | undefined> {
  const release = await orUndefined(
    () => client.flexApi.v1.pluginReleases('Active').fetch(),
    'active Flex plugin release',
  );
  if (!release) return undefined;
  return releasedPlugin(client, name, release.sid, release.configurationSid);
}

async function releasedPlugin(
  client: Twilio,
  name: string,
  releaseSid: string,
  configurationSid: string,
): Promise<ReleasedPlugin> {
  const configured = (
    await call(
      () => client.flexApi.v1.pluginConfigurations(configurationSid).plugins.list({ limit: 1000 }),
      'Flex plugin configuration',
    )
  ).find((candidate) => candidate.uniqueName === name);
  return {
    releaseSid,
    configurationSid,
    version: configured?.version,
    pluginUrl: configured?.pluginUrl,
    sha256: checksumOfChangelog(configured?.changelog),
  };
}

/**
 * Hosts the bundle as the Plugins CLI does and returns its URL,
 * `https://<environment domain>/plugins/<name>/<version>/bundle.js`.
 */
async function hostBundle(input: PluginPlanInput): Promise<string> {
  const { client, bundle } = input;
  const serverless = client.serverless.v1;
  const flexConfig = await orUndefined(() => client.flexApi.v1.configuration().fetch(), 'Flex configuration');
  const registered = flexConfig?.serverlessServiceSids?.[0];
  const service =
    (registered
      ? await orUndefined(() => serverless.services(registered).fetch(), 'Serverless service')
      : undefined) ??
    (await orUndefined(
      () => serverless.services(PLUGINS_SERVICE_UNIQUE_NAME).fetch(),
      'Serverless service',
    )) ??
    (await call(
      () =>
        serverless.services.create({
          uniqueName: PLUGINS_SERVICE_UNIQUE_NAME,
          friendlyName: PLUGINS_SERVICE_FRIENDLY_NAME,
        }),
      'Serverless service',
    ));
  const svc = serverless.services(service.sid);
  const environments = await call(() => svc.environments.list({ limit: 1000 }), 'Serverless environments');
  const environment =
    environments.find((candidate) => candidate.uniqueName === bundle.name) ??
    (await call(
      () =>
        svc.environments.create({
          uniqueName: bundle.name,
          domainSuffix: freeSuffix(environments.map((candidate) => candidate.domainSuffix)),
        }),
      'Serverless environment',
    ));
  const current = environment.buildSid
    ? await call(() => svc.builds(environment.buildSid).fetch(), 'Serverless build')
    : undefined;
  const path = `/plugins/${bundle.name}/${bundle.version}/bundle.js`;

  const asset = await call(() => svc.assets.create({ friendlyName: bundle.name }), 'Serverless asset');
  const assetVersionSid = await uploadAssetVersion(input, service.sid, asset.sid, path);

  const kept = ((current?.assetVersions ?? []) as { sid?: unknown; path?: unknown }[])
    .filter((version) => version.path !== path && typeof version.sid === 'string')
    .map((version) => String(version.sid));
  const functions = ((current?.functionVersions ?? []) as { sid?: unknown }[])
    .filter((version) => typeof version.sid === 'string')
    .map((version) => String(version.sid));
  const dependencies = (current?.dependencies ?? []) as unknown[];
  const created = await call(
    () =>
      svc.builds.create({
        assetVersions: [...kept, assetVersionSid],
        ...(functions.length ? { functionVersions: functions } : {}),
        ...(dependencies.length ? { dependencies: JSON.stringify(dependencies) } : {}),
        runtime: current?.runtime ?? 'node22',
      }),
    'Serverless build',
  );
  const started = Date.now();
  let status = created.status;
  while (status !== 'completed') {
    if (status === 'failed') {
      throw new ProvisionError(
        'TWILIO_API',
        `the Serverless build ${created.sid} failed; nothing was released`,
      );
    }
    if (Date.now() - started > BUILD_TIMEOUT_MS) {
      throw new ProvisionError(
        'TWILIO_API',
        `the Serverless build ${created.sid} did not complete within ${BUILD_TIMEOUT_MS / 1000} s; run provisioning again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, BUILD_POLL_MS));
    status = (await call(() => svc.builds(created.sid).fetch(), 'Serverless build')).status;
  }
  await call(
    () => svc.environments(environment.sid).deployments.create({ buildSid: created.sid, isPlugin: true }),
    'Serverless deployment',
  );
  return `https://${environment.domainName}${path}`;
}

/**
 * An asset version is uploaded as multipart to `serverless-upload.twilio.com` (twilio-node has no
 * call for it): `Path`, `Visibility` (`protected`, the Plugins CLI's default: Flex loads private
 * plugins itself) and `Content`, the bundle's bytes as they are.
 *
 * @see https://www.twilio.com/docs/serverless/api/resource/asset-version#create-an-asset-version-resource
 */
async function uploadAssetVersion(
  input: PluginPlanInput,
  serviceSid: string,
  assetSid: string,
  path: string,
): Promise<string> {
  const { accountSid, authToken, apiBaseUrl } = input.credentials;
  const publicUrl = `https://serverless-upload.twilio.com/v1/Services/${serviceSid}/Assets/${assetSid}/Versions`;
  const url =
    apiBaseUrl && !/^https:\/\/([a-z0-9-]+\.)*twilio\.com\/?$/i.test(apiBaseUrl)
      ? rewriteTwilioUrl(publicUrl, apiBaseUrl)
      : publicUrl;
  const form = new FormData();
  form.append('Path', path);
  form.append('Visibility', 'protected');
  form.append(
    'Content',
    new Blob([new Uint8Array(input.bundle.bytes)], { type: 'application/javascript' }),
    'bundle.js',
  );
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
    });
  } catch (error) {
    throw twilioError(error, 'Serverless asset upload');
  }
  const body = (await response.json().catch(() => ({}))) as {
    sid?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (!response.ok || typeof body.sid !== 'string') {
    const failure = Object.assign(new Error(String(body.message ?? response.statusText)), {
      status: response.status,
      code: typeof body.code === 'number' ? body.code : undefined,
    });
    throw twilioError(failure, 'Serverless asset upload');
  }
  return body.sid;
}

/** A random 5-character domain suffix no other environment of the service uses (as the CLI picks). */
function freeSuffix(taken: (string | null | undefined)[]): string {
  for (;;) {
    const suffix = randomBytes(8)
      .toString('base64')
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .slice(0, 5);
    if (suffix.length === 5 && !taken.includes(suffix)) return suffix;
  }
}
