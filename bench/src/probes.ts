import type { BenchStack } from './stack.ts';

/** Texts the probe recognises: member DMs start with `m|`, agent messages with `a|`. */
export const MEMBER_PREFIX = 'm|';
export const AGENT_PREFIX = 'a|';
/** The author line the bridge puts above an agent's text in Discord (`AGENT_AUTHOR_FORMAT`). */
const AUTHOR_LINE = /^-# [^\n]*\n/;

/** An agent message's text as the member reads it, without the bridge's author line. */
export function agentText(content: string): string {
  return content.replace(AUTHOR_LINE, '');
}

/**
 * Timestamps (`performance.now()` of the harness process, which hosts both emulators) of each
 * benchmark message at both ends of a hop:
 *
 * - member → Twilio: **in** when `sendMessage` has written the MESSAGE_CREATE frame to the bot's
 *   gateway socket (the emulator dispatches synchronously); **out** when the Twilio emulator, handling
 *   the `POST …/Conversations/{sid}/Messages` call, adds the message (its `message.added` event).
 * - agent → member: **in** when the Twilio emulator calls `fetch` to send the signed `onMessageAdded`
 *   webhook (a wrapper around the harness's global `fetch`); **out** when the Discord emulator,
 *   handling `POST /channels/{id}/messages`, creates the message (its `message.created` event).
 *
 * Both "out" stamps include the emulator parsing the API call (the same for bridge and baseline).
 */
export class RelayProbe {
  readonly memberIn = new Map<string, number>();
  readonly memberOut = new Map<string, number>();
  readonly agentIn = new Map<string, number>();
  readonly agentOut = new Map<string, number>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly originalFetch = globalThis.fetch;

  constructor(private readonly stack: BenchStack) {
    this.unsubscribe.push(
      stack.twilio.control.subscribe((event) => {
        if (event.type !== 'message.added') return;
        const body = (event.data.message as { body?: string | null } | undefined)?.body;
        if (body?.startsWith(MEMBER_PREFIX) && !this.memberOut.has(body))
          this.memberOut.set(body, performance.now());
      }),
      stack.discord.control.subscribe(({ event }) => {
        if (event.type !== 'message.created') return;
        // The bridge heads an agent's message with its author line (`-# Dana · Brand`).
        const content = agentText(event.message.content);
        if (content.startsWith(AGENT_PREFIX) && !this.agentOut.has(content))
          this.agentOut.set(content, performance.now());
      }),
    );
    const original = this.originalFetch;
    globalThis.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/webhooks/twilio/conversations') && typeof init?.body === 'string') {
        const body = new URLSearchParams(init.body).get('Body');
        if (body?.startsWith(AGENT_PREFIX) && !this.agentIn.has(body))
          this.agentIn.set(body, performance.now());
      }
      return original(input, init);
    };
  }

  /** A member DM, stamped as it leaves the gateway. */
  sendMember(user: string, text: string): void {
    this.stack.discord.control.sendMessage({ user, content: text });
    this.memberIn.set(text, performance.now());
  }

  /** An agent message from Flex (its webhook is stamped when Twilio sends it). */
  sendAgent(conversationSid: string, text: string): void {
    this.stack.twilio.control.sendAgentMessage('Dana', conversationSid, { body: text });
  }

  /** Milliseconds from in to out of each text that made it; the rest are counted as lost. */
  latencies(texts: string[], direction: 'member' | 'agent'): { samples: number[]; lost: number } {
    const inMap = direction === 'member' ? this.memberIn : this.agentIn;
    const outMap = direction === 'member' ? this.memberOut : this.agentOut;
    const samples: number[] = [];
    let lost = 0;
    for (const text of texts) {
      const start = inMap.get(text);
      const end = outMap.get(text);
      if (start === undefined || end === undefined) lost += 1;
      else samples.push(end - start);
    }
    return { samples, lost };
  }

  delivered(texts: string[], direction: 'member' | 'agent'): number {
    const outMap = direction === 'member' ? this.memberOut : this.agentOut;
    let count = 0;
    for (const text of texts) if (outMap.has(text)) count += 1;
    return count;
  }

  /** Forgets every stamp (between runs, so maps stay small). */
  clear(): void {
    for (const map of [this.memberIn, this.memberOut, this.agentIn, this.agentOut]) map.clear();
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    globalThis.fetch = this.originalFetch;
  }
}
