import { describe, expect, it } from 'vitest';
import { isAgentRequest } from '../src/domain/virtual-agent/agent-request.ts';

describe('isAgentRequest', () => {
  it.each([
    'agent',
    'Can I talk to a human?',
    'I want a real person please',
    'quiero hablar con un agente',
    'una persona por favor',
    'Agénte',
  ])('hears "%s" as asking for an agent', (text) => expect(isAgentRequest(text)).toBe(true));

  it.each(['my game crashes on startup', 'I did not get my shards', 'agentless mode?', 'reset password'])(
    'hears "%s" as a question',
    (text) => expect(isAgentRequest(text)).toBe(false),
  );
});
