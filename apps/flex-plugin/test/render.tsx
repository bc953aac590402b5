import { render } from '@testing-library/react';
import { CustomizationProvider } from '@twilio-paste/core/customization';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { AgentContext } from '../src/agent/agent-context.ts';

/** Renders inside Paste's theme, as Flex does once the plugin has set its providers. */
export function renderWithPaste(ui: ReactElement) {
  return render(<CustomizationProvider baseTheme="default">{ui}</CustomizationProvider>);
}

export const API = 'http://bridge.test';

/** An agent outside Flex: the same components, a hand-made context. */
export function anAgent(
  attributes: Record<string, unknown>,
  overrides: Partial<AgentContext> = {},
): AgentContext {
  const conversationSid =
    typeof attributes.conversationSid === 'string' ? attributes.conversationSid : undefined;
  return {
    task: { sid: `WT${'a'.repeat(32)}`, attributes, ...(conversationSid ? { conversationSid } : {}) },
    token: 'agent-token',
    apiBaseUrl: API,
    insertText: vi.fn(),
    ...overrides,
  };
}

export interface FetchCall {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

/**
 * A `fetch` for component tests: `answer` maps each request to a status and JSON body; `calls`
 * records what was sent.
 */
export function stubFetch(answer: (call: FetchCall) => { status?: number; body: unknown }) {
  const calls: FetchCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const call: FetchCall = {
      method: init?.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: new Headers(init?.headers).get('Authorization'),
    };
    calls.push(call);
    const { status = 200, body } = answer(call);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, fetch };
}
