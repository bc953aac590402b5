import { randomBytes } from 'node:crypto';
import { type Request, type RequestHandler, Router } from 'express';
import type { EmulatorContext } from './context.ts';
import { invalidParameter, notFound, TwilioApiError } from './errors.ts';
import { bodyBuffer, paramsOf } from './http.ts';
import { pageOf } from './paging.ts';

/**
 * Twilio Serverless (Functions and Assets) v1, the part Flex's Plugins CLI uses to host a plugin
 * bundle: a Service (the CLI's is unique name `default`), an Environment per plugin (its
 * `domain_name` is where assets are served), Assets whose Versions carry the bytes (uploaded as
 * multipart to `serverless-upload.twilio.com`), a Build listing the asset versions, and a
 * Deployment that points the environment at the build.
 *
 * @see https://www.twilio.com/docs/serverless/api/resource/service
 * @see https://www.twilio.com/docs/serverless/api/resource/asset-version
 * @see https://www.twilio.com/docs/serverless/api/resource/build
 * @see https://github.com/twilio/flex-plugin-builder/blob/main/packages/flex-plugin-scripts/src/scripts/deploy.ts
 */
const PUBLIC_BASE = 'https://serverless.twilio.com/v1';

type ServerlessPrefix = 'ZS' | 'ZE' | 'ZH' | 'ZN' | 'ZB' | 'ZD';

