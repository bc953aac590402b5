import { type Request, Router } from 'express';
import { twilioDate } from './clock.ts';
import type { EmulatorContext } from './context.ts';
import type { ConversationsService, StudioMessageEvent } from './conversations.ts';
import { invalidParameter, notFound, TwilioApiError } from './errors.ts';
import { paramsOf, type TwilioParams } from './http.ts';
import type { InteractionsService } from './interactions.ts';
import { pageOf } from './paging.ts';
import { newSid } from './sids.ts';
import type { ExecutionRecord, FlowError, FlowRecord, FlowRevisionRecord } from './store.ts';
import {
  type FlowDefinition,
  FlowDefinitionSchema,
  validateFlowDefinition,
} from './studio/flow-definition.ts';
import {
  type Execution,
  type FlowRunnerDeps,
  type FlowTrigger,
  runFlow,
  type StudioHttpRequest,
  type StudioHttpResponse,
} from './studio/runner.ts';
import { sendSignedHttpRequest } from './webhooks.ts';

/**
 * Studio v2 REST (Flows, Flow Validate, Executions, Steps, Context) and the glue that runs a
 * published flow for each message of a Conversation with a `target=studio` webhook, through the
 * Studio runner in `./studio/`.
 *
 * @see https://www.twilio.com/docs/studio/rest-api/v2
 * @see https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource
 */

const PUBLIC_BASE = 'https://studio.twilio.com/v2';
const TWILIO_HOST = /^https:\/\/([a-z0-9-]+)(?:\.[a-z0-9-]+)*?\.twilio\.com(\/.*)?$/i;

export interface StudioServiceOptions {
  /** make-http-request timeout (Studio: 10 s). */
  httpTimeoutMs: number;
}

export class StudioService {
  readonly #chains = new Map<string, Promise<void>>();
  #running = 0;
  readonly #idleWaiters: Array<() => void> = [];

  constructor(
    private readonly ctx: EmulatorContext,
    conversations: ConversationsService,
    private readonly interactions: InteractionsService,
    private readonly options: StudioServiceOptions,
  ) {
    conversations.onStudioMessage = (event) => this.#onConversationMessage(event);
  }

  flow(sid: string): FlowRecord {
    const flow = this.ctx.store.flows.get(sid);
    if (!flow) throw notFound(`/Flows/${sid}`);
    return flow;
  }

  latest(flow: FlowRecord): FlowRevisionRecord {
    const revision = flow.revisions.at(-1);
    if (!revision) throw new TwilioApiError(500, 20500, `Flow ${flow.sid} has no revision`);
    return revision;
  }

  /** The latest published revision, which is what executions run. */
  published(flow: FlowRecord): FlowRevisionRecord | undefined {
    return flow.revisions.findLast((r) => r.status === 'published');
  }

  /** Checks a definition as Flow Validate does. */
  check(definition: unknown): FlowError[] {
    return validateFlowDefinition(definition).map((message) => ({
      message,
      property_path: propertyPath(message),
    }));
  }

  createFlow(params: TwilioParams): FlowRecord {
    const revision = this.#revision(params, undefined);
    const now = this.ctx.clock.now();
    const flow: FlowRecord = { sid: newSid('FW'), revisions: [revision], dateCreated: now, dateUpdated: now };
    this.ctx.store.flows.set(flow.sid, flow);
    return flow;
  }

