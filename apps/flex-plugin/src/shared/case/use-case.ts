import {
  type Case,
  type CaseDetailResponse,
  type CaseStatus,
  OPEN_CASE_STATUSES,
  type UpdateCaseRequest,
  type WrapUpRequest,
} from '@flexcord/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type AgentContext, caseNumberOf } from '../../agent/agent-context.ts';
import type { FlexcordApi } from '../../agent/flexcord-api.ts';
import { asError, useFlexcordApi } from '../../agent/use-flexcord-api.ts';
import { saveFile } from '../save-file.ts';

export type CaseLoad =
  | { kind: 'loading' }
  | { kind: 'no-case' }
  | { kind: 'failed'; error: Error }
  | { kind: 'ready'; detail: CaseDetailResponse };

/**
 * The case behind the agent's task — the `caseNumber` attribute, else the case linked to the task's
 * Conversation — with its timeline and member, and the changes an agent can make to it. Each change
 * shows the bridge's answer at once; a refusal lands in `actionError` with the bridge's message.
 */
/** How often the panel looks for changes made elsewhere (ms). */
export const CASE_REFRESH_MS = 3000;

export function useCase(agent: AgentContext, refreshMs = CASE_REFRESH_MS) {
  const api = useFlexcordApi(agent);
  const caseNumber = caseNumberOf(agent.task.attributes);
  const conversationSid = agent.task.conversationSid;
  const [load, setLoad] = useState<CaseLoad>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how "Try again" reloads.
  useEffect(() => {
    const controller = new AbortController();
    setLoad({ kind: 'loading' });
    loadCase(api, caseNumber, conversationSid, controller.signal).then(
      (detail) => {
        if (!controller.signal.aborted) setLoad(detail ? { kind: 'ready', detail } : { kind: 'no-case' });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ kind: 'failed', error: asError(error) });
      },
    );
    return () => controller.abort();
  }, [api, caseNumber, conversationSid, attempt]);

  // Follow changes made elsewhere (another agent, the member, the bridge): poll the case's version
  // and reload it, quietly, when it moved. Also picks up the case a chat gets linked to later.
  const current = load.kind === 'ready' ? load.detail.case.number : null;
  const noCase = load.kind === 'no-case';
  const loadedVersion = useRef<string | null>(null);
  useEffect(() => {
    if (current === null && !noCase) return;
    const controller = new AbortController();
    const signal = controller.signal;
    const tick = async () => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      if (current === null) {
        const detail = await loadCase(api, caseNumber, conversationSid, signal);
        if (detail && !signal.aborted) setLoad({ kind: 'ready', detail });
        return;
      }
      const { version } = await api.caseVersion(current, { signal });
      if (version === loadedVersion.current || signal.aborted) return;
      const detail = await api.getCase(current, { signal });
      loadedVersion.current = version;
      if (!signal.aborted) setLoad({ kind: 'ready', detail });
    };
    const timer = setInterval(() => {
      // A failed poll is retried at the next tick; the panel keeps what it shows.
      tick().catch(() => undefined);
    }, refreshMs);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [api, current, noCase, caseNumber, conversationSid, refreshMs]);

  const change = useCallback(
    async (send: (caseNumber: number) => Promise<CaseDetailResponse>): Promise<boolean> => {
      if (current === null) return false;
      setSaving(true);
      setActionError(null);
      try {
        setLoad({ kind: 'ready', detail: await send(current) });
        loadedVersion.current = null;
        return true;
      } catch (error) {
        setActionError(asError(error));
        return false;
      } finally {
        setSaving(false);
      }
    },
    [current],
  );

  return {
    api,
    load,
    saving,
    actionError,
    dismissActionError: () => setActionError(null),
    retry: () => setAttempt((n) => n + 1),
    update: (update: UpdateCaseRequest) => change((n) => api.updateCase(n, update)),
    addNote: (body: string) => change((n) => api.addNote(n, { body })),
    wrapUp: (request: WrapUpRequest) => change((n) => api.wrapUp(n, request)),
    postOfficialReply: (body: string) => change((n) => api.postOfficialReply(n, { body })),
    /** Saves the case's transcript (Markdown) through the browser's download; false when it failed. */
    downloadTranscript: async (): Promise<boolean> => {
      if (current === null) return false;
      setActionError(null);
      try {
        const { blob, filename } = await api.transcript(current);
        saveFile(blob, filename);
        return true;
      } catch (error) {
        setActionError(asError(error));
        return false;
      }
    },
    /** Closes this case as a duplicate of `of`, then shows this case as it is now. */
    markDuplicate: (of: number) =>
      change(async (n) => {
        await api.markDuplicate(n, { of });
        return api.getCase(n);
      }),
  };
}

const openStatuses = new Set<CaseStatus>(OPEN_CASE_STATUSES);

/** Of a Conversation's cases, the open one (the bridge links one at a time), else the latest. */
export function pickCase(cases: readonly Case[]): Case | undefined {
  return cases.find((c) => openStatuses.has(c.status)) ?? cases[0];
}

async function loadCase(
  api: FlexcordApi,
  caseNumber: number | null,
  conversationSid: string | undefined,
  signal: AbortSignal,
): Promise<CaseDetailResponse | null> {
  let number = caseNumber;
  if (number === null && conversationSid) {
    const { cases } = await api.listCases({ conversationSid }, { signal });
    number = pickCase(cases)?.number ?? null;
  }
  return number === null ? null : api.getCase(number, { signal });
}