function serverlessSid(prefix: ServerlessPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

interface ServiceRecord {
  sid: string;
  unique_name: string;
  friendly_name: string;
  include_credentials: boolean;
  ui_editable: boolean;
  domain_base: string;
  date_created: string;
  date_updated: string;
}

interface EnvironmentRecord {
  sid: string;
  service_sid: string;
  unique_name: string;
  domain_suffix: string | null;
  domain_name: string;
  build_sid: string | null;
  date_created: string;
  date_updated: string;
}

interface AssetRecord {
  sid: string;
  service_sid: string;
  friendly_name: string;
  date_created: string;
  date_updated: string;
}

/** Asset versions are immutable: each upload is a new one. */
interface AssetVersionRecord {
  sid: string;
  service_sid: string;
  asset_sid: string;
  path: string;
  visibility: 'public' | 'protected' | 'private';
  date_created: string;
  content: Buffer;
  content_type: string;
}

interface BuildRecord {
  sid: string;
  service_sid: string;
  asset_versions: string[];
  function_versions: string[];
  dependencies: unknown[];
  runtime: string;
  status: 'building' | 'completed' | 'failed';
  reads: number;
  date_created: string;
  date_updated: string;
}

interface DeploymentRecord {
  sid: string;
  service_sid: string;
  environment_sid: string;
  build_sid: string;
  date_created: string;
  date_updated: string;
}

/** What a deployed asset path serves, with its visibility. */
export interface ServedAsset {
  content: Buffer;
  contentType: string;
  visibility: AssetVersionRecord['visibility'];
}

const UNIQUE_NAME = /^[A-Za-z0-9-]{1,50}$/;
const DOMAIN_SUFFIX = /^[A-Za-z0-9-]{1,16}$/;
const VISIBILITIES = ['public', 'protected', 'private'] as const;

export class ServerlessService {
  readonly services = new Map<string, ServiceRecord>();
  readonly environments = new Map<string, EnvironmentRecord>();
  readonly assets = new Map<string, AssetRecord>();
  readonly assetVersions = new Map<string, AssetVersionRecord>();
  readonly builds = new Map<string, BuildRecord>();
  readonly deployments = new Map<string, DeploymentRecord>();

  constructor(private readonly ctx: EmulatorContext) {}

  private now(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }

  service(id: string): ServiceRecord {
    const found =
      this.services.get(id) ?? [...this.services.values()].find((service) => service.unique_name === id);
    if (!found) throw notFound(`/v1/Services/${id}`);
    return found;
  }

  createService(uniqueName: string, friendlyName: string, includeCredentials: boolean, uiEditable: boolean) {
    if (!UNIQUE_NAME.test(uniqueName)) {
      throw invalidParameter('UniqueName must be 1 to 50 letters, digits or dashes');
    }
    if ([...this.services.values()].some((service) => service.unique_name === uniqueName)) {
      throw new TwilioApiError(409, 20409, `Service with UniqueName ${uniqueName} already exists`);
    }
    const now = this.now();
    const service: ServiceRecord = {
      sid: serverlessSid('ZS'),
      unique_name: uniqueName,
      friendly_name: friendlyName,
      include_credentials: includeCredentials,
      ui_editable: uiEditable,
      // Twilio appends four digits to the unique name to make the service's domain base.
      domain_base: `${uniqueName}-${String(1000 + (randomBytes(2).readUInt16BE() % 9000))}`,
      date_created: now,
      date_updated: now,
    };
    this.services.set(service.sid, service);
    return service;
  }

  createEnvironment(serviceSid: string, uniqueName: string, domainSuffix: string | undefined) {
    const service = this.service(serviceSid);
    if (!uniqueName || uniqueName.length > 100)
      throw invalidParameter('UniqueName must be 1 to 100 characters');
    if (domainSuffix !== undefined && !DOMAIN_SUFFIX.test(domainSuffix)) {
      throw invalidParameter('DomainSuffix must be up to 16 letters, digits or dashes');
    }
    const siblings = [...this.environments.values()].filter((env) => env.service_sid === service.sid);
    if (siblings.some((env) => env.unique_name === uniqueName)) {
      throw new TwilioApiError(409, 20409, `Environment with UniqueName ${uniqueName} already exists`);
    }
    if (siblings.some((env) => env.domain_suffix === (domainSuffix ?? null))) {
      throw new TwilioApiError(
        409,
        20409,
        `Environment with DomainSuffix ${domainSuffix ?? ''} already exists`,
      );
    }
    const now = this.now();
    const environment: EnvironmentRecord = {
      sid: serverlessSid('ZE'),
      service_sid: service.sid,
      unique_name: uniqueName,
      domain_suffix: domainSuffix ?? null,
      domain_name: `${service.domain_base}${domainSuffix ? `-${domainSuffix}` : ''}.twil.io`,
      build_sid: null,
      date_created: now,
      date_updated: now,
    };
    this.environments.set(environment.sid, environment);
    return environment;
  }

  environment(serviceSid: string, sid: string): EnvironmentRecord {
    const service = this.service(serviceSid);
    const found = this.environments.get(sid);
    if (!found || found.service_sid !== service.sid) {
      throw notFound(`/v1/Services/${serviceSid}/Environments/${sid}`);
    }
    return found;
  }

  createAsset(serviceSid: string, friendlyName: string): AssetRecord {
    const service = this.service(serviceSid);
    if (!friendlyName || friendlyName.length > 255) {
      throw invalidParameter('FriendlyName must be 1 to 255 characters');
    }
    const now = this.now();
    const asset: AssetRecord = {
      sid: serverlessSid('ZH'),
      service_sid: service.sid,
      friendly_name: friendlyName,
      date_created: now,
      date_updated: now,
    };
    this.assets.set(asset.sid, asset);
    return asset;
  }

  asset(serviceSid: string, sid: string): AssetRecord {
    const service = this.service(serviceSid);
    const found = this.assets.get(sid);
    if (!found || found.service_sid !== service.sid)
      throw notFound(`/v1/Services/${serviceSid}/Assets/${sid}`);
    return found;
  }

  /** A new asset version from an upload's `Path`, `Visibility` and `Content` parts. */
  uploadAssetVersion(
    serviceSid: string,
    assetSid: string,
    upload: {
      path: string | undefined;
      visibility: string | undefined;
      content: Buffer | undefined;
      contentType: string;
    },
  ): AssetVersionRecord {
    const asset = this.asset(serviceSid, assetSid);
    if (!upload.path) throw invalidParameter('Missing required parameter Path');
    if (!upload.path.startsWith('/')) throw invalidParameter('Path must start with /');
    const visibility = (upload.visibility ?? '').toLowerCase();
    if (!VISIBILITIES.includes(visibility as AssetVersionRecord['visibility'])) {
      throw invalidParameter('Visibility must be one of public, protected or private');
    }
    if (!upload.content) throw invalidParameter('Missing required parameter Content');
    const version: AssetVersionRecord = {
      sid: serverlessSid('ZN'),
      service_sid: asset.service_sid,
      asset_sid: asset.sid,
      path: upload.path,
      visibility: visibility as AssetVersionRecord['visibility'],
      date_created: this.now(),
      content: upload.content,
      content_type: upload.contentType,
    };
    this.assetVersions.set(version.sid, version);
    return version;
  }

  createBuild(
    serviceSid: string,
    assetVersions: string[],
    functionVersions: string[],
    runtime: string | undefined,
  ) {
    const service = this.service(serviceSid);
    for (const sid of assetVersions) {
      if (this.assetVersions.get(sid)?.service_sid !== service.sid) {
        throw invalidParameter(`AssetVersions: ${sid} is not an asset version of this service`);
      }
    }
    if (functionVersions.length) throw invalidParameter('FunctionVersions: this service has no functions');
    const paths = assetVersions.map((sid) => this.assetVersions.get(sid)?.path);
    const duplicate = paths.find((path, index) => paths.indexOf(path) !== index);
    if (duplicate) throw invalidParameter(`AssetVersions: two versions share the path ${duplicate}`);
    const now = this.now();
    const build: BuildRecord = {
      sid: serverlessSid('ZB'),
      service_sid: service.sid,
      asset_versions: assetVersions,
      function_versions: functionVersions,
      dependencies: [],
      runtime: runtime ?? 'node18',
      status: 'building',
      reads: 0,
      date_created: now,
      date_updated: now,
    };
    this.builds.set(build.sid, build);
    return build;
  }

  /** A build is `building` when created and `completed` from the next read on: clients must poll. */
  build(serviceSid: string, sid: string): BuildRecord {
    const service = this.service(serviceSid);
    const found = this.builds.get(sid);
    if (!found || found.service_sid !== service.sid)
      throw notFound(`/v1/Services/${serviceSid}/Builds/${sid}`);
    if (found.status === 'building' && found.reads++ > 0) found.status = 'completed';
    return found;
  }

  createDeployment(
    serviceSid: string,
    environmentSid: string,
    buildSid: string | undefined,
  ): DeploymentRecord {
    const environment = this.environment(serviceSid, environmentSid);
    if (!buildSid) throw invalidParameter('Missing required parameter BuildSid');
    const build = this.builds.get(buildSid);
    if (!build || build.service_sid !== environment.service_sid) {
      throw invalidParameter(`BuildSid: ${buildSid} is not a build of this service`);
    }
    if (build.status !== 'completed') {
      throw invalidParameter(`Build ${buildSid} is ${build.status}: only a completed build can be deployed`);
    }
    const now = this.now();
    const deployment: DeploymentRecord = {
      sid: serverlessSid('ZD'),
      service_sid: environment.service_sid,
      environment_sid: environment.sid,
      build_sid: build.sid,
      date_created: now,
      date_updated: now,
    };
    this.deployments.set(deployment.sid, deployment);
    environment.build_sid = build.sid;
    environment.date_updated = now;
    return deployment;
  }

  /** What `https://<domain>/<path>` serves: the deployed build's asset version at that path. */
  served(domain: string, path: string): ServedAsset | undefined {
    const environment = [...this.environments.values()].find((env) => env.domain_name === domain);
    const build = environment?.build_sid ? this.builds.get(environment.build_sid) : undefined;
    const version = build?.asset_versions
      .map((sid) => this.assetVersions.get(sid))
      .find((candidate) => candidate?.path === path);
    return version
      ? { content: version.content, contentType: version.content_type, visibility: version.visibility }
      : undefined;
  }

  // Wire shapes, field names as twilio-node's generated instances read them.

  serviceJson(service: ServiceRecord) {
    const url = `${PUBLIC_BASE}/Services/${service.sid}`;
    const { domain_base, ...rest } = service;
    return {
      ...rest,
      account_sid: this.ctx.accountSid,
      domain_base,
      url,
      links: {
        environments: `${url}/Environments`,
        functions: `${url}/Functions`,
        assets: `${url}/Assets`,
        builds: `${url}/Builds`,
      },
    };
  }

  environmentJson(environment: EnvironmentRecord) {
    const url = `${PUBLIC_BASE}/Services/${environment.service_sid}/Environments/${environment.sid}`;
    return {
      ...environment,
      account_sid: this.ctx.accountSid,
      url,
      links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
    };
  }

  assetJson(asset: AssetRecord) {
    const url = `${PUBLIC_BASE}/Services/${asset.service_sid}/Assets/${asset.sid}`;
    return { ...asset, account_sid: this.ctx.accountSid, url, links: { asset_versions: `${url}/Versions` } };
  }

  assetVersionJson(version: AssetVersionRecord) {
    const { content: _content, content_type: _type, ...rest } = version;
    return {
      ...rest,
      account_sid: this.ctx.accountSid,
      url: `${PUBLIC_BASE}/Services/${version.service_sid}/Assets/${version.asset_sid}/Versions/${version.sid}`,
    };
  }

  buildJson(build: BuildRecord) {
    const { reads: _reads, ...rest } = build;
    const url = `${PUBLIC_BASE}/Services/${build.service_sid}/Builds/${build.sid}`;
    return {
      ...rest,
      account_sid: this.ctx.accountSid,
      // A build lists its asset versions as objects (the CLI reads `path` and `sid` from them).
      asset_versions: build.asset_versions.flatMap((sid) => {
        const version = this.assetVersions.get(sid);
        return version ? [this.assetVersionJson(version)] : [];
      }),
      url,
      links: { build_status: `${url}/Status` },
    };
  }

  deploymentJson(deployment: DeploymentRecord) {
    return {
      ...deployment,
      account_sid: this.ctx.accountSid,
      url: `${PUBLIC_BASE}/Services/${deployment.service_sid}/Environments/${deployment.environment_sid}/Deployments/${deployment.sid}`,
    };
  }
}

function byCreation<T extends { date_created: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.date_created.localeCompare(b.date_created));
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** `serverless.twilio.com/v1` routes. */
export function serverlessRouter(service: ServerlessService, ctx: EmulatorContext): Router {
  const router = Router();
  const base = () => ctx.baseUrl();

  router.get('/Services', (req, res) => {
    const items = byCreation(service.services.values()).map((s) => service.serviceJson(s));
    res.json(pageOf(req, items, 'services', base()));
  });
  router.post('/Services', (req, res) => {
    const params = paramsOf(req);
    const created = service.createService(
      params.required('UniqueName'),
      params.required('FriendlyName'),
      params.bool('IncludeCredentials') ?? true,
      params.bool('UiEditable') ?? false,
    );
    res.status(201).json(service.serviceJson(created));
  });
  router.get('/Services/:service', (req, res) => {
    res.json(service.serviceJson(service.service(param(req, 'service'))));
  });
  router.post('/Services/:service', (req, res) => {
    const found = service.service(param(req, 'service'));
    const params = paramsOf(req);
    found.friendly_name = params.get('FriendlyName') ?? found.friendly_name;
    found.include_credentials = params.bool('IncludeCredentials') ?? found.include_credentials;
    found.ui_editable = params.bool('UiEditable') ?? found.ui_editable;
    res.json(service.serviceJson(found));
  });

  router.get('/Services/:service/Environments', (req, res) => {
    const sid = service.service(param(req, 'service')).sid;
    const items = byCreation(service.environments.values()).filter((env) => env.service_sid === sid);
    res.json(
      pageOf(
        req,
        items.map((env) => service.environmentJson(env)),
        'environments',
        base(),
      ),
    );
  });
  router.post('/Services/:service/Environments', (req, res) => {
    const params = paramsOf(req);
    const created = service.createEnvironment(
      param(req, 'service'),
      params.required('UniqueName'),
      params.get('DomainSuffix'),
    );
    res.status(201).json(service.environmentJson(created));
  });
  router.get('/Services/:service/Environments/:env', (req, res) => {
    res.json(service.environmentJson(service.environment(param(req, 'service'), param(req, 'env'))));
  });
  router.get('/Services/:service/Environments/:env/Deployments', (req, res) => {
    const env = service.environment(param(req, 'service'), param(req, 'env'));
    const items = byCreation(service.deployments.values()).filter((d) => d.environment_sid === env.sid);
    res.json(
      pageOf(
        req,
        items.map((d) => service.deploymentJson(d)),
        'deployments',
        base(),
      ),
    );
  });
  router.post('/Services/:service/Environments/:env/Deployments', (req, res) => {
    const created = service.createDeployment(
      param(req, 'service'),
      param(req, 'env'),
      paramsOf(req).get('BuildSid'),
    );
    res.status(201).json(service.deploymentJson(created));
  });

  router.get('/Services/:service/Assets', (req, res) => {
    const sid = service.service(param(req, 'service')).sid;
    const items = byCreation(service.assets.values()).filter((asset) => asset.service_sid === sid);
    res.json(
      pageOf(
        req,
        items.map((asset) => service.assetJson(asset)),
        'assets',
        base(),
      ),
    );
  });
  router.post('/Services/:service/Assets', (req, res) => {
    const created = service.createAsset(param(req, 'service'), paramsOf(req).required('FriendlyName'));
    res.status(201).json(service.assetJson(created));
  });
  router.get('/Services/:service/Assets/:asset', (req, res) => {
    res.json(service.assetJson(service.asset(param(req, 'service'), param(req, 'asset'))));
  });
  router.get('/Services/:service/Assets/:asset/Versions', (req, res) => {
    const asset = service.asset(param(req, 'service'), param(req, 'asset'));
    const items = byCreation(service.assetVersions.values()).filter((v) => v.asset_sid === asset.sid);
    res.json(
      pageOf(
        req,
        items.map((v) => service.assetVersionJson(v)),
        'asset_versions',
        base(),
      ),
    );
  });
  router.get('/Services/:service/Assets/:asset/Versions/:version', (req, res) => {
    const asset = service.asset(param(req, 'service'), param(req, 'asset'));
    const version = service.assetVersions.get(param(req, 'version'));
    if (!version || version.asset_sid !== asset.sid) throw notFound(req.originalUrl);
    res.json(service.assetVersionJson(version));
  });

  router.get('/Services/:service/Builds', (req, res) => {
    const sid = service.service(param(req, 'service')).sid;
    const items = byCreation(service.builds.values()).filter((build) => build.service_sid === sid);
    res.json(
      pageOf(
        req,
        items.map((build) => service.buildJson(build)),
        'builds',
        base(),
      ),
    );
  });
  router.post('/Services/:service/Builds', (req, res) => {
    const params = paramsOf(req);
    const created = service.createBuild(
      param(req, 'service'),
      params.all('AssetVersions'),
      params.all('FunctionVersions'),
      params.get('Runtime'),
    );
    res.status(201).json(service.buildJson(created));
  });
  router.get('/Services/:service/Builds/:build', (req, res) => {
    res.json(service.buildJson(service.build(param(req, 'service'), param(req, 'build'))));
  });
  return router;
}

/**
 * `serverless-upload.twilio.com/v1`: an asset version is created by a multipart upload with the
 * parts `Path`, `Visibility` and `Content` (the file, with its content type), as the Plugins CLI
 * and the Serverless Toolkit send it.
 *
 * @see https://www.twilio.com/docs/serverless/api/resource/asset-version#create-an-asset-version-resource
 */
export function serverlessUploadRouter(service: ServerlessService): Router {
  const router = Router();
  router.post('/Services/:service/Assets/:asset/Versions', async (req, res) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      throw invalidParameter('Asset versions are uploaded as multipart/form-data');
    }
    let form: FormData;
    try {
      form = await new Response(bodyBuffer(req), { headers: { 'content-type': contentType } }).formData();
    } catch (error) {
      throw invalidParameter(`Unreadable multipart body: ${(error as Error).message}`);
    }
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const file = form.get('Content');
    const content =
      file === null
        ? undefined
        : typeof file === 'string'
          ? Buffer.from(file)
          : Buffer.from(await file.arrayBuffer());
    const created = service.uploadAssetVersion(param(req, 'service'), param(req, 'asset'), {
      path: text('Path'),
      visibility: text('Visibility'),
      content,
      contentType: (file && typeof file !== 'string' && file.type) || 'application/octet-stream',
    });
    res.status(201).json(service.assetVersionJson(created));
  });
  return router;
}

