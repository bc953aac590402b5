import {
  type AddNoteRequest,
  type ApiError,
  ApiErrorSchema,
  AuditResponseSchema,
  type CannedReply,
  type CannedReplyDeletedResponse,
  CannedReplyDeletedResponseSchema,
  type CannedReplyInput,
  type CannedReplyListResponse,
  CannedReplyListResponseSchema,
  CannedReplyResponseSchema,
  type CannedReplyScope,
  type CaseDetailResponse,
  CaseDetailResponseSchema,
  type CaseListResponse,
  CaseListResponseSchema,
  type CaseSearchInput,
  type CaseSearchResponse,
  CaseSearchResponseSchema,
  type CaseVersionResponse,
  CaseVersionResponseSchema,
  type DecidePhrasingRequest,
  type DecidePhrasingResponse,
  DecidePhrasingResponseSchema,
  type FiguresResponse,
  FiguresResponseSchema,
  type FilledCannedRepliesResponse,
  FilledCannedRepliesResponseSchema,
  type KbGapsResponse,
  KbGapsResponseSchema,
  type KbSearchResponse,
  KbSearchResponseSchema,
  type MarkDuplicateRequest,
  type OfficialReplyRequest,
  type ProposePhrasingRequest,
  type ProposePhrasingResponse,
  ProposePhrasingResponseSchema,
  type UpdateCaseRequest,
  type WrapUpOptionsResponse,
  WrapUpOptionsResponseSchema,
  type WrapUpRequest,
} from '@flexcord/contracts';
import type { z } from 'zod';

/** A failed call to the bridge, with a message meant for the agent. */
export class FlexcordApiError extends Error {
  override readonly name = 'FlexcordApiError';
  /**
   * The bridge's own `error.code` for a 4xx/5xx with an error body; else `unauthorized` (401: the
   * Flex token is missing, expired or not valid for this account), `network` (no answer: bridge down,
   * wrong URL, CORS), `bad_response` (an answer that breaks the contract) or `http_<status>`.
   */
  readonly code: string;
  /** The HTTP status, or `null` when the bridge never answered. */
  readonly status: number | null;
  readonly issues: NonNullable<ApiError['error']['issues']>;

  constructor(
    code: string,
    message: string,
    options: { status?: number | null; issues?: ApiError['error']['issues']; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
    this.issues = options.issues ?? [];
  }
}

export interface FlexcordApiOptions {
  /** The bridge's base URL, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** Read at each call, so a refreshed Flex token is used at once. */
  getToken: () => string;
  fetch?: typeof fetch;
}

/** Lists a member's cases, or the cases linked to one Conversation. */
export type ListCasesQuery = { conversationSid: string } | { memberId: string };

interface CallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * A client of the bridge's plugin API. Every answer is parsed with its contract schema, every failure
 * becomes a {@link FlexcordApiError}.
 */
export function createFlexcordApi({ baseUrl, getToken, fetch: fetchImpl = fetch }: FlexcordApiOptions) {
  const root = baseUrl.replace(/\/+$/, '');

  /** A CSV download's text (`GET`), or the same errors as {@link call}. */
  async function csv(path: string): Promise<string> {
    const response = await fetchImpl(`${root}${path}`, {
      headers: { Accept: 'text/csv', Authorization: `Bearer ${getToken()}` },
    });
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response, parseJson(text));
    return text;
  }

