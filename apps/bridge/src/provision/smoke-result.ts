import type { REST } from 'discord.js';
import type { Twilio } from 'twilio';

/** One check's outcome: passed, or a problem in a plain sentence and the fix. */
export interface SmokeResult {
  check: string;
  ok: boolean;
  /** What passed, or what is wrong. */
  message: string;
  fix?: string;
}

export interface SmokeDeps {
  twilio: Twilio;
  rest: REST;
  /** How the bridge is reached (default: `fetch`). */
  fetch?: typeof fetch;
  /** The plugin bundle to compare with the released one (default: the built one, when present). */
  bundlePath?: string;
  /** How long the gateway may take to accept the bot (default 20 s). */
  gatewayTimeoutMs?: number;
}

export const pass = (check: string, message: string): SmokeResult => ({ check, ok: true, message });
export const fail = (check: string, message: string, fix: string): SmokeResult => ({
  check,
  ok: false,
  message,
  fix,
});

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A read that may fail, kept as its value or its error (one check's failure is a sentence, not a crash). */
export async function settle<T>(
  run: () => Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `${code ?? statusOf(error) ?? '?'}: ${message}`;
}
