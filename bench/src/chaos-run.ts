/** `npm run chaos`: the relay under faults, by hand (not part of `npm test`). Flags: {@link USAGE}. */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { freePort, type LoadBalancer, startLoadBalancer } from '@flexcord/testkit';
import { terminateLeaseOwnerSessions } from './chaos/lease-owner-loss.ts';
import { type ChaosPostgres, startChaosPostgres } from './chaos/postgres-server.ts';
import { type FaultReadiness, ReadinessProber } from './chaos/readiness.ts';
import { type DirectionTally, intact, tally } from './chaos/tally.ts';
import { transientErrorBurst } from './chaos/transient-errors.ts';
import { type Child, spawnChild } from './child.ts';
import { machine, RESULTS_DIR } from './report.ts';
import { type BenchStack, type Chat, chatThroughBridge, startBenchStack } from './stack.ts';
import { sleep } from './stats.ts';

const USAGE = `\`npm run chaos\`: 500 messages each way through the bridge (its own process, on a Postgres
server of the run's own) while the emulators fail 10-15% of API calls, the bridge is killed three
times, Postgres restarts and stalls, claims fail with 40001, and the outbox lease owner's lock
session is ended while Twilio holds posts; prints lost / duplicated / reordered per direction and
the time to drain. ~4 min. Flags (defaults):

  --messages 500          each way
  --chats 10              members, each with an agent (the messages are spread round-robin)
  --rate 5                messages per second each way
  --kills 3               SIGKILLs of the bridge (restarted at once)
  --instances 1           bridge processes on the one Postgres; with 2, Twilio's webhooks reach them
                          through a load balancer, one holds the gateway shard, and the kills
                          alternate between them (the first kill hits the shard's holder)
  --pg-down-ms 3000       how long the Postgres restart keeps the server down
  --stall-ms 10000        how long Postgres is frozen
  --burst-ms 10000 --burst-every 3   the 40001 burst: how long, and every how many claims fails
  --drain-timeout 180     seconds to wait after the last send for everything to arrive
  --seed 17               of the emulators' random faults
  --out chaos-latest      results/<out>.json and results/<out>.md
  -h, --help`;

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '500' },
    chats: { type: 'string', default: '10' },
    rate: { type: 'string', default: '5' },
    kills: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1' },
    'pg-down-ms': { type: 'string', default: '3000' },
    'stall-ms': { type: 'string', default: '10000' },
    'burst-ms': { type: 'string', default: '10000' },
    'burst-every': { type: 'string', default: '3' },
    'drain-timeout': { type: 'string', default: '180' },
    seed: { type: 'string', default: '17' },
    out: { type: 'string', default: 'chaos-latest' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const num = (name: keyof typeof values) => Number(values[name]);
const COUNT = num('messages');
const RATE = num('rate');
const INSTANCES = num('instances');
if (INSTANCES !== 1 && INSTANCES !== 2) {
  console.error(`--instances must be 1 or 2, got ${values.instances}`);
  process.exit(2);
}
const MEMBER = 'm|';
const AGENT = 'a|';
/** An agent message's author line in the DM (`-# Dana · Support`), as the bridge writes it by default. */
const AUTHOR_LINE = /^-# .+ · .+\n/;

const started = performance.now();
const machineAtStart = machine();
const elapsed = () => Math.round(performance.now() - started);
function log(message: string): void {
  console.log(`[chaos ${(elapsed() / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

/** What happened when, for the report. */
const timeline: { at: number; event: string; ms?: number }[] = [];
const note = (event: string, ms?: number) => {
  timeline.push({ at: elapsed(), event, ...(ms === undefined ? {} : { ms: Math.round(ms) }) });
  log(ms === undefined ? event : `${event} (${Math.round(ms)} ms)`);
};

let postgres: ChaosPostgres | null = null;
let stack: BenchStack | null = null;
/** The bridge processes: one, or two behind {@link balancer}. */
const bridges: Child[] = [];
/** The port each of {@link bridges} listens on. */
const bridgePorts: number[] = [];
let balancer: LoadBalancer | null = null;
/** Set while the run itself kills a bridge (that exit is expected). */
let killing = false;
const cleanUp = async () => {
  killing = true;
  for (const bridge of bridges) await bridge.kill().catch(() => undefined);
  await balancer?.close().catch(() => undefined);
  await stack?.stop().catch(() => undefined);
  await postgres?.destroy().catch(() => undefined);
};
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

/** Exits of the bridge process that the run did not cause (a kill of its own is expected). */
const unexpectedExits: { at: number; code: number | null; signal: string | null }[] = [];
function watch(child: Child): void {
  child.process.once('exit', (code, signal) => {
    if (!killing) {
      unexpectedExits.push({ at: elapsed(), code, signal });
      log(`a bridge EXITED on its own (${signal ?? code}):\n${child.output().slice(-2_000)}`);
    }
  });
}

try {
  postgres = await startChaosPostgres();
  log(`Postgres of the run's own at 127.0.0.1:${postgres.port}`);
  // Twilio's post-event webhooks retried as the emulator does by default (3 times, from 1 s, doubling).
  stack = await startBenchStack(num('chats'), ['c'], { twilio: { webhookRetryDelayMs: 1_000 } });
  const env = { ...stack.env, DATABASE_URL: postgres.url, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  if (INSTANCES === 1) {
    bridges.push(await spawnChild('./bridge-process.ts', env));
    bridgePorts.push(Number(stack.env.PORT));
  } else {
    // Twilio calls the public URL: a load balancer there, each instance on a port of its own; both
    // poll for a gateway shard nobody runs, so a killed holder's shard moves within a second or two.
    const ports = [await freePort(), await freePort()];
    balancer = await startLoadBalancer(
      Number(new URL(stack.publicBaseUrl).port),
      ports.map((port) => `http://127.0.0.1:${port}`),
    );
    for (const port of ports) {
      bridgePorts.push(port);
      bridges.push(
        await spawnChild('./bridge-process.ts', {
          ...env,
          PORT: String(port),
          DISCORD_SHARD_POLL_SECONDS: '0.5',
        }),
      );
    }
    log(`${INSTANCES} bridge instances behind ${balancer.url}`);
  }
  for (const bridge of bridges) watch(bridge);
  const chats: Chat[] = [];
  for (const user of stack.users('c')) chats.push(await chatThroughBridge(stack, user));
  log(`${chats.length} chats with an agent`);
  const url = stack.publicBaseUrl;
  const { discord, twilio } = stack;
  const seed = num('seed');

  // ---- the emulators' faults: ~12% of the relay's API calls each way fail or are slow ----------
  discord.control.faults.random({ percent: 8, seed, status: 502, path: '/channels/**' });
  discord.control.faults.inject({
    method: 'POST',
    path: '/channels/:id/messages',
    status: 429,
    retryAfter: 0.2,
    times: 25,
  });
  discord.control.faults.inject({ method: 'POST', path: '/channels/:id/messages', delayMs: 300, times: 25 });
  for (const rule of [
    { status: 500, probability: 0.05 },
    { status: 429, retryAfterSeconds: 0, probability: 0.03 },
    { delayMs: 300, probability: 0.03 },
    { reset: true, probability: 0.01 },
  ]) {
    twilio.control.injectFault({ match: 'POST /conversations/v1/**/Messages', ...rule });
  }

  // ---- traffic: COUNT messages each way, round-robin over the chats, at RATE per second ----------
  const sentMember = new Map(chats.map((chat) => [chat.userId, [] as string[]]));
  const sentAgent = new Map(chats.map((chat) => [chat.userId, [] as string[]]));
  const trafficStarted = performance.now();
  let lastSend = 0;
  const traffic = (async () => {
    let sent = 0;
    while (sent < COUNT) {
      const due = Math.min(COUNT, Math.floor(((performance.now() - trafficStarted) * RATE) / 1000) + 1);
      for (; sent < due; sent++) {
        const chat = chats[sent % chats.length]!;
        const member = `${MEMBER}${sent}`;
        const agent = `${AGENT}${sent}`;
        discord.control.sendMessage({ user: chat.user, content: member });
        twilio.control.sendAgentMessage('Dana', chat.conversationSid, { body: agent });
        sentMember.get(chat.userId)!.push(member);
        sentAgent.get(chat.userId)!.push(agent);
      }
      await sleep(20);
    }
    lastSend = performance.now();
    note(`last of ${COUNT} messages each way sent`);
  })();

  const received = () => {
    const member = new Map<string, string[]>();
    const agent = new Map<string, string[]>();
    for (const chat of chats) {
      const messages = twilio.control.conversation(chat.conversationSid).messages as {
        author: string;
        body: string | null;
      }[];
      member.set(
        chat.userId,
        messages
          .filter(
            (message) => message.author === `discord:${chat.userId}` && message.body?.startsWith(MEMBER),
          )
          .map((message) => message.body!),
      );
      agent.set(
        chat.userId,
        discord.control
          .dmMessages(chat.user)
          .filter((message) => message.author.id === discord.control.botUserId)
          .map((message) => message.content.replace(AUTHOR_LINE, ''))
          .filter((content) => content.startsWith(AGENT)),
      );
    }
    return { member, agent };
  };
  /**
   * After a fault: how long until every message sent before its end has arrived (the backlog it
   * made is cleared), polled every 250 ms.
   */
  const recoveries: Recovery[] = [];
  const catchUp = (fault: string) => {
    const from = performance.now();
    const snapshot = (sent: Map<string, string[]>) =>
      new Map([...sent].map(([chat, texts]) => [chat, [...texts]]));
    const member = snapshot(sentMember);
    const agent = snapshot(sentAgent);
    const entry: Recovery = { fault, memberMs: null, agentMs: null };
    recoveries.push(entry);
    const missing = (sent: Map<string, string[]>, now: Map<string, string[]>) =>
      [...sent].flatMap(([chat, texts]) => {
        const arrived = new Set(now.get(chat));
        return texts.filter((text) => !arrived.has(text));
      });
    void (async () => {
      let reported = false;
      while (performance.now() - from < num('drain-timeout') * 1000) {
        const now = received();
        const ms = Math.round(performance.now() - from);
        const lostMember = missing(member, now.member);
        const lostAgent = missing(agent, now.agent);
        if (entry.memberMs === null && lostMember.length === 0) entry.memberMs = ms;
        if (entry.agentMs === null && lostAgent.length === 0) entry.agentMs = ms;
        if (entry.memberMs !== null && entry.agentMs !== null) return;
        if (!reported && ms > 10_000) {
          reported = true;
          log(
            `10 s after the ${fault}, still on the way: member→agent ${lostMember.length} (${lostMember.slice(0, 8).join(' ')}), agent→member ${lostAgent.length} (${lostAgent.slice(0, 8).join(' ')})`,
          );
        }
        await sleep(250);
      }
    })();
  };
  const prober = new ReadinessProber(url, started);
  const at = async (seconds: number) => {
    const wait = trafficStarted + seconds * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
  };
  /** The instance holding the gateway shard (its /readyz lists it), else the first. */
  const shardHolder = async () => {
    for (const [index, port] of bridgePorts.entries()) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((response) => response.json() as Promise<{ checks?: { shards?: number[] } }>)
        .catch(() => null);
      if (ready?.checks?.shards?.length) return index;
    }
    return 0;
  };
  const kill = async (n: number) => {
    // With two instances the first kill takes the shard's holder, the next the other, and so on.
    const holder = INSTANCES === 1 ? 0 : await shardHolder();
    const victimIndex = INSTANCES === 1 ? 0 : (holder + n - 1) % INSTANCES;
    const victim = bridges[victimIndex]!;
    killing = true;
    const t = performance.now();
    await victim.kill();
    note(
      `SIGKILL ${n} of bridge ${victimIndex + 1}${INSTANCES > 1 && victimIndex === holder ? ' (the gateway shard’s holder)' : ''}`,
    );
    killing = false;
    await victim.restart();
    watch(victim);
    note(`bridge ${victimIndex + 1} restarted after SIGKILL ${n}`, performance.now() - t);
    catchUp(`SIGKILL ${n}`);
  };
  const sendSeconds = COUNT / RATE;
  const kills = num('kills');
  // Three kills fall between the database faults (10%, 35%, 85% of the sending); more or fewer spread evenly.
  const killFractions =
    kills === 3 ? [0.1, 0.35, 0.85] : Array.from({ length: kills }, (_, i) => (i + 1) / (kills + 1));
  const killAt = killFractions.map((fraction) => sendSeconds * fraction);
  const faults = async () => {
    let killed = 0;
    const killsDue = async (before: number) => {
      while (killed < kills && killAt[killed]! <= before) {
        await at(killAt[killed]!);
        killed += 1;
        await kill(killed);
      }
    };
    // Postgres restart: a real stop (fast: every backend ends) and start after pg-down-ms.
    await killsDue(sendSeconds * 0.2);
    await at(sendSeconds * 0.2);
    note('Postgres stopping (pg_ctl stop -m fast)');
    let t = performance.now();
    await postgres!.restart(num('pg-down-ms'), {
      down: () => {
        prober.begin('postgres-restart');
        note('Postgres is down', performance.now() - t);
      },
      up: () => prober.end(),
    });
    note('Postgres started again', performance.now() - t);
    catchUp('Postgres restart');
    // Postgres stall: the server's processes frozen.
    await killsDue(sendSeconds * 0.45);
    await at(sendSeconds * 0.45);
    t = performance.now();
    await postgres!.stall(num('stall-ms'), {
      down: () => {
        prober.begin('postgres-stall');
        note('Postgres frozen (SIGSTOP to the postmaster and every backend)');
      },
      up: () => prober.end(),
    });
    note('Postgres thawed (SIGCONT)', performance.now() - t);
    catchUp('Postgres stall');
    // The 40001 burst.
    await killsDue(sendSeconds * 0.65);
    await at(sendSeconds * 0.65);
    const burst = await transientErrorBurst(postgres!.url, num('burst-every'));
    note(`40001 burst: every ${num('burst-every')}th claim fails`);
    await sleep(num('burst-ms'));
    await burst.remove();
    const raised = await burst.faults();
    note(`40001 burst over: ${raised} claims failed`);
    catchUp('40001 burst');
    // The lease owner's lock session ended while Twilio is slow to answer posts: the items in
    // flight must not be claimed and posted again (#23).
    await killsDue(sendSeconds * 0.75);
    await at(sendSeconds * 0.75);
    twilio.control.injectFault({ match: 'POST /conversations/v1/**/Messages', delayMs: 4_000, times: 10 });
    await sleep(500);
    const ended = await terminateLeaseOwnerSessions(postgres!.url);
    note(`lease owner lock sessions ended mid-post (${ended}), Twilio posts held 4 s`);
    catchUp('lease owner lost mid-post');
    await killsDue(Number.POSITIVE_INFINITY);
    return raised;
  };
  const [burstFaults] = await Promise.all([faults(), traffic]);

  // ---- drain: wait until everything has arrived (or the timeout), then a little for stragglers ----
  const deadline = lastSend + num('drain-timeout') * 1000;
  let drainedAt: number | null = null;
  while (performance.now() < deadline) {
    const now = received();
    if (tally(sentMember, now.member).lost === 0 && tally(sentAgent, now.agent).lost === 0) {
      drainedAt = performance.now();
      break;
    }
    await sleep(250);
  }
  note(drainedAt ? 'everything arrived' : 'drain timed out');
  // Late duplicates (a retried webhook, a redelivered outbox item) would land now.
  await twilio.control.settle();
  await sleep(5_000);
  await prober.stop();
  const final = received();
  const memberToAgent = tally(sentMember, final.member);
  const agentToMember = tally(sentAgent, final.agent);
  const readiness: FaultReadiness[] = ['postgres-restart', 'postgres-stall'].map((fault) =>
    prober.during(fault),
  );
  const alive = bridges.every(
    (bridge) => bridge.process.exitCode === null && bridge.process.signalCode === null,
  );
  const injected = {
    discordFaulted: discord.control.requests().filter((request) => request.faulted).length,
    discordRequests: discord.control.requests().length,
    twilioFaulted: twilio.control.faults().reduce((sum, fault) => sum + (fault.hits ?? 0), 0),
    claimsFailed40001: burstFaults,
  };
  const readinessOk = readiness.every((fault) => fault.ok);
  const passed =
    intact(memberToAgent) && intact(agentToMember) && unexpectedExits.length === 0 && readinessOk && alive;
  const result = {
    startedAt: new Date(Date.now() - elapsed()).toISOString(),
    finishedAt: new Date().toISOString(),
    flags: values,
    machine: { ...machineAtStart, loadAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
    passed,
    memberToAgent,
    agentToMember,
    drainMs: drainedAt ? Math.round(drainedAt - lastSend) : null,
    wallMs: elapsed(),
    unexpectedExits,
    bridgeAliveAtEnd: alive,
    readiness,
    recoveries,
    injected,
    timeline,
  };
  report(result);
  await cleanUp();
  process.exit(passed ? 0 : 1);
} catch (error) {
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  for (const bridge of bridges) log(bridge.output().slice(-3_000));
  await cleanUp();
  process.exit(2);
}

/** How long after a fault's end everything sent before it had arrived, each way (null: not within the drain timeout). */
interface Recovery {
  fault: string;
  memberMs: number | null;
  agentMs: number | null;
}

function report(result: {
  passed: boolean;
  memberToAgent: DirectionTally;
  agentToMember: DirectionTally;
  drainMs: number | null;
  wallMs: number;
  unexpectedExits: unknown[];
  readiness: FaultReadiness[];
  recoveries: Recovery[];
  injected: Record<string, number>;
  timeline: { at: number; event: string; ms?: number }[];
}): void {
  const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  const row = (label: string, d: DirectionTally) =>
    `| ${label} | ${d.sent} | ${d.delivered} | ${d.lost} | ${d.duplicated} | ${d.reordered} | ${d.unexpected} |`;
  const lines = [
    `Chaos run: ${result.passed ? 'PASSED' : 'FAILED'} (${INSTANCES === 1 ? 'one bridge instance' : `${INSTANCES} bridge instances on one Postgres`})`,
    '',
    '| direction | sent | delivered | lost | duplicated | reordered | unexpected |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('member → agent', result.memberToAgent),
    row('agent → member', result.agentToMember),
    '',
    `- time to drain after the last send: ${result.drainMs === null ? 'did not drain' : `${(result.drainMs / 1000).toFixed(1)} s`}; whole run ${(result.wallMs / 1000).toFixed(0)} s`,
    '- caught up after each fault (everything sent before its end arrived), member → agent / agent → member:',
    ...result.recoveries.map((r) => `  - ${r.fault}: ${seconds(r.memberMs)} / ${seconds(r.agentMs)}`),
    `- bridge exits not caused by the run: ${result.unexpectedExits.length}`,
    ...result.readiness.map(
      (r) =>
        `- /readyz during ${r.fault}: ${r.quick503}/${r.probes} probes answered 503 in < 1 s (slowest ${r.maxMs} ms, first 503 ${r.first503AfterMs ?? '–'} ms after the fault began): ${r.ok ? 'ok' : 'NOT OK'}${r.other.length ? `; others: ${JSON.stringify(r.other)}` : ''}`,
    ),
    `- injected: ${result.injected.discordFaulted} of ${result.injected.discordRequests} Discord API calls faulted, ${result.injected.twilioFaulted} Twilio Messages calls faulted, ${result.injected.claimsFailed40001} claims failed with 40001`,
    '',
    '| at | event |',
    '| ---: | --- |',
    ...result.timeline.map(
      (entry) =>
        `| ${(entry.at / 1000).toFixed(1)} s | ${entry.event}${entry.ms === undefined ? '' : ` (${entry.ms} ms)`} |`,
    ),
  ];
  const name = String(values.out);
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${RESULTS_DIR}${name}.md`, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nwritten: bench/results/${name}.json, bench/results/${name}.md`);
}
