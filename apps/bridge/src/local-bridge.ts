import { createServer } from 'node:net';
import { twilioClientOptions } from '@flexcord/twilio-client';
import twilio, { type Twilio } from 'twilio';
import { connectTwilioToBridge } from './twilio/deploy-flow.ts';

/** Where the bridge reaches Discord: a bot token and the REST base (the emulator's `/api` locally). */
export interface DiscordTarget {
  botToken: string;
  applicationId: string;
  apiUrl: string;
  /** Discord's CDN base (the emulator's URL locally): avatar links point there. */
  cdnUrl?: string;
}

/** A Twilio account as the bridge needs it (the emulator's, locally): its URL, credentials and Flex SIDs. */
export interface TwilioTarget {
  url: string;
  accountSid: string;
  authToken: string;
  conversationsServiceSid: string;
  workspaceSid: string;
  workflowSid: string;
  chatTaskChannelSid: string;
}

export interface LocalBridge {
  port: number;
  publicBaseUrl: string;
  flowSid: string;
  /** The real twilio-node client on that account. */
  client: Twilio;
  /** The bridge's environment (add NODE_ENV, KB_DIR, storage… as the caller needs). */
  env: Record<string, string>;
}

/** A free loopback port, so a bridge's public URL is known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Prepares a bridge that will listen on loopback (on `port`, or a free one) against the given
 * Discord and Twilio (the emulators, for tests, benchmarks and the sandbox): the Twilio side is
 * pointed at it with {@link connectTwilioToBridge}, and its environment is returned.
 */
export async function prepareLocalBridge(
  discord: DiscordTarget,
  account: TwilioTarget,
  options: { port?: number; host?: string } = {},
): Promise<LocalBridge> {
  const port = options.port ?? (await freePort());
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const client = twilio(account.accountSid, account.authToken, twilioClientOptions(account.url));
  const flow = await connectTwilioToBridge(client, {
    publicBaseUrl,
    workspaceSid: account.workspaceSid,
    workflowSid: account.workflowSid,
    chatTaskChannelSid: account.chatTaskChannelSid,
  });
  return {
    port,
    publicBaseUrl,
    flowSid: flow.sid,
    client,
    env: {
      PORT: String(port),
      HOST: options.host ?? '127.0.0.1',
      PUBLIC_BASE_URL: publicBaseUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      ...(discord.cdnUrl ? { DISCORD_CDN_URL: discord.cdnUrl } : {}),
      TWILIO_ACCOUNT_SID: account.accountSid,
      TWILIO_AUTH_TOKEN: account.authToken,
      TWILIO_API_BASE_URL: account.url,
      TWILIO_CONVERSATIONS_SERVICE_SID: account.conversationsServiceSid,
      TWILIO_STUDIO_FLOW_SID: flow.sid,
    },
  };
}
