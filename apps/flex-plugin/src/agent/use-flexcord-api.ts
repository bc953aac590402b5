import { useMemo, useRef } from 'react';
import type { AgentContext } from './agent-context.ts';
import { createFlexcordApi, type FlexcordApi } from './flexcord-api.ts';

/** A bridge client for this agent; it reads the latest token at every call, so a refresh needs no new client. */
export function useFlexcordApi(agent: AgentContext): FlexcordApi {
  const token = useRef(agent.token);
  token.current = agent.token;
  return useMemo(
    () => createFlexcordApi({ baseUrl: agent.apiBaseUrl, getToken: () => token.current }),
    [agent.apiBaseUrl],
  );
}

/** Any thrown value as an `Error` whose message can be shown to the agent. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
