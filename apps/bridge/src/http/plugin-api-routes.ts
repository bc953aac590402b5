import {
  AddNoteRequestSchema,
  type CaseActor,
  KbSearchQuerySchema,
  ListCasesQuerySchema,
  UpdateCaseRequestSchema,
} from '@flexcord/contracts';
import cors from 'cors';
import express, { type RequestHandler, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { CaseService } from '../cases/case-service.ts';
import { agentNameFromIdentity, normalizeAgentIdentity } from '../conversations/agent-identity.ts';
import type { KbService } from '../kb/kb-service.ts';
import type { FlexAgent, FlexTokenValidator } from '../twilio/flex-token-validator.ts';
import { safeDeep } from '../util/safe-text.ts';
import { badRequest, HttpError } from './http-errors.ts';

export interface PluginApiDeps {
  cases: CaseService;
  kb: KbService;
  tokens: FlexTokenValidator;
  corsOrigins: string[];
  /** Failed authentications one address may make per minute before it gets 429s. */
  authFailuresPerMinute: number;
}

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

/**
 * The Flex plugin's API under `/api`: cases and the KB, every call with the agent's Flex token in
 * `Authorization: Bearer` (checked with Twilio IAM), shapes from `@flexcord/contracts`.
 */
export function pluginApiRoutes(deps: PluginApiDeps): Router {
  const router = Router();
  router.use(
    cors({
      origin: deps.corsOrigins,
      methods: ['GET', 'POST', 'PATCH'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  router.use(express.json({ limit: '64kb' }));
  router.use((req, _res, next) => {
    req.body = safeDeep(req.body);
    // Express 5's `req.query` is a getter: shadow it with the cleaned copy.
    Object.defineProperty(req, 'query', { value: safeDeep(req.query), configurable: true });
    next();
  });

  // Counts only refused tokens (a 401): an address guessing tokens is stopped before IAM is asked
  // again; agents, whose tokens pass, are never counted.
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.authFailuresPerMinute,
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
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      return next(new HttpError(401, 'missing_token', 'Authorization: Bearer <Flex token> is required'));
    res.locals.agent = await deps.tokens.validate(match[1]!);
    next();
  };
  router.use(authenticate);

  router.get('/cases', async (req, res) => {
    const query = ListCasesQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'case query');
    const cases = query.data.conversationSid
      ? await deps.cases.listByConversation(query.data.conversationSid)
      : await deps.cases.listByMember(query.data.memberId!);
    res.json({ cases });
  });

  router.get('/cases/:number', async (req, res) => {
    res.json(await deps.cases.detail(caseNumber(req.params.number)));
  });

  router.patch('/cases/:number', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = UpdateCaseRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'case update');
    res.json(await deps.cases.update(number, body.data, actorOf(agentOf(res))));
  });

  router.post('/cases/:number/notes', async (req, res) => {
    const number = caseNumber(req.params.number);
    const body = AddNoteRequestSchema.safeParse(req.body);
    if (!body.success) throw badRequest(body.error, 'note');
    res.status(201).json(await deps.cases.addNote(number, body.data.body, actorOf(agentOf(res))));
  });

  router.get('/kb/search', async (req, res) => {
    const query = KbSearchQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest(query.error, 'KB search');
    res.json({ results: await deps.kb.search(query.data.q, query.data.limit) });
  });

  router.get('/kb/articles/:slug', async (req, res) => {
    const article = await deps.kb.article(req.params.slug);
    if (!article) throw new HttpError(404, 'article_not_found', `no KB article ${req.params.slug}`);
    res.json({ article });
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