  async function call<T>(
    schema: z.ZodType<T>,
    method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    { signal }: CallOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${getToken()}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${root}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new FlexcordApiError(
        'network',
        `Flexcord is not reachable at ${root}. Check the bridge and its CORS setting.`,
        {
          cause: error,
        },
      );
    }

    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw errorFromResponse(response, json);

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new FlexcordApiError(
        'bad_response',
        `Flexcord sent an answer this plugin does not understand (${method} ${path}).`,
        {
          status: response.status,
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }

  return {
    /** `GET /api/cases?conversationSid=…` or `?memberId=…`. */
    listCases(query: ListCasesQuery, options?: CallOptions): Promise<CaseListResponse> {
      const search = new URLSearchParams(query).toString();
      return call(CaseListResponseSchema, 'GET', `/api/cases?${search}`, undefined, options);
    },
    /** `GET /api/cases?q=…&type=…&status=…&sort=…&cursor=…`: one page of the case desk. */
    searchCases(query: CaseSearchInput, options?: CallOptions): Promise<CaseSearchResponse> {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
        search.set(key, Array.isArray(value) ? value.join(',') : String(value));
      }
      // At least one parameter, so the bridge answers the desk (a lone memberId is the plain list).
      if (!search.has('sort')) search.set('sort', 'updated');
      return call(CaseSearchResponseSchema, 'GET', `/api/cases?${search}`, undefined, options);
    },
    /** `GET /api/cases/:number`: the case, its timeline (internal notes included) and the member. */
    getCase(caseNumber: number, options?: CallOptions): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'GET', `/api/cases/${caseNumber}`, undefined, options);
    },
    /** `PATCH /api/cases/:number`: status, priority, `assignee: 'me' | null`. */
    updateCase(caseNumber: number, update: UpdateCaseRequest): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'PATCH', `/api/cases/${caseNumber}`, update);
    },
    /** `POST /api/cases/:number/notes`: an internal note, never shown to the member. */
    addNote(caseNumber: number, note: AddNoteRequest): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'POST', `/api/cases/${caseNumber}/notes`, note);
    },
    /**
     * `GET /api/cases/:number/transcript?format=md|html`: the case's kept chats as a document to
     * save, with the file name the bridge gives it.
     */
    async transcript(
      caseNumber: number,
      format: 'md' | 'html' = 'md',
    ): Promise<{ blob: Blob; filename: string }> {
      const path = `/api/cases/${caseNumber}/transcript?format=${format}`;
      let response: Response;
      try {
        response = await fetchImpl(`${root}${path}`, { headers: { Authorization: `Bearer ${getToken()}` } });
      } catch (error) {
        throw new FlexcordApiError('network', `Flexcord is not reachable at ${root}.`, { cause: error });
      }
      if (!response.ok) throw errorFromResponse(response, parseJson(await response.text()));
      const disposition = response.headers.get('content-disposition') ?? '';
      const filename =
        /filename="([^"]+)"/.exec(disposition)?.[1] ?? `case-${caseNumber}-transcript.${format}`;
      return { blob: await response.blob(), filename };
    },
    /** `GET /api/cases/:number/version`: changes whenever the case or its timeline does (what the panel polls). */
    caseVersion(caseNumber: number, options?: CallOptions): Promise<CaseVersionResponse> {
      return call(CaseVersionResponseSchema, 'GET', `/api/cases/${caseNumber}/version`, undefined, options);
    },
    /** `GET /api/wrap-up`: the dispositions offered at wrap-up. */
    wrapUpOptions(options?: CallOptions): Promise<WrapUpOptionsResponse> {
      return call(WrapUpOptionsResponseSchema, 'GET', '/api/wrap-up', undefined, options);
    },
    /** `POST /api/cases/:number/wrap-up`: disposition and note; the bridge completes the task. */
    wrapUp(caseNumber: number, request: WrapUpRequest): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'POST', `/api/cases/${caseNumber}/wrap-up`, request);
    },
    /** `POST /api/cases/:number/replies`: an official answer in the report's public thread. */
    postOfficialReply(caseNumber: number, reply: OfficialReplyRequest): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'POST', `/api/cases/${caseNumber}/replies`, reply);
    },
    /** `GET /api/figures?days=…`: a supervisor's figures (403 `supervisors_only` for other roles). */
    getFigures(days: number, options?: CallOptions): Promise<FiguresResponse> {
      return call(FiguresResponseSchema, 'GET', `/api/figures?days=${days}`, undefined, options);
    },
    /** `GET /api/audit?days=…`: staff actions on cases, newest first (supervisors). */
    getAudit(days: number, options?: CallOptions) {
      return call(AuditResponseSchema, 'GET', `/api/audit?days=${days}`, undefined, options);
    },
    /** `GET /api/audit?format=csv`: the same as a CSV file's text, for a download (supervisors). */
    getAuditCsv(days: number): Promise<string> {
      return csv(`/api/audit?days=${days}&format=csv`);
    },
    /** `GET /api/figures?format=csv`: the figures as a CSV file's text, for a download (supervisors). */
    getFiguresCsv(days: number): Promise<string> {
      return csv(`/api/figures?days=${days}&format=csv`);
    },
    /** `POST /api/cases/:number/duplicate`: closes the case as a duplicate of `of`; answers the original. */
    markDuplicate(caseNumber: number, request: MarkDuplicateRequest): Promise<CaseDetailResponse> {
      return call(CaseDetailResponseSchema, 'POST', `/api/cases/${caseNumber}/duplicate`, request);
    },
    /** `GET /api/kb/search?q=…&limit=…`. */
    searchKb(
      q: string,
      { limit = 5, signal }: CallOptions & { limit?: number } = {},
    ): Promise<KbSearchResponse> {
      const search = new URLSearchParams({ q, limit: String(limit) }).toString();
      return call(KbSearchResponseSchema, 'GET', `/api/kb/search?${search}`, undefined, { signal });
    },
    /**
     * `POST /api/kb/gaps/phrasings`: this agent answered the chat with this article; if the bot had
     * missed the question, the pair is proposed as a learned phrasing for a supervisor to decide.
     */
    proposePhrasing(request: ProposePhrasingRequest): Promise<ProposePhrasingResponse> {
      return call(ProposePhrasingResponseSchema, 'POST', '/api/kb/gaps/phrasings', request);
    },
    /** `GET /api/kb/gaps?days=…`: the KB gaps report, with the learned phrasings waiting for a decision. */
    getKbGaps(days: number, options?: CallOptions): Promise<KbGapsResponse> {
      return call(KbGapsResponseSchema, 'GET', `/api/kb/gaps?days=${days}`, undefined, options);
    },
    /**
     * `POST /api/kb/gaps/phrasings/:id` (supervisors): approve a learned phrasing, reject it, or
     * reassign it to another article (and approve).
     */
    decidePhrasing(id: string, decision: DecidePhrasingRequest): Promise<DecidePhrasingResponse> {
      return call(
        DecidePhrasingResponseSchema,
        'POST',
        `/api/kb/gaps/phrasings/${encodeURIComponent(id)}`,
        decision,
      );
    },
    /** `GET /api/canned-replies`: the shared canned replies and this agent's personal ones, as written. */
    listCannedReplies(options?: CallOptions): Promise<CannedReplyListResponse> {
      return call(CannedReplyListResponseSchema, 'GET', '/api/canned-replies', undefined, options);
    },
    /** `GET /api/canned-replies/filled?conversationSid=…`: each reply in the member's language, variables filled. */
    filledCannedReplies(
      conversationSid: string,
      options?: CallOptions,
    ): Promise<FilledCannedRepliesResponse> {
      const search = new URLSearchParams({ conversationSid }).toString();
      return call(
        FilledCannedRepliesResponseSchema,
        'GET',
        `/api/canned-replies/filled?${search}`,
        undefined,
        options,
      );
    },
    /** `POST /api/canned-replies/{shared|personal}` (shared: supervisors only). */
    async createCannedReply(scope: CannedReplyScope, input: CannedReplyInput): Promise<CannedReply> {
      return (await call(CannedReplyResponseSchema, 'POST', `/api/canned-replies/${scope}`, input)).reply;
    },
    /** `PUT /api/canned-replies/{shared|personal}/:id`: the whole reply. */
    async updateCannedReply(
      scope: CannedReplyScope,
      id: string,
      input: CannedReplyInput,
    ): Promise<CannedReply> {
      const path = `/api/canned-replies/${scope}/${encodeURIComponent(id)}`;
      return (await call(CannedReplyResponseSchema, 'PUT', path, input)).reply;
    },
    /** `DELETE /api/canned-replies/{shared|personal}/:id`. */
    deleteCannedReply(scope: CannedReplyScope, id: string): Promise<CannedReplyDeletedResponse> {
      const path = `/api/canned-replies/${scope}/${encodeURIComponent(id)}`;
      return call(CannedReplyDeletedResponseSchema, 'DELETE', path);
    },
  };
}

export type FlexcordApi = ReturnType<typeof createFlexcordApi>;

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFromResponse(response: Response, json: unknown): FlexcordApiError {
  const body = ApiErrorSchema.safeParse(json);
  const status = response.status;
  if (status === 401) {
    const reason = body.success ? ` (${body.data.error.message})` : '';
    return new FlexcordApiError(
      'unauthorized',
      `Flexcord did not accept your Flex session${reason}. Reload Flex to sign in again.`,
      { status, ...(body.success ? { issues: body.data.error.issues } : {}) },
    );
  }
  if (body.success) {
    return new FlexcordApiError(body.data.error.code, body.data.error.message, {
      status,
      issues: body.data.error.issues,
    });
  }
  return new FlexcordApiError(`http_${status}`, `Flexcord answered ${status} ${response.statusText}`.trim(), {
    status,
  });
}
