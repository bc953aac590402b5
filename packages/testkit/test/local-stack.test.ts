import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../src/local-stack.ts';

/** A stand-in for the bridge started in-process: it listens where the stack says and remembers its env. */
async function listeningBridge(env: Record<string, string>) {
  const server: Server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(Number(env.PORT), env.HOST, resolve));
  return {
    env,
    stopped: false,
    async stop() {
      this.stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the local stack', () => {
  it('starts both emulators, deploys the flow with the bridge’s bot URL and points TaskRouter at the bridge', async () => {
    const stack = await startLocalStack({ env: { NODE_ENV: 'test' } });
    try {
      expect(stack.bridge).toBeNull();
      expect(stack.env).toMatchObject({
        PORT: String(stack.port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: `http://127.0.0.1:${stack.port}`,
        DISCORD_API_URL: stack.discord.apiUrl,
        DISCORD_TOKEN: stack.discord.botToken,
        TWILIO_API_BASE_URL: stack.twilio.url,
        TWILIO_STUDIO_FLOW_SID: stack.flowSid,
        NODE_ENV: 'test',
      });
      const flow = await stack.client.studio.v2.flows(stack.flowSid).fetch();
      expect(flow.status).toBe('published');
      expect(JSON.stringify(flow.definition)).toContain(`${stack.publicBaseUrl}/webhooks/twilio/bot`);
      const workspace = await stack.client.taskrouter.v1.workspaces(stack.twilio.workspaceSid).fetch();
      expect(workspace.eventCallbackUrl).toBe(`${stack.publicBaseUrl}/webhooks/twilio/taskrouter`);
    } finally {
      await stack.stop();
    }
    await expect(fetch(stack.discord.url)).rejects.toThrow();
    await expect(fetch(stack.twilio.url)).rejects.toThrow();
  });

  it('starts the bridge in-process with the stack’s environment, restarts it on the same port, and stops it', async () => {
    const stack = await startLocalStack({ startBridge: listeningBridge });
    const first = stack.bridge!;
    expect(first.env).toBe(stack.env);
    expect(await (await fetch(stack.publicBaseUrl)).text()).toBe('ok');

    const second = await stack.restartBridge();
    expect(first.stopped).toBe(true);
    expect(stack.bridge).toBe(second);
    expect(await (await fetch(stack.publicBaseUrl)).text()).toBe('ok');

    await stack.stop();
    expect(second.stopped).toBe(true);
  });

  it('a bridge that fails to start stops the emulators it started', async () => {
    let discordUrl = '';
    const failure = await startLocalStack({
      startBridge: async (env) => {
        discordUrl = env.DISCORD_API_URL!;
        throw new Error('DISCORD_TOKEN is invalid');
      },
    }).catch((error: unknown) => error);
    expect(String(failure)).toContain('DISCORD_TOKEN is invalid');
    await expect(fetch(discordUrl)).rejects.toThrow();
  });
});
