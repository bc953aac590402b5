import { randomBytes } from 'node:crypto';
import { type Request, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { invalidParameter, notFound, TwilioApiError } from './errors.ts';
import { paramsOf } from './http.ts';
import { pageOf } from './paging.ts';

/**
 * The Flex Plugins API v1 (`flex-api.twilio.com/v1/PluginService`): a Plugin (FP) has Versions (FV)
 * that each point at a hosted bundle (`plugin_url`); a Configuration (FJ) is a set of plugin
 * versions; a Release (FK) makes a configuration the one Flex loads. The newest release is the
 * active one (`Releases/Active`). Lists come newest first, as the Plugins CLI reads them
 * (`latest()` is the first item).
 *
 * @see https://www.twilio.com/docs/flex/developer/plugins/api
 * @see https://www.twilio.com/docs/flex/developer/plugins/api/release-guide
 * @see https://github.com/twilio/flex-plugin-builder/tree/main/packages/flex-plugins-api-client/src/clients
 */
const PUBLIC_BASE = 'https://flex-api.twilio.com/v1/PluginService';

function pluginSid(prefix: 'FP' | 'FV' | 'FJ' | 'FK'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

interface PluginRecord {
  sid: string;
  unique_name: string;
  friendly_name: string;
  description: string;
  archived: boolean;
  date_created: string;
  date_updated: string;
  seq: number;
}

interface PluginVersionRecord {
  sid: string;
  plugin_sid: string;
  version: string;
  plugin_url: string;
  changelog: string;
  private: boolean;
  archived: boolean;
  validated: boolean;
  date_created: string;
  seq: number;
}

interface ConfiguredPluginRecord {
  plugin_version_sid: string;
  phase: number;
}

interface ConfigurationRecord {
  sid: string;
  name: string;
  description: string;
  archived: boolean;
  plugins: ConfiguredPluginRecord[];
  date_created: string;
  seq: number;
}

interface ReleaseRecord {
  sid: string;
  configuration_sid: string;
  date_created: string;
  seq: number;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class FlexPluginService {
  readonly plugins = new Map<string, PluginRecord>();
  readonly versions = new Map<string, PluginVersionRecord>();
  readonly configurations = new Map<string, ConfigurationRecord>();
  readonly releases = new Map<string, ReleaseRecord>();
  private seq = 0;

  constructor(private readonly ctx: EmulatorContext) {}

  private now(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }

  /** A plugin by SID or unique name (the API takes either in the path). */
  plugin(id: string): PluginRecord {
    const found =
      this.plugins.get(id) ?? [...this.plugins.values()].find((plugin) => plugin.unique_name === id);
    if (!found) throw notFound(`/v1/PluginService/Plugins/${id}`);
    return found;
  }

  createPlugin(uniqueName: string, friendlyName: string | undefined, description: string | undefined) {
    if (uniqueName.length > 255) throw invalidParameter('UniqueName must be at most 255 characters');
    if ([...this.plugins.values()].some((plugin) => plugin.unique_name === uniqueName)) {
      throw new TwilioApiError(409, 20409, `Plugin with UniqueName ${uniqueName} already exists`);
    }
    const now = this.now();
    const plugin: PluginRecord = {
      sid: pluginSid('FP'),
      unique_name: uniqueName,
      friendly_name: friendlyName ?? uniqueName,
      description: description ?? '',
      archived: false,
      date_created: now,
      date_updated: now,
      seq: ++this.seq,
    };
    this.plugins.set(plugin.sid, plugin);
    return plugin;
  }

  createVersion(
    pluginId: string,
    input: {
      version: string;
      pluginUrl: string;
      changelog: string | undefined;
      isPrivate: boolean | undefined;
    },
  ): PluginVersionRecord {
    const plugin = this.plugin(pluginId);
    if (plugin.archived) throw invalidParameter(`Plugin ${plugin.unique_name} is archived`);
    if (!SEMVER.test(input.version)) throw invalidParameter(`Version ${input.version} is not a valid semver`);
    let url: URL;
    try {
      url = new URL(input.pluginUrl);
    } catch {
      throw invalidParameter(`PluginUrl ${input.pluginUrl} is not a valid URL`);
    }
    if (url.protocol !== 'https:') throw invalidParameter('PluginUrl must be an https URL');
    if (this.versionsOf(plugin.sid).some((version) => version.version === input.version)) {
      throw new TwilioApiError(
        409,
        20409,
        `Plugin ${plugin.unique_name} already has a version ${input.version}: versions cannot be changed, create a new one`,
      );
    }
    const version: PluginVersionRecord = {
      sid: pluginSid('FV'),
      plugin_sid: plugin.sid,
      version: input.version,
      plugin_url: input.pluginUrl,
      changelog: input.changelog ?? '',
      private: input.isPrivate ?? true,
      archived: false,
      validated: false,
      date_created: this.now(),
      seq: ++this.seq,
    };
    this.versions.set(version.sid, version);
    return version;
  }

  /** A plugin's versions, newest first. */
  versionsOf(pluginSid: string): PluginVersionRecord[] {
    return newestFirst([...this.versions.values()].filter((version) => version.plugin_sid === pluginSid));
  }

  /** A plugin's version by SID or by its version string (the Plugins CLI asks for `name@1.2.3`). */
  version(pluginId: string, sid: string): PluginVersionRecord {
    const plugin = this.plugin(pluginId);
    const found =
      this.versions.get(sid) ?? this.versionsOf(plugin.sid).find((version) => version.version === sid);
    if (!found || found.plugin_sid !== plugin.sid) {
      throw notFound(`/v1/PluginService/Plugins/${pluginId}/Versions/${sid}`);
    }
    return found;
  }

  /** `Plugins` is a list of JSON objects `{"plugin_version": "FV…", "phase": 3}`, one per plugin. */
  createConfiguration(
    name: string,
    plugins: unknown[],
    description: string | undefined,
  ): ConfigurationRecord {
    const configured: ConfiguredPluginRecord[] = [];
    const seen = new Set<string>();
    for (const entry of plugins) {
      const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      const sid = item.plugin_version;
      if (typeof sid !== 'string') throw invalidParameter('Plugins: each entry needs a plugin_version');
      const version = this.versions.get(sid);
      if (!version) throw invalidParameter(`Plugins: plugin version ${sid} was not found`);
      if (version.archived) throw invalidParameter(`Plugins: plugin version ${sid} is archived`);
      if (seen.has(version.plugin_sid)) {
        throw invalidParameter('Plugins: a configuration holds one version of each plugin');
      }
      seen.add(version.plugin_sid);
      const phase = typeof item.phase === 'number' ? item.phase : 3;
      configured.push({ plugin_version_sid: sid, phase });
    }
    const configuration: ConfigurationRecord = {
      sid: pluginSid('FJ'),
      name,
      description: description ?? '',
      archived: false,
      plugins: configured,
      date_created: this.now(),
      seq: ++this.seq,
    };
    this.configurations.set(configuration.sid, configuration);
    return configuration;
  }

  configuration(sid: string): ConfigurationRecord {
    const found = this.configurations.get(sid);
    if (!found) throw notFound(`/v1/PluginService/Configurations/${sid}`);
    return found;
  }

  createRelease(configurationId: string): ReleaseRecord {
    const configuration = this.configurations.get(configurationId);
    if (!configuration)
      throw invalidParameter(`ConfigurationId: configuration ${configurationId} was not found`);
    if (configuration.archived) throw invalidParameter(`Configuration ${configurationId} is archived`);
    const release: ReleaseRecord = {
      sid: pluginSid('FK'),
      configuration_sid: configuration.sid,
      date_created: this.now(),
      seq: ++this.seq,
    };
    this.releases.set(release.sid, release);
    return release;
  }

  /** The active release: the newest one. */
  activeRelease(): ReleaseRecord | undefined {
    return newestFirst([...this.releases.values()])[0];
  }

  // Wire shapes, field names as twilio-node's generated instances read them.

  pluginJson(plugin: PluginRecord) {
    const { seq: _seq, ...rest } = plugin;
    const url = `${PUBLIC_BASE}/Plugins/${plugin.sid}`;
    return { ...rest, account_sid: this.ctx.accountSid, url, links: { plugin_versions: `${url}/Versions` } };
  }

  versionJson(version: PluginVersionRecord) {
    const { seq: _seq, ...rest } = version;
    return {
      ...rest,
      account_sid: this.ctx.accountSid,
      url: `${PUBLIC_BASE}/Plugins/${version.plugin_sid}/Versions/${version.sid}`,
    };
  }

  configurationJson(configuration: ConfigurationRecord) {
    const { seq: _seq, plugins: _plugins, ...rest } = configuration;
    const url = `${PUBLIC_BASE}/Configurations/${configuration.sid}`;
    return { ...rest, account_sid: this.ctx.accountSid, url, links: { plugins: `${url}/Plugins` } };
  }

  configuredPluginsJson(configuration: ConfigurationRecord) {
    return configuration.plugins.flatMap(({ plugin_version_sid, phase }) => {
      const version = this.versions.get(plugin_version_sid);
      const plugin = version ? this.plugins.get(version.plugin_sid) : undefined;
      if (!version || !plugin) return [];
      return [
        {
          account_sid: this.ctx.accountSid,
          configuration_sid: configuration.sid,
          plugin_sid: plugin.sid,
          plugin_version_sid: version.sid,
          phase,
          plugin_url: version.plugin_url,
          unique_name: plugin.unique_name,
          friendly_name: plugin.friendly_name,
          description: plugin.description,
          plugin_archived: plugin.archived,
          version: version.version,
          changelog: version.changelog,
          plugin_version_archived: version.archived,
          private: version.private,
          date_created: configuration.date_created,
          url: `${PUBLIC_BASE}/Configurations/${configuration.sid}/Plugins/${plugin.sid}`,
        },
      ];
    });
  }

  releaseJson(release: ReleaseRecord) {
    const { seq: _seq, ...rest } = release;
    return { ...rest, account_sid: this.ctx.accountSid, url: `${PUBLIC_BASE}/Releases/${release.sid}` };
  }
}

function newestFirst<T extends { seq: number }>(items: T[]): T[] {
  return items.sort((a, b) => b.seq - a.seq);
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** Routes relative to `/flex-api/v1/PluginService`. */
export function flexPluginsRouter(service: FlexPluginService, ctx: EmulatorContext): Router {
  const router = Router();
  const base = () => ctx.baseUrl();

  router.get('/Plugins', (req, res) => {
    const items = newestFirst([...service.plugins.values()]).map((plugin) => service.pluginJson(plugin));
    res.json(pageOf(req, items, 'plugins', base()));
  });
  router.post('/Plugins', (req, res) => {
    const params = paramsOf(req);
    const created = service.createPlugin(
      params.required('UniqueName'),
      params.get('FriendlyName'),
      params.get('Description'),
    );
    res.status(201).json(service.pluginJson(created));
  });
  router.get('/Plugins/:plugin', (req, res) => {
    res.json(service.pluginJson(service.plugin(param(req, 'plugin'))));
  });
  router.post('/Plugins/:plugin', (req, res) => {
    const plugin = service.plugin(param(req, 'plugin'));
    const params = paramsOf(req);
    plugin.friendly_name = params.get('FriendlyName') ?? plugin.friendly_name;
    plugin.description = params.get('Description') ?? plugin.description;
    plugin.date_updated = new Date(ctx.clock.now()).toISOString();
    res.json(service.pluginJson(plugin));
  });
  router.get('/Plugins/:plugin/Versions', (req, res) => {
    const plugin = service.plugin(param(req, 'plugin'));
    const items = service.versionsOf(plugin.sid).map((version) => service.versionJson(version));
    res.json(pageOf(req, items, 'plugin_versions', base()));
  });
  router.post('/Plugins/:plugin/Versions', (req, res) => {
    const params = paramsOf(req);
    const created = service.createVersion(param(req, 'plugin'), {
      version: params.required('Version'),
      pluginUrl: params.required('PluginUrl'),
      changelog: params.get('Changelog'),
      isPrivate: params.bool('Private'),
    });
    res.status(201).json(service.versionJson(created));
  });
  router.get('/Plugins/:plugin/Versions/:version', (req, res) => {
    res.json(service.versionJson(service.version(param(req, 'plugin'), param(req, 'version'))));
  });

  router.get('/Configurations', (req, res) => {
    const items = newestFirst([...service.configurations.values()]).map((c) => service.configurationJson(c));
    res.json(pageOf(req, items, 'configurations', base()));
  });
  router.post('/Configurations', (req, res) => {
    const params = paramsOf(req);
    const plugins = params.all('Plugins').map((value) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw invalidParameter('Plugins: each entry is a JSON object');
      }
    });
    const created = service.createConfiguration(params.required('Name'), plugins, params.get('Description'));
    res.status(201).json(service.configurationJson(created));
  });
  router.get('/Configurations/:configuration', (req, res) => {
    res.json(service.configurationJson(service.configuration(param(req, 'configuration'))));
  });
  router.get('/Configurations/:configuration/Plugins', (req, res) => {
    const configuration = service.configuration(param(req, 'configuration'));
    res.json(pageOf(req, service.configuredPluginsJson(configuration), 'plugins', base()));
  });
  router.get('/Configurations/:configuration/Plugins/:plugin', (req, res) => {
    const configuration = service.configuration(param(req, 'configuration'));
    const found = service
      .configuredPluginsJson(configuration)
      .find((item) => item.plugin_sid === param(req, 'plugin') || item.unique_name === param(req, 'plugin'));
    if (!found) throw notFound(req.originalUrl);
    res.json(found);
  });

  router.get('/Releases', (req, res) => {
    const items = newestFirst([...service.releases.values()]).map((release) => service.releaseJson(release));
    res.json(pageOf(req, items, 'releases', base()));
  });
  router.post('/Releases', (req, res) => {
    const created = service.createRelease(paramsOf(req).required('ConfigurationId'));
    res.status(201).json(service.releaseJson(created));
  });
  router.get('/Releases/:release', (req, res) => {
    const id = param(req, 'release');
    const release = id === 'Active' ? service.activeRelease() : service.releases.get(id);
    if (!release) throw notFound(req.originalUrl);
    res.json(service.releaseJson(release));
  });
  return router;
}
