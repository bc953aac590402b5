import twilio from 'twilio';
import type { SmokeOptions } from './smoke-config.ts';
import { describeError, fail, pass, type SmokeDeps, type SmokeResult } from './smoke-result.ts';

/** The bridge at PUBLIC_BASE_URL: it answers, accepts Twilio's signature and refuses unsigned webhooks. */
export async function bridgeChecks(options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult[]> {
  const http = deps.fetch ?? fetch;
  const base = options.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const health = await http(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(
    (error: unknown) => error,
  );
  if (health instanceof Error || !(health instanceof Response) || !health.ok) {
    return [
      fail(
        'Bridge at PUBLIC_BASE_URL',
        `Nothing healthy answers at ${base}/healthz (${health instanceof Response ? `HTTP ${health.status}` : describeError(health)}): Twilio's webhooks cannot reach the bridge.`,
        'Start the bridge and make PUBLIC_BASE_URL its public HTTPS address (docs/deploy.md §5: the proxy must forward /webhooks and /api).',
      ),
    ];
  }
  const results = [pass('Bridge at PUBLIC_BASE_URL', `${base}/healthz answers`)];

  // A request signed as Twilio signs it must pass the bridge's signature check; an unsigned one must not.
  const url = `${base}/webhooks/twilio/taskrouter`;
  const params = { EventType: 'flexcord.smoke-check' };
  const signature = twilio.getExpectedTwilioSignature(options.TWILIO_AUTH_TOKEN, url, params);
  const post = (headers: Record<string, string>) =>
    http(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => error);
  const signed = await post({ 'X-Twilio-Signature': signature });
  const unsigned = await post({});
  const codeOf = async (response: unknown) =>
    response instanceof Response
      ? ((await response.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code
      : undefined;
  const signedCode = await codeOf(signed);
  if (!(signed instanceof Response) || signed.status >= 500) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge did not answer a signed webhook at ${url} (${signed instanceof Response ? `HTTP ${signed.status}` : describeError(signed)}).`,
        'Look at the bridge logs for the error, then run the check again.',
      ),
    );
  } else if (signedCode?.startsWith('signature_')) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge refused a webhook signed with TWILIO_AUTH_TOKEN for ${url} (${signedCode}): it runs with another auth token or another PUBLIC_BASE_URL, so it refuses every Twilio webhook.`,
        'Give the bridge the same TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL as this .env (a proxy must not rewrite the host or path), then restart it.',
      ),
    );
  } else if (unsigned instanceof Response && unsigned.status < 400) {
    results.push(
      fail(
        'Webhook signature',
        `The bridge accepted an unsigned webhook at ${url}: anyone could post as Twilio.`,
        'Run the released bridge (it refuses unsigned webhooks with 400) and check that no proxy answers for it.',
      ),
    );
  } else {
    results.push(
      pass('Webhook signature', `${url} accepts Twilio's signature and refuses unsigned requests`),
    );
  }
  return results;
}
