/**
 * `npm run token-flood`: the bridge's memory, and agents' calls, while strangers flood the plugin
 * API with bogus Flex tokens (by hand, not part of `npm test`). Flags: {@link USAGE}.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bogusToken } from './bogus-tokens.ts';
import { type Child, spawnChild } from './child.ts';
import { mib } from './memory.ts';
import { freshSchema } from './postgres.ts';
import { machine, RESULTS_DIR } from './report.ts';
import { type BenchStack, startBenchStack } from './stack.ts';
import { percentiles, sleep } from './stats.ts';

const USAGE = `\`npm run token-flood\`: ~50 senders send the plugin API unique bogus Flex tokens for a minute;
the bridge's RSS (sampled from /proc every 500 ms) against its idle RSS, with agents' own calls
beside the flood (each from an address of their own, once a second, their token renewed as Flex
does). The bridge trusts one X-Forwarded-For hop (TRUST_PROXY_HOPS=1), as behind one proxy.
Flags (defaults):

  --slow-iam              the 400-sender flood against a slow IAM: --senders 400 --shape jwe
                          --token-bytes 1000 --iam-delay-ms 150 --out token-flood-slow-iam (each
                          can still be set); passes when agents' p95 < 1 s and none got a 503

  --seconds 60            how long the flood lasts
  --senders 50            concurrent senders (one request in flight each)
  --token-bytes 12288     size of each bogus token (the bridge refuses tokens over 8 KiB unread)
  --shape random          random: base64url noise, which the bridge refuses as not a JWE without
                          asking IAM; jwe: shaped like a Flex token (a compact JWE), so each one is a
                          token Twilio IAM must be asked about (the worst case)
  --addresses request     where the flood comes from (X-Forwarded-For): request (a new address
                          for every request, as from a botnet: the worst case for the per-address
                          counts), sender, or one
  --iam-delay-ms 0        how long the emulated Twilio IAM takes to answer each check
  --agents 5              agents calling beside the flood
  --renew-seconds 20      each agent's token is renewed (a new, never-seen token) this often
  --cache-seconds 15      the bridge's FLEX_TOKEN_CACHE_SECONDS (so re-checks fall in the flood)
  --agent-p95-ms 1000     agents' p95 latency at most, for a pass
  --storage postgres      postgres (a fresh schema on 127.0.0.1:5432) or pglite
  --limit-mb 50           the most RSS may grow over idle (MB, 10^6 bytes)
  --out token-flood-latest   results/<out>.json and results/<out>.md
  -h, --help`;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    senders: { type: 'string', default: '50' },
    'token-bytes': { type: 'string', default: '12288' },
    shape: { type: 'string', default: 'random' },
    addresses: { type: 'string', default: 'request' },
    storage: { type: 'string', default: 'postgres' },
    'limit-mb': { type: 'string', default: '50' },
    out: { type: 'string' },
    'slow-iam': { type: 'boolean', default: false },
    'iam-delay-ms': { type: 'string' },
    agents: { type: 'string', default: '5' },
    'renew-seconds': { type: 'string', default: '20' },
    'cache-seconds': { type: 'string', default: '15' },
    'agent-p95-ms': { type: 'string', default: '1000' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const explicit = new Set(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')[0]));
if (values['slow-iam']) {
  // The preset fills in what was not given on the command line.
  const preset: Record<string, string> = {
    senders: '400',
    shape: 'jwe',
    'token-bytes': '1000',
    'iam-delay-ms': '150',
    out: 'token-flood-slow-iam',
  };
  for (const [key, value] of Object.entries(preset))
    if (!explicit.has(key)) (values as Record<string, unknown>)[key] = value;
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(values.seconds);
const senders = Number(values.senders);
const tokenBytes = Number(values['token-bytes']);
const addresses = String(values.addresses);
if (!['request', 'sender', 'one'].includes(addresses)) throw new Error(`--addresses: ${addresses}?`);
const shape = String(values.shape);
if (!['random', 'jwe'].includes(shape)) throw new Error(`--shape: ${shape}?`);
const iamDelayMs = Number(values['iam-delay-ms'] ?? 0);
const agentCount = Number(values.agents);
const renewMs = Number(values['renew-seconds']) * 1000;
const agentP95Limit = Number(values['agent-p95-ms']);
const outName = String(values.out ?? 'token-flood-latest');

const started = performance.now();
const machineAtStart = machine();
function log(message: string): void {
  console.log(`[token-flood ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

/** The child's resident set now, from /proc (no GC forced: what an orchestrator's limit sees). */
function rssOf(child: Child): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const bogus = () => bogusToken(shape, tokenBytes);

