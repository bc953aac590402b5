import {
  AddNoteRequestSchema,
  AuditQuerySchema,
  CannedReplyInputSchema,
  type CannedReplyScope,
  type CaseActor,
  type CaseDetailResponse,
  CaseSearchQuerySchema,
  type CaseVersionResponse,
  DecidePhrasingRequestSchema,
  type Disposition,
  FiguresQuerySchema,
  FilledCannedRepliesQuerySchema,
  KbGapsQuerySchema,
  KbSearchQuerySchema,
  ListCasesQuerySchema,
  MarkDuplicateRequestSchema,
  OfficialReplyRequestSchema,
  PrivacyDeleteRequestSchema,
  PrivacyExportRequestSchema,
  PrivacyMemberParamSchema,
  ProposePhrasingRequestSchema,
  TranscriptQuerySchema,
  TransferRequestSchema,
  UpdateCaseRequestSchema,
  type WrapUpOptionsResponse,
  WrapUpRequestSchema,
} from '@flexcord/contracts';
import cors from 'cors';
import express, { type RequestHandler, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type {
  CannedRepliesService,
  CannedReplyViewer,
} from '../../domain/canned-replies/canned-replies-service.ts';
import { auditCsv } from '../../domain/cases/audit-csv.ts';
import type { CaseEditor, CaseService } from '../../domain/cases/case-service.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from '../../domain/chat/agent-identity.ts';
import type { ChatLifecycle } from '../../domain/chat/chat-lifecycle.ts';
import type { ChatTranscripts } from '../../domain/chat/chat-transcripts.ts';
import {
  TRANSCRIPT_HTML_CSP,
  transcriptHtml,
  transcriptMarkdown,
} from '../../domain/chat/transcript-format.ts';
import { figuresCsv, type SupervisorFiguresService } from '../../domain/figures/supervisor-figures.ts';
import type { KbService } from '../../domain/kb/kb-service.ts';
import type { PrivacyService } from '../../domain/privacy/privacy-service.ts';
import { safeDeep } from '../../infrastructure/util/safe-text.ts';
import type { FlexAgent } from '../twilio/flex-token.ts';
import type { FlexTokenValidator } from '../twilio/flex-token-validator.ts';
import { FailedAuthStore } from './failed-auth-store.ts';
import type { FileLinks } from './file-links.ts';
import { badRequest, HttpError } from './http-errors.ts';
import { PLUGIN_API_ACCESS, type PluginApiAccess, type PluginApiRoute } from './plugin-api-access.ts';

export interface PluginApiDeps {
  cases: CaseService;
  kb: KbService;
  tokens: FlexTokenValidator;
  corsOrigins: string[];
  /** The agent's side of a chat (wrap-up); absent → those routes answer 404. */
  lifecycle?: ChatLifecycle;
  dispositions?: Disposition[];
  /** Flex roles that may change any case (reassign, resolve someone else's); default supervisor, admin. */
  supervisorRoles?: string[];
  /** A supervisor's figures (`GET /api/figures`); absent → 404. */
  figures?: Pick<SupervisorFiguresService, 'figures'>;
  /** Failed authentications one address may make per minute before it gets 429s. */
  authFailuresPerMinute: number;
  /** Addresses counted at once (see {@link FailedAuthStore}); default 50,000. */
  authTrackedAddresses?: number;
  /** A case's kept chats (`GET /api/cases/:n/transcript`); absent → 404. */
  transcripts?: Pick<ChatTranscripts, 'ofCase'>;
  /** Signed links to a transcript's files; absent → files are listed without links. */
  fileLinks?: Pick<FileLinks, 'link'>;
  /** Canned replies for agents (`/api/canned-replies…`); absent → 404. */
  cannedReplies?: CannedRepliesService;
  /** Members' data requests (`/api/privacy/...`); absent → 404. */
  privacy?: Pick<PrivacyService, 'export' | 'erase' | 'requests'>;
  /** Flex roles that may export or erase a member's data; default admin. */
  privacyAdminRoles?: string[];
}

/** The path parameters of the plugin API's routes (`:number`, `:slug`), where a route has them. */
type RouteParams = { number?: string; slug?: string; id?: string; userId?: string };

const CaseNumberSchema = z.coerce.number().int().positive().max(2_147_483_647);

/** The agent whose Flex token authorised this request. */
function agentOf(res: express.Response): FlexAgent {
  return res.locals.agent as FlexAgent;
}

/** The agent as the timeline records them: the plain identity (Flex escapes `@` and `.`) and a readable name. */
function actorOf(agent: FlexAgent): CaseActor {
  return {
    kind: 'agent',
    id: normalizeAgentIdentity(agent.identity),
    name: agentNameFromIdentity(agent.identity),
  };
}

/** A case as the calling agent reads it: with who they are, so the panel knows whether it is theirs. */
function forViewer(detail: CaseDetailResponse, res: express.Response): CaseDetailResponse {
  const { id, name } = actorOf(agentOf(res));
  return { ...detail, viewer: { id, name } };
}

/**
 * The Flex plugin's API under `/api`: cases and the KB, every call with the agent's Flex token in
 * `Authorization: Bearer` (checked with Twilio IAM), shapes from `@flexcord/contracts`.
 */
export function pluginApiRoutes(deps: PluginApiDeps): Router {
  const router = Router();
  router.use(
    cors({
      origin: deps.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  // Counts only refused tokens (a 401): an address guessing tokens is stopped before IAM is asked
  // again; agents, whose tokens pass, are never counted, and a token IAM already found valid is
  // served even from an address that is stopped (agents behind the attacker's NAT). The address is
  // `req.ip`, which only trusts as many `X-Forwarded-For` hops as TRUST_PROXY_HOPS says (default
  // none). The counts live in bounded memory.
  router.use(
    rateLimit({
      store: new FailedAuthStore(deps.authTrackedAddresses),
      windowMs: 60_000,
      limit: deps.authFailuresPerMinute,
      skip: (req) => {
        const token = bearerOf(req);
        return token !== null && deps.tokens.isKnownValid(token);
      },
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res, next, options) => {
        res.setHeader('retry-after', String(Math.ceil(options.windowMs / 1000)));
        next(
          new HttpError(
            429,
            'too_many_failed_auth',
            'too many refused Flex tokens from this address; try again in a minute',
          ),
        );
      },
    }),
  );

  const authenticate: RequestHandler = async (req, res, next) => {
    const token = bearerOf(req);
    if (token === null)
      return next(new HttpError(401, 'missing_token', 'Authorization: Bearer <Flex token> is required'));
    res.locals.agent = await deps.tokens.validate(token, req.ip);
    next();
  };
  router.use(authenticate);
  // Only an agent's request has its body read and its text cleaned: a stranger's is refused unread.
  router.use(express.json({ limit: '64kb' }));
  router.use((req, _res, next) => {
    req.body = safeDeep(req.body);
    // Express 5's `req.query` is a getter: shadow it with the cleaned copy.
    Object.defineProperty(req, 'query', { value: safeDeep(req.query), configurable: true });
    next();
  });

  const supervisorRoles = new Set(deps.supervisorRoles ?? ['supervisor', 'admin']);
  const privacyAdminRoles = new Set(deps.privacyAdminRoles ?? ['admin']);
  /** The agent as a case editor: their Flex roles (from the validated token) say if they may change any case. */
  const editorOf = (agent: FlexAgent): CaseEditor & { source: 'plugin-api' } => ({
    actor: actorOf(agent),
    mayChangeAnyCase: agent.roles.some((role) => supervisorRoles.has(role)),
    source: 'plugin-api',
  });

  /** The check each rule of {@link PLUGIN_API_ACCESS} stands for, run before the route reads its input. */
  const guards: Record<PluginApiAccess, RequestHandler<RouteParams>> = {
    agent: (_req, _res, next) => next(),
    supervisor: (_req, res, next) => {
      if (editorOf(agentOf(res)).mayChangeAnyCase) return next();
      next(
        new HttpError(
          403,
          'supervisors_only',
          `this is for Flex supervisors (roles: ${[...supervisorRoles].join(', ')})`,
        ),
      );
    },
    'case-editor': async (req, res, next) => {
      await deps.cases.assertEditorMayChange(caseNumber(req.params.number), editorOf(agentOf(res)));
      next();
    },
    'privacy-admin': (_req, res, next) => {
      if (agentOf(res).roles.some((role) => privacyAdminRoles.has(role))) return next();
      next(
        new HttpError(
          403,
          'privacy_admins_only',
          `a member's data is exported or erased by Flex admins (roles: ${[...privacyAdminRoles].join(', ')})`,
        ),
      );
    },
    'case-participant': async (req, res, next) => {
      await deps.cases.assertMayReadChats(caseNumber(req.params.number), editorOf(agentOf(res)));
      next();
    },
  };
  /** Registers a route of the table, behind its rule's guard; a route not in the table cannot be. */
  const route = (key: PluginApiRoute, handler: RequestHandler<RouteParams>) => {
    const access: PluginApiAccess | undefined = PLUGIN_API_ACCESS[key];
    if (!access) throw new Error(`${key} is not in PLUGIN_API_ACCESS: say who may call it there`);
    const [method, path] = key.split(' ') as [string, string];
    const handlers = [guards[access], handler] as RequestHandler[];
    if (method === 'GET') router.get(path.slice('/api'.length), ...handlers);
    else if (method === 'POST') router.post(path.slice('/api'.length), ...handlers);
    else if (method === 'PATCH') router.patch(path.slice('/api'.length), ...handlers);
    else if (method === 'PUT') router.put(path.slice('/api'.length), ...handlers);
    else if (method === 'DELETE') router.delete(path.slice('/api'.length), ...handlers);
    else throw new Error(`${key}: no ${method} routes in the plugin API`);
  };

  route('GET /api/cases', async (req, res) => {
    const keys = Object.keys(req.query);
    const plainList = keys.includes('conversationSid') || (keys.length === 1 && keys[0] === 'memberId');
    if (!plainList) {
      // The case desk: filters, search, sort and pages.
      const search = CaseSearchQuerySchema.safeParse(req.query);
      if (!search.success) throw badRequest(search.error, 'case search');
      res.json(await deps.cases.search(search.data, actorOf(agentOf(res)).id));
      return;
    }
    const query = ListCasesQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'case query');
    const cases = query.data.conversationSid
      ? await deps.cases.listByConversation(query.data.conversationSid)
      : await deps.cases.listByMember(query.data.memberId!);
    res.json({ cases });
  });

  route('GET /api/cases/:number', async (req, res) => {
    res.json(forViewer(await deps.cases.detail(caseNumber(req.params.number)), res));
  });

  route('PATCH /api/cases/:number', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = UpdateCaseRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'case update');
    res.json(forViewer(await deps.cases.update(number, body.data, editorOf(agentOf(res))), res));
  });

  route('POST /api/cases/:number/notes', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = AddNoteRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'note');
    res
      .status(201)
      .json(
        forViewer(await deps.cases.addNote(number, body.data.body, actorOf(agentOf(res)), 'plugin-api'), res),
      );
  });

  // ---- following a case, wrap-up ------------------------------------------------------------------
  route('GET /api/cases/:number/version', async (req, res) => {
    const number = caseNumber(req.params.number);
    res.set('cache-control', 'no-store');
    res.json({ number, version: await deps.cases.version(number) } satisfies CaseVersionResponse);
  });

  const dispositions = deps.dispositions ?? [];
  route('GET /api/wrap-up', (_req, res) => {
    res.json({ dispositions } satisfies WrapUpOptionsResponse);
  });

  route('POST /api/cases/:number/wrap-up', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = WrapUpRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'wrap-up');
    const disposition = dispositions.find((candidate) => candidate.code === body.data.disposition);
    if (!disposition)
      throw new HttpError(
        400,
        'unknown_disposition',
        `"${body.data.disposition}" is not a disposition here (${dispositions.map((d) => d.code).join(', ')})`,
      );
    if (!deps.lifecycle) throw new HttpError(404, 'not_found', 'wrap-up is not served here');
    await deps.lifecycle.wrapUp({
      caseNumber: number,
      taskSid: body.data.taskSid ?? null,
      disposition,
      note: body.data.note || null,
      ...editorOf(agentOf(res)),
    });
    res.json(forViewer(await deps.cases.detail(number), res));
  });

  route('POST /api/cases/:number/transfer', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = TransferRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'transfer');
    if (!deps.lifecycle) throw new HttpError(404, 'not_found', 'transfers are not served here');
    const { to } = body.data;
    await deps.lifecycle.transfer({
      caseNumber: number,
      taskSid: body.data.taskSid,
      to:
        'workerSid' in to
          ? { workerSid: to.workerSid, ...(to.name ? { name: to.name } : {}) }
          : { queueSid: to.queueSid, ...(to.name ? { name: to.name } : {}) },
      ...editorOf(agentOf(res)),
    });
    res.status(202).json(forViewer(await deps.cases.detail(number), res));
  });

  route('GET /api/cases/:number/transcript', async (req, res) => {
    const number = caseNumber(req.params.number);
    const query = TranscriptQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'transcript query');
    if (!deps.transcripts) throw new HttpError(404, 'not_found', 'transcripts are not served here');
    const found = await deps.cases.find(number);
    if (!found) throw new HttpError(404, 'case_not_found', `no case #${number}`);
    const chats = await deps.transcripts.ofCase(number, {
      conversationSid: query.data.conversationSid,
      fileLink: (mediaSid) => deps.fileLinks?.link(mediaSid) ?? null,
    });
    res.set('cache-control', 'no-store');
    if (query.data.format === 'json') {
      res.json({ caseNumber: number, chats });
      return;
    }
    const doc = { caseNumber: number, subject: found.subject, chats };
    const html = query.data.format === 'html';
    res.set(
      'content-disposition',
      `attachment; filename="case-${number}-transcript.${html ? 'html' : 'md'}"`,
    );
    if (html) {
      // A page of the member's words: nothing in it may run or load.
      res.set('content-security-policy', TRANSCRIPT_HTML_CSP);
      res.type('html').send(transcriptHtml(doc));
    } else res.type('text/markdown; charset=utf-8').send(transcriptMarkdown(doc));
  });

  route('POST /api/cases/:number/replies', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = OfficialReplyRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'official reply');
    res
      .status(201)
      .json(
        forViewer(await deps.cases.postOfficialReply(number, body.data.body, editorOf(agentOf(res))), res),
      );
  });

  route('POST /api/cases/:number/duplicate', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = MarkDuplicateRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'duplicate');
    res.json(forViewer(await deps.cases.markDuplicate(number, body.data.of, editorOf(agentOf(res))), res));
  });

  route('GET /api/kb/search', async (req, res) => {
    const query = KbSearchQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'KB search');
    res.json(await deps.kb.lookup(query.data.q, query.data.limit));
  });

  route('GET /api/kb/gaps', async (req, res) => {
    const query = KbGapsQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'KB gaps');
    res.json({ report: await deps.kb.gaps(query.data) });
  });

  route('GET /api/figures', async (req, res) => {
    if (!deps.figures) throw new HttpError(404, 'figures_not_served', 'this bridge does not serve figures');
    const query = FiguresQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'figures');
    const figures = await deps.figures.figures(query.data.days);
    if (query.data.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`figures-${query.data.days}-days.csv`)
        .send(figuresCsv(figures));
      return;
    }
    res.json({ figures });
  });

  route('GET /api/kb/articles/:slug', async (req, res) => {
    const article = await deps.kb.article(req.params.slug ?? '');
    if (!article) throw new HttpError(404, 'article_not_found', `no KB article ${req.params.slug}`);
    res.json({ article });
  });

  /** A question the bot missed, answered by an agent with an article (the KB button, or "this answered it"). */
  route('POST /api/kb/gaps/phrasings', async (req, res) => {
    const body = ProposePhrasingRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'learned phrasing');
    const result = await deps.kb.proposePhrasing({
      ...body.data,
      proposedBy: normalizeAgentIdentity(agentOf(res).identity),
    });
    if (result.outcome === 'no_article')
      throw new HttpError(404, 'article_not_found', `no KB article ${body.data.slug}`);
    res.status(result.outcome === 'proposed' ? 201 : 200).json(result);
  });

  /** A supervisor's decision on a learned phrasing: approve, reject, reassign to another article. */
  route('POST /api/kb/gaps/phrasings/:id', async (req, res) => {
    const body = DecidePhrasingRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'phrasing decision');
    const decided = await deps.kb.decidePhrasing(
      req.params.id ?? '',
      body.data,
      normalizeAgentIdentity(agentOf(res).identity),
    );
    if (decided === 'no_article' && body.data.action === 'reassign')
      throw new HttpError(404, 'article_not_found', `no KB article ${body.data.slug}`);
    if (!decided || decided === 'no_article')
      throw new HttpError(404, 'phrasing_not_found', `no learned phrasing ${req.params.id}`);
    res.json({ phrasing: decided });
  });

  // ---- canned replies ------------------------------------------------------------------------------
  const cannedReplies = (): CannedRepliesService => {
    if (!deps.cannedReplies) throw new HttpError(404, 'not_found', 'canned replies are not served here');
    return deps.cannedReplies;
  };
  /** The caller as canned replies know them: owner of their personal ones, a name for `{agent}`. */
  const viewerOf = (res: express.Response): CannedReplyViewer => {
    const editor = editorOf(agentOf(res));
    return { id: editor.actor.id, name: editor.actor.name, mayEditShared: editor.mayChangeAnyCase };
  };
  const cannedInput = (raw: unknown) => {
    const body = CannedReplyInputSchema.safeParse(raw);
    if (!body.success) throw badRequest(body.error, 'canned reply');
    return body.data;
  };

  route('GET /api/canned-replies', async (_req, res) => {
    res.set('cache-control', 'no-store');
    res.json(await cannedReplies().list(viewerOf(res)));
  });

  route('GET /api/canned-replies/filled', async (req, res) => {
    const query = FilledCannedRepliesQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'canned replies query');
    res.set('cache-control', 'no-store');
    res.json(await cannedReplies().filled(query.data.conversationSid, viewerOf(res)));
  });

  for (const scope of ['shared', 'personal'] as const satisfies CannedReplyScope[]) {
    route(`POST /api/canned-replies/${scope}`, async (req, res) => {
      const reply = await cannedReplies().create(scope, cannedInput(req.body), viewerOf(res));
      res.status(201).json({ reply });
    });
    route(`PUT /api/canned-replies/${scope}/:id`, async (req, res) => {
      const reply = await cannedReplies().replace(
        scope,
        req.params.id ?? '',
        cannedInput(req.body),
        viewerOf(res),
      );
      res.json({ reply });
    });
    route(`DELETE /api/canned-replies/${scope}/:id`, async (req, res) => {
      await cannedReplies().delete(scope, req.params.id ?? '', viewerOf(res));
      res.json({ deleted: req.params.id ?? '' });
    });
  }
  // ---- the audit log and members' data rights --------------------------------------------------
  route('GET /api/audit', async (req, res) => {
    const query = AuditQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'audit query');
    const entries = await deps.cases.auditLog(query.data);
    res.set('cache-control', 'no-store');
    if (query.data.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`case-audit-${query.data.caseNumber ?? 'all'}-${query.data.days}-days.csv`)
        .send(auditCsv(entries));
      return;
    }
    res.json({ entries });
  });

  const privacyOf = () => {
    if (!deps.privacy) throw new HttpError(404, 'not_found', 'privacy requests are not served here');
    return deps.privacy;
  };
  const memberParam = (raw: string | undefined) => {
    const parsed = PrivacyMemberParamSchema.safeParse(raw);
    if (!parsed.success)
      throw new HttpError(400, 'invalid_user_id', `"${raw}" is not a Discord user id (a snowflake)`);
    return parsed.data;
  };
  const adminOf = (res: express.Response) => ({
    source: 'plugin-api' as const,
    admin: normalizeAgentIdentity(agentOf(res).identity),
  });

  route('GET /api/privacy/requests', async (_req, res) => {
    res.set('cache-control', 'no-store');
    res.json({ requests: await privacyOf().requests() });
  });

  route('POST /api/privacy/members/:userId/export', async (req, res) => {
    const memberId = memberParam(req.params.userId);
    const body = PrivacyExportRequestSchema.safeParse(req.body ?? {});
    if (!body.success) throw badRequest(body.error, 'privacy export');
    const file = await privacyOf().export(memberId, adminOf(res), { send: body.data.sendToMember });
    res.set('cache-control', 'no-store');
    res.type('application/json; charset=utf-8').attachment(file.filename).send(file.body);
  });

  route('POST /api/privacy/members/:userId/delete', async (req, res) => {
    const memberId = memberParam(req.params.userId);
    const body = PrivacyDeleteRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'privacy delete');
    if (body.data.confirm !== memberId)
      throw new HttpError(400, 'confirm_mismatch', '`confirm` must repeat the Discord user id being erased');
    res.json(await privacyOf().erase(memberId, adminOf(res)));
  });

  const api = Router();
  api.use('/api', router);
  return api;
}

function caseNumber(raw: string | undefined): number {
  const parsed = CaseNumberSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'invalid_case_number', `"${raw}" is not a case number`);
  return parsed.data;
}

/** The token of `Authorization: Bearer <token>`, or null. */
function bearerOf(req: express.Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  return match ? match[1]! : null;
}
