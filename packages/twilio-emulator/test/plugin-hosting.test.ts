import { createHash } from 'node:crypto';
import { rewriteTwilioUrl, twilioClientOptions } from '@flexcord/twilio-client';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedRuntimeUrl, startTwilioEmulator, type TwilioEmulator } from '../src/index.ts';

type Twilio = ReturnType<typeof twilio>;

let emulator: TwilioEmulator;
let client: Twilio;
let basic: string;

beforeAll(async () => {
  emulator = await startTwilioEmulator();
  client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
  basic = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
});

afterAll(async () => {
  await emulator?.stop();
});

async function restError(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

/** The multipart upload the Plugins CLI sends to serverless-upload.twilio.com. */
async function uploadVersion(
  serviceSid: string,
  assetSid: string,
  parts: { path?: string; visibility?: string; content?: Uint8Array; type?: string },
) {
  const form = new FormData();
  if (parts.path !== undefined) form.append('Path', parts.path);
  if (parts.visibility !== undefined) form.append('Visibility', parts.visibility);
  if (parts.content) {
    form.append(
      'Content',
      new Blob([parts.content], { type: parts.type ?? 'application/javascript' }),
      'bundle.js',
    );
  }
  const url = rewriteTwilioUrl(
    `https://serverless-upload.twilio.com/v1/Services/${serviceSid}/Assets/${assetSid}/Versions`,
    emulator.url,
  );
  const response = await fetch(url, { method: 'POST', body: form, headers: { Authorization: basic } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Serverless hosting of a plugin bundle, as the Plugins CLI deploys it', () => {
  it('serves the uploaded bytes at the environment domain once a build is deployed', async () => {
    const serverless = client.serverless.v1;
    const service = await serverless.services.create({
      uniqueName: 'default',
      friendlyName: 'Flex Plugins Default Service',
    });
    expect(service.sid).toMatch(/^ZS[0-9a-f]{32}$/);
    expect((await serverless.services('default').fetch()).sid).toBe(service.sid);
    expect(
      (await restError(serverless.services.create({ uniqueName: 'default', friendlyName: 'x' }))).status,
    ).toBe(409);

    const environment = await serverless.services(service.sid).environments.create({
      uniqueName: 'plugin-flexcord',
      domainSuffix: 'a1b2c',
    });
    expect(environment.domainName).toMatch(/^default-\d{4}-a1b2c\.twil\.io$/);
    expect(environment.buildSid).toBeNull();

    const asset = await serverless.services(service.sid).assets.create({ friendlyName: 'plugin-flexcord' });
    expect(asset.sid).toMatch(/^ZH/);
    const bytes = new TextEncoder().encode('(() => { window.loaded = "¡hola! 🎉"; })();');
    const uploaded = await uploadVersion(service.sid, asset.sid, {
      path: '/plugins/plugin-flexcord/0.1.0/bundle.js',
      visibility: 'Protected',
      content: bytes,
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      asset_sid: asset.sid,
      path: '/plugins/plugin-flexcord/0.1.0/bundle.js',
      visibility: 'protected',
    });
    const versionSid = String(uploaded.body.sid);
    const listed = await serverless.services(service.sid).assets(asset.sid).assetVersions.list();
    expect(listed.map((v) => v.sid)).toEqual([versionSid]);

    const build = await serverless.services(service.sid).builds.create({
      assetVersions: [versionSid],
      runtime: 'node18',
    });
    expect(build.status).toBe('building');
    // Deploying before the build completes is refused; clients poll the build first.
    expect(
      (
        await restError(
          serverless
            .services(service.sid)
            .environments(environment.sid)
            .deployments.create({ buildSid: build.sid }),
        )
      ).status,
    ).toBe(400);
    let status = build.status;
    for (let i = 0; i < 5 && status !== 'completed'; i++) {
      status = (await serverless.services(service.sid).builds(build.sid).fetch()).status;
    }
    expect(status).toBe('completed');
    const deployment = await serverless
      .services(service.sid)
      .environments(environment.sid)
      .deployments.create({ buildSid: build.sid, isPlugin: true });
    expect(deployment.buildSid).toBe(build.sid);
    expect((await serverless.services(service.sid).environments(environment.sid).fetch()).buildSid).toBe(
      build.sid,
    );

    const url = `https://${environment.domainName}/plugins/plugin-flexcord/0.1.0/bundle.js`;
    const anonymous = await fetch(emulatedRuntimeUrl(emulator.url, url));
    expect(anonymous.status).toBe(403);
    const served = await fetch(emulatedRuntimeUrl(emulator.url, url), { headers: { Authorization: basic } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('javascript');
    const body = Buffer.from(await served.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    expect(
      (await fetch(emulatedRuntimeUrl(emulator.url, `https://${environment.domainName}/nope.js`))).status,
    ).toBe(404);
  });

  it('refuses an upload without a path, a visibility or content', async () => {
    const service = await client.serverless.v1.services.create({
      uniqueName: 'other',
      friendlyName: 'Other',
    });
    const asset = await client.serverless.v1.services(service.sid).assets.create({ friendlyName: 'x' });
    const content = new Uint8Array([1]);
    expect((await uploadVersion(service.sid, asset.sid, { visibility: 'public', content })).status).toBe(400);
    expect(
      (await uploadVersion(service.sid, asset.sid, { path: 'no-slash', visibility: 'public', content }))
        .status,
    ).toBe(400);
    expect(
      (await uploadVersion(service.sid, asset.sid, { path: '/x', visibility: 'secret', content })).status,
    ).toBe(400);
    const missing = await uploadVersion(service.sid, asset.sid, { path: '/x', visibility: 'public' });
    expect(missing).toMatchObject({ status: 400, body: { code: 20001 } });
  });
});

describe('Flex Plugins API: plugin, version, configuration, release', () => {
  it('releases a configuration and reads it back as the active one', async () => {
    const api = client.flexApi.v1;
    const plugin = await api.plugins.create({ uniqueName: 'plugin-sample', friendlyName: 'Sample' });
    expect(plugin.sid).toMatch(/^FP[0-9a-f]{32}$/);
    expect((await api.plugins('plugin-sample').fetch()).sid).toBe(plugin.sid);
    expect((await restError(api.plugins('plugin-missing').fetch())).status).toBe(404);

    const v1 = await api.plugins(plugin.sid).pluginVersions.create({
      versionParam: '1.0.0',
      pluginUrl: 'https://default-1234-dev.twil.io/plugins/plugin-sample/1.0.0/bundle.js',
      changelog: 'first',
      private: true,
    });
    expect(v1).toMatchObject({ version: '1.0.0', pluginSid: plugin.sid, _private: true, changelog: 'first' });
    const v2 = await api.plugins(plugin.sid).pluginVersions.create({
      versionParam: '1.1.0-sha.abc',
      pluginUrl: 'https://default-1234-dev.twil.io/plugins/plugin-sample/1.1.0-sha.abc/bundle.js',
    });
    expect((await api.plugins(plugin.sid).pluginVersions.list()).map((v) => v.version)).toEqual([
      '1.1.0-sha.abc',
      '1.0.0',
    ]);
    const duplicate = await restError(
      api
        .plugins(plugin.sid)
        .pluginVersions.create({ versionParam: '1.0.0', pluginUrl: 'https://x.twil.io/a.js' }),
    );
    expect(duplicate.status).toBe(409);
    expect(
      (
        await restError(
          api
            .plugins(plugin.sid)
            .pluginVersions.create({ versionParam: 'one', pluginUrl: 'https://x.twil.io/a.js' }),
        )
      ).status,
    ).toBe(400);

    expect((await restError(api.pluginReleases('Active').fetch())).status).toBe(404);
    const first = await api.pluginConfigurations.create({
      name: 'first',
      plugins: [{ plugin_version: v1.sid, phase: 3 }],
    });
    expect(first.sid).toMatch(/^FJ/);
    const second = await api.pluginConfigurations.create({
      name: 'second',
      plugins: [{ plugin_version: v2.sid, phase: 3 }],
    });
    const configured = await api.pluginConfigurations(second.sid).plugins.list();
    expect(configured).toHaveLength(1);
    expect(configured[0]).toMatchObject({
      pluginVersionSid: v2.sid,
      version: '1.1.0-sha.abc',
      uniqueName: 'plugin-sample',
    });
    expect(configured[0]?.pluginUrl).toContain('/1.1.0-sha.abc/bundle.js');

    await api.pluginReleases.create({ configurationId: first.sid });
    const release = await api.pluginReleases.create({ configurationId: second.sid });
    expect(release.sid).toMatch(/^FK/);
    expect((await api.pluginReleases('Active').fetch()).configurationSid).toBe(second.sid);
    expect((await api.pluginReleases.list())[0]?.sid).toBe(release.sid);
    expect(
      (await restError(api.pluginReleases.create({ configurationId: 'FJ00000000000000000000000000000000' })))
        .status,
    ).toBe(400);
    expect(
      (
        await restError(
          api.pluginConfigurations.create({ name: 'bad', plugins: [{ plugin_version: 'FVnope' }] }),
        )
      ).status,
    ).toBe(400);
  });
});

describe("the Plugins CLI's release of a version someone else deployed", () => {
  /** A call the way `@twilio/flex-plugins-api-client` makes it: form-encoded, plugin and version by name. */
  async function cliCall(method: 'GET' | 'POST', path: string, form?: URLSearchParams) {
    const url = rewriteTwilioUrl(`https://flex-api.twilio.com/v1/PluginService${path}`, emulator.url);
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: basic,
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('finds the version by its version string, as `twilio flex:plugins:release --plugin name@version` does', async () => {
    const api = client.flexApi.v1;
    const plugin = await api.plugins.create({
      uniqueName: 'plugin-cli-release',
      friendlyName: 'Flexcord · Ñandú 🚀',
    });
    const version = await api.plugins(plugin.sid).pluginVersions.create({
      versionParam: '0.1.0-sha-3f2a9c1b0d4e',
      pluginUrl: `https://default-1234-dev.twil.io/plugins/${plugin.uniqueName}/0.1.0-sha-3f2a9c1b0d4e/bundle.js`,
    });

    // createConfiguration: the plugin by unique name, then its version by version string.
    expect((await cliCall('GET', `/Plugins/${plugin.uniqueName}`)).body.sid).toBe(plugin.sid);
    const byName = await cliCall('GET', `/Plugins/${plugin.uniqueName}/Versions/0.1.0-sha-3f2a9c1b0d4e`);
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ sid: version.sid, version: '0.1.0-sha-3f2a9c1b0d4e' });
    expect((await cliCall('GET', `/Plugins/${plugin.uniqueName}/Versions/9.9.9`)).status).toBe(404);

    const configuration = await cliCall(
      'POST',
      '/Configurations',
      new URLSearchParams([
        ['Name', 'Flexcord 0.1.0'],
        ['Plugins', JSON.stringify({ plugin_version: byName.body.sid, phase: 3 })],
      ]),
    );
    expect(configuration.status).toBe(201);
    const release = await cliCall(
      'POST',
      '/Releases',
      new URLSearchParams([['ConfigurationId', String(configuration.body.sid)]]),
    );
    expect(release.status).toBe(201);
    const active = await cliCall('GET', '/Releases/Active');
    expect(active.body.configuration_sid).toBe(configuration.body.sid);
  });
});

describe('Conversations account reads', () => {
  it("names the emulator's service as the account's default, and finds it by SID only", async () => {
    const configuration = await client.conversations.v1.configuration().fetch();
    expect(configuration.defaultChatServiceSid).toBe(emulator.conversationsServiceSid);
    const service = await client.conversations.v1.services(emulator.conversationsServiceSid).fetch();
    expect(service.sid).toBe(emulator.conversationsServiceSid);
    expect((await client.conversations.v1.services.list()).map((s) => s.sid)).toEqual([
      emulator.conversationsServiceSid,
    ]);
    expect(
      (await restError(client.conversations.v1.services('IS00000000000000000000000000000000').fetch()))
        .status,
    ).toBe(404);
    // The service's conversations are still the Conversations routes' own.
    const conversation = await client.conversations.v1
      .services(emulator.conversationsServiceSid)
      .conversations.create({ friendlyName: 'Pat ✨' });
    expect(conversation.chatServiceSid).toBe(emulator.conversationsServiceSid);
  });
});