/** The agents: Dana (whose token warms the bridge up) and others. */
const agentNames = [
  'Dana',
  ...Array.from({ length: Math.max(0, agentCount - 1) }, (_, i) => `Agent ${i + 2}`),
];

let stack: BenchStack | null = null;
let child: Child | null = null;
let schema: Awaited<ReturnType<typeof freshSchema>> | null = null;
try {
  // The agents calling beside the flood (Flex users of the emulated account).
  stack = await startBenchStack(1, ['t'], {
    twilio: {
      agents: agentNames.map((name) => ({
        name,
        email: `${name.replace(/\s/g, '').toLowerCase()}@example.com`,
      })),
    },
  });
  schema = values.storage === 'postgres' ? await freshSchema() : null;
  const env = {
    ...stack.env,
    ...(schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' }),
    // The senders' and agents' addresses arrive in X-Forwarded-For, as from one proxy in front.
    TRUST_PROXY_HOPS: '1',
    FLEX_TOKEN_CACHE_SECONDS: String(values['cache-seconds']),
  };
  child = await spawnChild('./bridge-process.ts', env);
  const url = `http://127.0.0.1:${stack.env.PORT}`;
  const { twilio } = stack;
  // A rule that only watches (and, with --iam-delay-ms, slows): how many times the bridge asks IAM.
  const watch = twilio.control.injectFault({ match: 'POST /iam/**', delayMs: 0 });
  let slowWatch: number | null = null;
  const iamCalls = () =>
    twilio.control.faults().find((fault) => fault.id === (slowWatch ?? watch))?.hits ?? 0;
  const agentToken = twilio.control.issueFlexToken('Dana').token;
  const call = (token: string, from: string, path = '/api/cases/1') =>
    fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': from },
    }).then(async (response) => {
      await response.body?.cancel();
      return response.status;
    });

  // ---- warm up and idle ------------------------------------------------------------------------
  const warm = new Map<number, number>();
  const memberPath = `/api/cases?memberId=${stack.discord.control.user('t0').id}`;
  for (let i = 0; i < 200; i++) {
    const status = await call(agentToken, '192.0.2.1', memberPath);
    warm.set(status, (warm.get(status) ?? 0) + 1);
  }
  if (!warm.has(200)) throw new Error(`the agent's warm-up calls were answered ${JSON.stringify([...warm])}`);
  // The other agents signed in before the flood, each from their own address.
  const warmTokens = agentNames.map((name) => twilio.control.issueFlexToken(name).token);
  for (const [i, token] of warmTokens.entries()) {
    if (i === 0) continue;
    const status = await call(token, `192.0.2.${200 + i}`, memberPath);
    if (status !== 200) throw new Error(`agent ${agentNames[i]}'s warm-up call was answered ${status}`);
  }
  await call(agentToken, '192.0.2.200', memberPath);
  for (let i = 0; i < 20; i++) await call(bogus(), `192.0.2.${2 + i}`);
  await sleep(5_000);
  const idleSamples: number[] = [];
  for (let i = 0; i < 10; i++) {
    idleSamples.push(rssOf(child));
    await sleep(500);
  }
  const idleRss = Math.max(...idleSamples);
  await child.memory();
  await sleep(2_000);
  const idleAfterGc = await child.memory();
  log(`idle: RSS ${mib(idleRss)} MiB (after a full GC ${mib(idleAfterGc.rss)} MiB)`);

  // ---- the agents alone, as a baseline on this machine -----------------------------------------
  const baselineCalls: number[] = [];
  const baselineEnd = performance.now() + 10_000;
  await Promise.all(
    warmTokens.map(async (token, i) => {
      await sleep((1_000 * i) / warmTokens.length);
      while (performance.now() < baselineEnd) {
        const t = performance.now();
        await call(token, `192.0.2.${200 + i}`, memberPath).catch(() => 0);
        baselineCalls.push(performance.now() - t);
        await sleep(1_000);
      }
    }),
  );
  const baselineLatency = percentiles(baselineCalls.map((ms) => Math.round(ms * 1000) / 1000));
  log(`agents alone: p50 ${baselineLatency.p50.toFixed(0)} ms, p95 ${baselineLatency.p95.toFixed(0)} ms`);

  // ---- the flood -------------------------------------------------------------------------------
  const statuses = new Map<number, number>();
  let requests = 0;
  let failures = 0;
  if (iamDelayMs > 0) {
    // From now on every IAM check takes iamDelayMs (this rule matches first and counts the calls).
    twilio.control.removeFault(watch);
    slowWatch = twilio.control.injectFault({ match: 'POST /iam/**', delayMs: iamDelayMs });
  }
  const iamBefore = iamCalls();
  const floodStart = performance.now();
  const floodEnd = floodStart + seconds * 1000;
  const samples: { at: number; rss: number }[] = [];
  const sampler = (async () => {
    while (performance.now() < floodEnd + 5_000) {
      samples.push({ at: Math.round(performance.now() - floodStart), rss: rssOf(child!) });
      await sleep(500);
    }
  })();
  /** Agents' own calls during the flood, each from their own address: status, latency, token kind. */
  const agentCalls: { status: number; ms: number; renewed: boolean; at: number }[] = [];
  const agentTokens = agentNames.map((name, i) => ({ name, token: i === 0 ? agentToken : warmTokens[i]! }));
  const agentLoop = async (i: number) => {
    const from = `192.0.2.${200 + i}`;
    let renewAt = floodStart + renewMs * ((i + 1) / agentTokens.length);
    await sleep((1_000 * i) / agentTokens.length);
    while (performance.now() < floodEnd) {
      let renewed = false;
      if (performance.now() >= renewAt) {
        // Flex renewed the agent's token: a token the bridge has never seen, from the agent's address.
        agentTokens[i]!.token = twilio.control.issueFlexToken(agentTokens[i]!.name).token;
        renewAt += renewMs;
        renewed = true;
      }
      const t = performance.now();
      const status = await call(agentTokens[i]!.token, from, memberPath).catch(() => 0);
      agentCalls.push({ status, ms: performance.now() - t, renewed, at: Math.round(t - floodStart) });
      await sleep(1_000);
    }
  };
  const agent = Promise.all(agentTokens.map((_, i) => agentLoop(i)));
  // The senders run in a process of their own: this one's event loop times the agents' calls.
  const flood = fork(
    fileURLToPath(new URL('./token-flood-senders.ts', import.meta.url)),
    [JSON.stringify({ url, senders, seconds, shape, tokenBytes, addresses })],
    { execArgv: process.execArgv },
  );
  const flooded = new Promise<{ requests: number; failures: number; statuses: Record<string, number> }>(
    (resolve, reject) => {
      flood.once('message', (message) => resolve(message as never));
      flood.once('exit', (code) => reject(new Error(`the senders' process exited (${code})`)));
    },
  );
  log(`flood: ${senders} senders of ${tokenBytes}-byte tokens, addresses per ${addresses}, ${seconds} s`);
  const [outcome] = await Promise.all([flooded, agent]);
  requests = outcome.requests;
  failures = outcome.failures;
  for (const [status, count] of Object.entries(outcome.statuses)) statuses.set(Number(status), count);
  const floodMs = performance.now() - floodStart;
  await sampler;
  // V8 hands the pages a full GC frees back to the system a moment later: read after a second one.
  await child.memory();
  await sleep(2_000);
  const afterGc = await child.memory();
  const peakRss = Math.max(...samples.map((sample) => sample.rss));
  const limit = Number(values['limit-mb']);
  const growthMiB = mib(peakRss - idleRss);
  const growthMB = Math.round((peakRss - idleRss) / 1e5) / 10;
  const agentLatency = percentiles(agentCalls.map((entry) => Math.round(entry.ms * 1000) / 1000));
  const renewedCalls = agentCalls.filter((entry) => entry.renewed);
  const renewedLatency = percentiles(renewedCalls.map((entry) => Math.round(entry.ms * 1000) / 1000));
  const agentStatuses = Object.fromEntries(
    [
      ...agentCalls.reduce(
        (counts, entry) => counts.set(entry.status, (counts.get(entry.status) ?? 0) + 1),
        new Map<number, number>(),
      ),
    ].sort((a, b) => a[0] - b[0]),
  );
  const agentsOk = agentCalls.length > 0 && agentCalls.every((entry) => entry.status === 200);
  const result = {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    finishedAt: new Date().toISOString(),
    flags: values,
    machine: { ...machineAtStart, loadAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
    requests,
    requestsPerSecond: Math.round(requests / (floodMs / 1000)),
    statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
    networkFailures: failures,
    iamCalls: iamCalls() - iamBefore,
    idleRssMiB: mib(idleRss),
    idleRssAfterGcMiB: mib(idleAfterGc.rss),
    peakRssMiB: mib(peakRss),
    growthMiB,
    growthMB,
    afterFloodRssAfterGcMiB: mib(afterGc.rss),
    /** The process's memory after a full GC, idle and after the flood (MiB). */
    afterGc: {
      idle: Object.fromEntries(Object.entries(idleAfterGc).map(([key, bytes]) => [key, mib(bytes)])),
      after: Object.fromEntries(Object.entries(afterGc).map(([key, bytes]) => [key, mib(bytes)])),
    },
    limitMB: limit,
    passed: growthMB <= limit && agentsOk && agentLatency.p95 < agentP95Limit,
    iamDelayMs,
    agentCalls: {
      agents: agentTokens.length,
      count: agentCalls.length,
      ok: agentCalls.filter((entry) => entry.status === 200).length,
      statuses: agentStatuses,
      latencyMs: agentLatency,
      p95LimitMs: agentP95Limit,
      /** Calls with a token Flex had just renewed (never seen by the bridge). */
      renewedToken: { count: renewedCalls.length, latencyMs: renewedLatency },
      /** The same agents' calls before the flood (10 s): what this machine gives without it. */
      alone: baselineLatency,
      /** The slowest calls: when in the flood (ms after its start), how long, and the answer. */
      slowest: [...agentCalls]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((entry) => ({
          at: entry.at,
          ms: Math.round(entry.ms),
          status: entry.status,
          renewed: entry.renewed,
        })),
    },
    rssSamplesMiB: samples
      .filter((_, i) => i % 4 === 0)
      .map((sample) => ({ at: sample.at, rss: mib(sample.rss) })),
  };
  const lines = [
    `Token flood: ${result.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `- ${senders} senders, unique ${tokenBytes}-byte bogus tokens (${shape}), a new address per ${addresses}, ${(floodMs / 1000).toFixed(0)} s: ${requests} requests (${result.requestsPerSecond}/s), answers ${JSON.stringify(result.statuses)}, ${result.iamCalls} IAM calls`,
    `- RSS idle ${result.idleRssMiB} MiB, peak during the flood ${result.peakRssMiB} MiB: +${growthMiB} MiB = +${growthMB} MB (limit +${limit} MB); after a full GC ${result.idleRssAfterGcMiB} → ${result.afterFloodRssAfterGcMiB} MiB`,
    `- IAM answering in ${iamDelayMs} ms; machine load ${result.machine.loadAtEnd.join(' / ')} at the end`,
    `- ${agentTokens.length} agents' own calls meanwhile (once a second each, tokens renewed every ${renewMs / 1000} s, FLEX_TOKEN_CACHE_SECONDS ${values['cache-seconds']}): ${result.agentCalls.ok}/${result.agentCalls.count} answered 200 (${JSON.stringify(agentStatuses)}), p50 ${agentLatency.p50.toFixed(0)} ms, p95 ${agentLatency.p95.toFixed(0)} ms (limit ${agentP95Limit}), max ${agentLatency.max.toFixed(0)} ms; alone before the flood p50 ${baselineLatency.p50.toFixed(0)} ms, p95 ${baselineLatency.p95.toFixed(0)} ms; with a just-renewed token (${renewedCalls.length} calls) p50 ${renewedLatency.p50.toFixed(0)} ms, max ${renewedLatency.max.toFixed(0)} ms`,
  ];
  const name = outName;
  writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${RESULTS_DIR}${name}.md`, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nwritten: bench/results/${name}.json, bench/results/${name}.md`);
  process.exitCode = result.passed ? 0 : 1;
} catch (error) {
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (child) log(child.output().slice(-3_000));
  process.exitCode = 2;
} finally {
  await child?.stop().catch(() => undefined);
  await stack?.stop().catch(() => undefined);
  await schema?.drop().catch(() => undefined);
}
process.exit();