  updateFlow(sid: string, params: TwilioParams): FlowRecord {
    const flow = this.flow(sid);
    flow.revisions.push(this.#revision(params, this.latest(flow)));
    flow.dateUpdated = this.ctx.clock.now();
    return flow;
  }

  /** Resolves when no execution is queued or running. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Runs the published revision of a flow for a trigger and records the execution. */
  async execute(
    flow: FlowRecord,
    trigger: FlowTrigger,
    about: {
      conversationSid: string | null;
      customerIdentity: string | null;
      data?: Record<string, unknown>;
    },
  ): Promise<ExecutionRecord> {
    const revision = this.published(flow);
    if (!revision) throw new TwilioApiError(400, 20001, `Flow ${flow.sid} has no published revision`);
    const definition = FlowDefinitionSchema.parse(revision.definition);
    let record: ExecutionRecord | undefined;
    const deps: FlowRunnerDeps = {
      now: () => this.ctx.clock.now(),
      newSid: (prefix) => {
        const sid = newSid(prefix);
        if (prefix === 'FN' && !record) {
          const now = this.ctx.clock.now();
          record = {
            sid,
            flowSid: flow.sid,
            flowRevision: revision.revision,
            conversationSid: about.conversationSid,
            contactChannelAddress: about.conversationSid ?? about.customerIdentity,
            status: 'active',
            context: { trigger: trigger.context, widgets: {}, flow: { flow_sid: flow.sid } },
            steps: [],
            error: null,
            dateCreated: now,
            dateUpdated: now,
          };
          this.ctx.store.executions.set(sid, record);
        }
        return sid;
      },
      httpRequest: (request) => this.#httpRequest(request),
      sendToFlex: async (request) => {
        const input = {
          workflowSid: request.workflowSid,
          taskChannel: request.taskChannel,
          attributes: request.attributes,
          priority: request.priority,
          timeout: request.timeout,
          customerIdentity: about.customerIdentity ?? undefined,
        };
        const { interaction, task } = about.conversationSid
          ? this.interactions.sendToFlex({ ...input, conversationSid: about.conversationSid })
          : this.interactions.create(input);
        return { taskSid: task.sid, interactionSid: interaction.sid };
      },
    };
    const execution = await runFlow(definition, trigger, deps, {
      sid: flow.sid,
      friendlyName: revision.friendlyName,
      ...(about.data === undefined ? {} : { data: about.data }),
    });
    const stored = this.#store(execution, flow, revision, about);
    this.ctx.store.emit('execution.ended', { execution: this.executionJson(stored), error: stored.error });
    return stored;
  }

  #store(
    execution: Execution,
    flow: FlowRecord,
    revision: FlowRevisionRecord,
    about: { conversationSid: string | null; customerIdentity: string | null },
  ): ExecutionRecord {
    const states = (revision.definition as FlowDefinition).states;
    const typeOf = (name: string) => states.find((s) => s.name === name)?.type ?? null;
    const record: ExecutionRecord = {
      sid: execution.sid,
      flowSid: flow.sid,
      flowRevision: revision.revision,
      conversationSid: about.conversationSid,
      contactChannelAddress: about.conversationSid ?? about.customerIdentity,
      status: execution.status,
      context: execution.context,
      steps: execution.steps.map((step) => ({
        sid: step.sid,
        name: step.name,
        type: typeOf(step.transitionedFrom),
        transitionedFrom: step.transitionedFrom,
        transitionedTo: step.transitionedTo,
        event: step.event,
        context: step.context,
        dateCreated: new Date(step.dateCreated),
      })),
      error: execution.error ?? null,
      dateCreated: new Date(execution.dateCreated),
      dateUpdated: new Date(execution.dateUpdated),
    };
    this.ctx.store.executions.set(record.sid, record);
    return record;
  }