/**
 * What an environment's domain serves (`https://<domain_name>/<path>`), reachable on the emulator at
 * `/_runtime/<domain_name>/<path>` (see {@link emulatedRuntimeUrl}). Public assets are served to
 * anyone. Twilio serves protected assets only to requests it signs itself (Flex loads private
 * plugins that way); the emulator accepts the account's Basic credentials in their place.
 *
 * @see https://www.twilio.com/docs/serverless/functions-assets/visibility
 */
export function runtimeRouter(service: ServerlessService, accountAuth: RequestHandler): Router {
  const router = Router();
  router.get('/:domain/*path', (req, res, next) => {
    const path = `/${([] as string[]).concat(req.params.path ?? []).join('/')}`;
    const asset = service.served(param(req, 'domain'), path);
    if (!asset || asset.visibility === 'private') {
      res.status(404).type('text').send('Not found');
      return;
    }
    const send = () => {
      res.type(asset.contentType).send(asset.content);
    };
    if (asset.visibility === 'public') {
      send();
      return;
    }
    accountAuth(req, res, (error?: unknown) => {
      if (error) {
        res.status(403).type('text').send('Forbidden: this asset is protected');
        return;
      }
      send();
    });
    void next;
  });
  return router;
}

/**
 * The emulator URL that serves a Twilio Runtime URL: `https://default-1234-abcde.twil.io/plugins/x.js`
 * → `${emulatorUrl}/_runtime/default-1234-abcde.twil.io/plugins/x.js`. Other URLs are returned as they are.
 */
export function emulatedRuntimeUrl(emulatorUrl: string, runtimeUrl: string): string {
  const match = /^https:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.twil\.io)(\/.*)$/i.exec(runtimeUrl);
  if (!match) return runtimeUrl;
  return `${emulatorUrl.replace(/\/+$/, '')}/_runtime/${match[1]}${match[2]}`;
}
