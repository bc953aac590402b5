import { type Fixture, shardForGuild, snowflakeAt } from '@flexcord/discord-emulator';
import { type BridgeProcess, eventually, freePort, startLoadBalancer } from '@flexcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityFixture } from './helpers/fixture.ts';
import { postgresAvailable } from './helpers/postgres.ts';
import { type Stack, spawnBridge, startStack } from './helpers/stack.ts';
import { botDm } from './helpers/story-steps.ts';

const withPostgres = await postgresAvailable();

/** Two guilds whose ids put them on different shards of two. */
function twoShardFixture(): Fixture {
  const base = Date.parse('2024-01-01T00:00:00Z');
  const [first, second] = [0, 1].map((shard) => {
    for (let ms = base; ; ms += 1) {
      const id = snowflakeAt(ms);
      if (shardForGuild(id, 2) === shard) return id;
    }
  });
  const guild = communityFixture.guilds![0]!;
  return {
    users: [...communityFixture.users!, { username: 'nova', global_name: 'Nova' }],
    guilds: [
      { ...guild, id: first! },
      {
        id: second!,
        name: 'Starfall Arena EU',
        members: [{ user: 'nova' }],
        channels: [{ name: 'help' }],
      },
    ],
  };
}

interface Readiness {
  status: string;
  checks: { shards: number[] };
}

/**
 * Several bridge instances on one Postgres: webhooks on any instance, each gateway shard run by
 * exactly one instance, and a dead instance's shard taken over by another within seconds.
 */
describe.skipIf(!withPostgres)('two bridge instances, two shards, one Postgres', () => {
  let stack: Stack;
  const instances: BridgeProcess[] = [];
  const urls: string[] = [];
  let balancer: Awaited<ReturnType<typeof startLoadBalancer>> | null = null;

  const readiness = async (url: string): Promise<Readiness | null> => {
    const response = await fetch(`${url}/readyz`).catch(() => null);
    return response ? ((await response.json()) as Readiness) : null;
  };

  beforeAll(async () => {
    stack = await startStack({
      storage: 'postgres',
      inProcessBridge: false,
      discordOptions: { shards: 2, fixture: twoShardFixture() },
    });
    // Twilio calls the public URL: a load balancer in front of both instances, each on its own port.
    const ports = [await freePort(), await freePort()];
    urls.push(...ports.map((port) => `http://127.0.0.1:${port}`));
    balancer = await startLoadBalancer(Number(new URL(stack.env.PUBLIC_BASE_URL!).port), urls);
    for (const [index, port] of ports.entries()) {
      const env: Record<string, string> = {
        ...stack.env,
        PORT: String(port),
        DISCORD_SHARD_POLL_SECONDS: '0.5',
      };
      instances.push(await spawnBridge(env, { url: urls[index]! }));
    }
  }, 120_000);
  afterAll(async () => {
    for (const instance of instances) await instance.kill().catch(() => undefined);
    await balancer?.close();
    await stack?.stop();
  });

  it('runs each shard in exactly one instance', async () => {
    const held = await eventually(async () => {
      const [a, b] = await Promise.all(urls.map(readiness));
      const all = [...(a?.checks.shards ?? []), ...(b?.checks.shards ?? [])].sort();
      return all.length === 2 ? [a!.checks.shards, b!.checks.shards] : undefined;
    }, 'both shards held');
    expect([...held[0]!, ...held[1]!].sort()).toEqual([0, 1]);
    expect(
      stack.discord.control.gateway
        .sessions()
        .filter((session) => session.connected)
        .map((s) => s.shard[0])
        .sort(),
    ).toEqual([0, 1]);
  });

  it('handles every event once: /helpme in each guild greets each member once', async () => {
    await stack.discord.control.runCommand({
      user: 'pixelpat',
      name: 'helpme',
      guild: stack.discord.control.guilds()[0]!.id,
    });
    await stack.discord.control.runCommand({ user: 'nova', name: 'helpme', guild: 'Starfall Arena EU' });
    await stack.discord.control.waitForMessage({ dmWith: 'pixelpat', contains: 'Hi Pat' });
    await stack.discord.control.waitForMessage({ dmWith: 'nova', contains: 'Hi Nova' });
    stack.discord.control.sendMessage({ user: 'nova', content: 'my game keeps crashing when I launch it' });
    await stack.discord.control.waitForMessage({
      dmWith: 'nova',
      predicate: (message) => message.embeds.length > 0,
    });
    await stack.twilio.control.settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(botDm(stack, 'pixelpat').filter((text) => text.startsWith('Hi Pat'))).toHaveLength(1);
    expect(botDm(stack, 'nova').filter((text) => text.startsWith('Hi Nova'))).toHaveLength(1);
    expect(
      stack.discord.control.dmMessages('nova').filter((message) => message.embeds.length > 0),
    ).toHaveLength(1);
    expect(stack.twilio.control.conversations()).toHaveLength(2);
  });

  it('moves a dead instance’s shard to the other within seconds', async () => {
    // Kill the instance that runs shard 0, which carries every DM.
    const first = await readiness(urls[0]!);
    const victim = first!.checks.shards.includes(0) ? 0 : 1;
    const survivor = 1 - victim;
    const killedAt = Date.now();
    await instances[victim]!.kill();
    const taken = await eventually(
      async () => {
        const state = await readiness(urls[survivor]!);
        return state?.checks.shards.length === 2 && state.status === 'ready' ? state : undefined;
      },
      'the survivor holding both shards',
      20_000,
    );
    expect(taken.checks.shards).toEqual([0, 1]);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    // And the moved shard works: a member of its guild is answered.
    stack.discord.control.sendMessage({ user: 'nova', content: 'reset my password' });
    await stack.discord.control.waitForMessage({
      dmWith: 'nova',
      predicate: (message) => JSON.stringify(message.embeds).includes('reset-password'),
    });
  });
});