  #onConversationMessage(event: StudioMessageEvent): void {
    const flowSid = event.webhook.flowSid;
    const flow = flowSid ? this.ctx.store.flows.get(flowSid) : undefined;
    if (!flow || !this.published(flow)) return;
    const attributes = parseObject(event.conversation.attributes);
    const trigger: FlowTrigger = {
      event: 'incomingConversationMessage',
      context: { conversation: { ...event.params, ChannelAttributes: attributes } },
    };
    const key = event.conversation.sid;
    this.#running += 1;
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() =>
        this.execute(flow, trigger, {
          conversationSid: event.conversation.sid,
          customerIdentity: event.message.author,
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          this.ctx.store.emit('execution.error', {
            flowSid: flow.sid,
            conversationSid: key,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      )
      .finally(() => {
        if (this.#chains.get(key) === next) this.#chains.delete(key);
        this.#running -= 1;
        if (this.#running === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
    this.#chains.set(key, next);
  }

  async #httpRequest(request: StudioHttpRequest): Promise<StudioHttpResponse> {
    const headers = { ...request.headers };
    let url = request.url;
    if (request.addTwilioAuth) {
      // Twilio APIs called from a flow go to the emulator, with the account's credentials.
      const match = TWILIO_HOST.exec(url);
      if (match) url = `${this.ctx.baseUrl()}/${match[1]!.toLowerCase()}${match[2] ?? '/'}`;
      headers.Authorization = `Basic ${Buffer.from(`${this.ctx.accountSid}:${this.ctx.authToken}`).toString('base64')}`;
    }
    const started = Date.now();
    const at = this.ctx.clock.now().toISOString();
    const record = (status: number | null, error: string | null, responseBody: string) =>
      this.ctx.dispatcher.record({
        kind: 'studio',
        url,
        method: request.method,
        eventType: 'make-http-request',
        params: { body: request.body ?? '' },
        idempotencyToken: '',
        conversationSid: null,
        status: status !== null && status < 400 ? 'delivered' : 'failed',
        attempts: [{ retryCount: 0, at, status, error, durationMs: Date.now() - started, responseBody }],
      });
    try {
      const response = await sendSignedHttpRequest(
        {
          method: request.method,
          url,
          headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        },
        this.ctx.authToken,
        this.options.httpTimeoutMs,
      );
      record(response.status, null, response.body.slice(0, 4096));
      return { status: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      record(null, error instanceof Error ? error.message : String(error), '');
      throw error;
    }
  }

  #revision(params: TwilioParams, previous: FlowRevisionRecord | undefined): FlowRevisionRecord {
    const friendlyName = params.get('FriendlyName') ?? previous?.friendlyName;
    if (!friendlyName) throw invalidParameter('Missing required parameter FriendlyName in the post body');
    const status = params.required('Status');
    if (status !== 'draft' && status !== 'published') {
      throw invalidParameter(`Invalid Status ${status}: expected draft or published`);
    }
    let definition: unknown = previous?.definition;
    if (params.has('Definition')) {
      definition = params.json('Definition');
    } else if (definition === undefined) {
      throw invalidParameter('Missing required parameter Definition in the post body');
    }
    const errors = this.check(definition);
    if (errors.length && status === 'published') throw invalidDefinition(errors);
    return {
      revision: (previous?.revision ?? 0) + 1,
      friendlyName,
      status,
      definition,
      commitMessage: params.get('CommitMessage') ?? null,
      valid: errors.length === 0,
      errors,
      warnings: [],
      dateCreated: this.ctx.clock.now(),
    };
  }

  // ---- JSON as Twilio returns it -------------------------------------------------------------

  flowJson(flow: FlowRecord, revision = this.latest(flow)): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Flows/${flow.sid}`;
    return {
      sid: flow.sid,
      account_sid: this.ctx.accountSid,
      // The Twilio user who last changed it: none for a flow written over the REST API here.
      author_sid: null,
      friendly_name: revision.friendlyName,
      definition: revision.definition,
      status: revision.status,
      revision: revision.revision,
      commit_message: revision.commitMessage,
      valid: revision.valid,
      errors: revision.errors,
      warnings: revision.warnings,
      date_created: twilioDate(flow.dateCreated),
      date_updated: twilioDate(revision.dateCreated),
      webhook_url: `https://webhooks.twilio.com/v1/Accounts/${this.ctx.accountSid}/Flows/${flow.sid}`,
      url: revision === this.latest(flow) ? url : `${url}/Revisions/${revision.revision}`,
      links: {
        test_users: `${url}/TestUsers`,
        revisions: `${url}/Revisions`,
        executions: `${url}/Executions`,
      },
    };
  }

  /** A Flow Revision: the flow's fields at that revision, without `warnings`, `webhook_url` and `links`. */
  revisionJson(flow: FlowRecord, revision: FlowRecord['revisions'][number]): Record<string, unknown> {
    const { warnings: _w, webhook_url: _h, links: _l, ...fields } = this.flowJson(flow, revision);
    return fields;
  }

  executionJson(e: ExecutionRecord): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Flows/${e.flowSid}/Executions/${e.sid}`;
    return {
      sid: e.sid,
      account_sid: this.ctx.accountSid,
      flow_sid: e.flowSid,
      contact_sid: null,
      contact_channel_address: e.contactChannelAddress,
      context: e.context,
      status: e.status === 'failed' ? 'ended' : e.status,
      date_created: twilioDate(e.dateCreated),
      date_updated: twilioDate(e.dateUpdated),
      url,
      links: { steps: `${url}/Steps`, execution_context: `${url}/Context` },
      initiated_by: e.conversationSid ?? e.flowSid,
      flow_version: e.flowRevision,
    };
  }

  stepJson(e: ExecutionRecord, step: ExecutionRecord['steps'][number]): Record<string, unknown> {
    const url = `${PUBLIC_BASE}/Flows/${e.flowSid}/Executions/${e.sid}/Steps/${step.sid}`;
    return {
      sid: step.sid,
      account_sid: this.ctx.accountSid,
      flow_sid: e.flowSid,
      execution_sid: e.sid,
      parent_step_sid: null,
      name: step.name,
      context: step.context,
      transitioned_from: step.transitionedFrom,
      transitioned_to: step.transitionedTo,
      type: step.type,
      date_created: twilioDate(step.dateCreated),
      date_updated: twilioDate(step.dateCreated),
      url,
      links: { step_context: `${url}/Context` },
    };
  }
}

function invalidDefinition(errors: FlowError[]): TwilioApiError {
  return new TwilioApiError(400, 20001, 'Invalid Flow Definition', { details: { errors, warnings: [] } });
}

/** `states[3] 'x': …` → `#/states/3`, the JSON pointer Studio reports errors with. */
function propertyPath(message: string): string {
  const match = /^states\[(\d+)\]/.exec(message);
  return match ? `#/states/${match[1]}` : '#/';
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Studio routes relative to `/studio/v2`. */
export function studioRouter(service: StudioService, ctx: EmulatorContext): Router {
  const router = Router();
  const page = <T>(req: Request, items: readonly T[], key: string) => pageOf(req, items, key, ctx.baseUrl());
  const execution = (req: Request) => {
    const flow = service.flow(String(req.params.sid));
    const found = ctx.store.executions.get(String(req.params.executionSid));
    if (!found || found.flowSid !== flow.sid)
      throw notFound(`/Flows/${flow.sid}/Executions/${req.params.executionSid}`);
    return found;
  };

  const validate = (req: Request, res: import('express').Response) => {
    const params = paramsOf(req);
    params.required('FriendlyName');
    params.required('Status');
    const errors = service.check(params.json('Definition'));
    if (errors.length) throw invalidDefinition(errors);
    res.json({ valid: true });
  };
  router.post('/Flows/Validate', validate);
  router.post('/FlowValidate', validate);

  router.post('/Flows', (req, res) => {
    res.status(201).json(service.flowJson(service.createFlow(paramsOf(req))));
  });
  router.get('/Flows', (req, res) => {
    res.json(
      page(
        req,
        [...ctx.store.flows.values()].map((f) => service.flowJson(f)),
        'flows',
      ),
    );
  });
  router.get('/Flows/:sid', (req, res) => {
    res.json(service.flowJson(service.flow(req.params.sid)));
  });
  router.post('/Flows/:sid', (req, res) => {
    res.json(service.flowJson(service.updateFlow(req.params.sid, paramsOf(req))));
  });
  router.delete('/Flows/:sid', (req, res) => {
    const flow = service.flow(req.params.sid);
    ctx.store.flows.delete(flow.sid);
    res.status(204).end();
  });
  router.get('/Flows/:sid/Revisions', (req, res) => {
    const flow = service.flow(req.params.sid);
    res.json(
      page(
        req,
        [...flow.revisions].reverse().map((r) => service.revisionJson(flow, r)),
        'revisions',
      ),
    );
  });
  router.get('/Flows/:sid/Revisions/:revision', (req, res) => {
    const flow = service.flow(req.params.sid);
    const wanted = req.params.revision === 'LatestPublished' ? service.published(flow) : undefined;
    const revision =
      wanted ??
      (req.params.revision === 'LatestRevision'
        ? service.latest(flow)
        : flow.revisions.find((r) => String(r.revision) === req.params.revision));
    if (!revision) throw notFound(`/Flows/${flow.sid}/Revisions/${req.params.revision}`);
    res.json(service.revisionJson(flow, revision));
  });

  router.post('/Flows/:sid/Executions', async (req, res) => {
    const flow = service.flow(req.params.sid);
    const params = paramsOf(req);
    const to = params.required('To');
    const from = params.required('From');
    const parameters = params.json('Parameters');
    const data =
      typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>) : {};
    const record = await service.execute(
      flow,
      { event: 'incomingRequest', context: { request: { to, from, parameters: data } } },
      { conversationSid: null, customerIdentity: from, data },
    );
    res.status(201).json(service.executionJson(record));
  });
  router.get('/Flows/:sid/Executions', (req, res) => {
    const flow = service.flow(req.params.sid);
    const params = paramsOf(req);
    const from = params.get('DateCreatedFrom');
    const to = params.get('DateCreatedTo');
    const items = [...ctx.store.executions.values()]
      .filter(
        (e) =>
          e.flowSid === flow.sid &&
          (!from || e.dateCreated >= new Date(from)) &&
          (!to || e.dateCreated <= new Date(to)),
      )
      .reverse()
      .map((e) => service.executionJson(e));
    res.json(page(req, items, 'executions'));
  });
  router.get('/Flows/:sid/Executions/:executionSid', (req, res) => {
    res.json(service.executionJson(execution(req)));
  });
  router.post('/Flows/:sid/Executions/:executionSid', (req, res) => {
    const found = execution(req);
    if (paramsOf(req).required('Status') !== 'ended') throw invalidParameter('Status must be ended');
    found.status = 'ended';
    found.dateUpdated = ctx.clock.now();
    res.json(service.executionJson(found));
  });
  router.delete('/Flows/:sid/Executions/:executionSid', (req, res) => {
    ctx.store.executions.delete(execution(req).sid);
    res.status(204).end();
  });
  router.get('/Flows/:sid/Executions/:executionSid/Context', (req, res) => {
    const found = execution(req);
    res.json({
      account_sid: ctx.accountSid,
      context: found.context,
      flow_sid: found.flowSid,
      execution_sid: found.sid,
      url: `${PUBLIC_BASE}/Flows/${found.flowSid}/Executions/${found.sid}/Context`,
    });
  });
  router.get('/Flows/:sid/Executions/:executionSid/Steps', (req, res) => {
    const found = execution(req);
    res.json(
      page(
        req,
        found.steps.map((s) => service.stepJson(found, s)),
        'steps',
      ),
    );
  });
  router.get('/Flows/:sid/Executions/:executionSid/Steps/:stepSid', (req, res) => {
    const found = execution(req);
    const step = found.steps.find((s) => s.sid === req.params.stepSid);
    if (!step) throw notFound(`/Steps/${req.params.stepSid}`);
    res.json(service.stepJson(found, step));
  });
  router.get('/Flows/:sid/Executions/:executionSid/Steps/:stepSid/Context', (req, res) => {
    const found = execution(req);
    const step = found.steps.find((s) => s.sid === req.params.stepSid);
    if (!step) throw notFound(`/Steps/${req.params.stepSid}`);
    res.json({
      account_sid: ctx.accountSid,
      context: step.context,
      execution_sid: found.sid,
      flow_sid: found.flowSid,
      step_sid: step.sid,
      url: `${PUBLIC_BASE}/Flows/${found.flowSid}/Executions/${found.sid}/Steps/${step.sid}/Context`,
    });
  });

  return router;
}
