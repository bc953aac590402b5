/**
 * `npm run token-flood`: the bridge's memory while strangers flood the plugin API with bogus Flex
 * tokens (by hand, not part of `npm test`). Flags: {@link USAGE}.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Child, spawnChild } from './child.ts';
import { mib } from './memory.ts';
import { freshSchema } from './postgres.ts';
import { machine, RESULTS_DIR } from './report.ts';
import { type BenchStack, startBenchStack } from './stack.ts';
import { percentiles, sleep } from './stats.ts';

const USAGE = `\`npm run token-flood\`: ~50 senders send the plugin API unique bogus Flex tokens for a minute;
the bridge's RSS (sampled from /proc every 500 ms) against its idle RSS, with an agent's own calls
beside the flood. Flags (defaults):

  --seconds 60            how long the flood lasts
  --senders 50            concurrent senders (one request in flight each)
  --token-bytes 12288     size of each bogus token (the bridge refuses tokens over 8 KiB unread)
  --shape random          random: base64url noise, which the bridge refuses as not a JWE without
                          asking IAM; jwe: shaped like a Flex token (a compact JWE), so each one is a
                          token Twilio IAM must be asked about (the worst case)
  --addresses request     where the flood comes from (X-Forwarded-For, which the bridge trusts one
                          hop of by default): request (a new address for every request, as from a
                          botnet: the worst case for the per-address counts), sender, or one
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
    out: { type: 'string', default: 'token-flood-latest' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
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

const noise = (length: number) =>
  randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
/** A JWE's protected header (the first of its five parts), as a Flex token's has one. */
const JWE_HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
/**
 * A bogus token of `tokenBytes` characters, never sent before: base64url noise, or (`--shape jwe`)
 * a compact JWE's five parts around noise, which only IAM can tell from a Flex token.
 */
const bogusToken = () =>
  shape === 'jwe'
    ? `${JWE_HEADER}..${noise(16)}.${noise(tokenBytes - JWE_HEADER.length - 16 - 22 - 4)}.${noise(22)}`
    : noise(tokenBytes);

/** An address of TEST-NET-2/-3 and the benchmarking range for the `n`-th sender or request. */
const address = (n: number) => `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;

let stack: BenchStack | null = null;
let child: Child | null = null;
let schema: Awaited<ReturnType<typeof freshSchema>> | null = null;
try {
  stack = await startBenchStack(1, ['t']);
  schema = values.storage === 'postgres' ? await freshSchema() : null;
  const env = {
    ...stack.env,
    ...(schema ? { DATABASE_URL: schema.url } : { PGLITE_DIR: 'memory://' }),
  };
  child = await spawnChild('./bridge-process.ts', env);
  const url = `http://127.0.0.1:${stack.env.PORT}`;
  const { twilio } = stack;
  // A rule that only watches: how many times the bridge asks IAM.
  const watch = twilio.control.injectFault({ match: 'POST /iam/**', delayMs: 0 });
  const iamCalls = () => twilio.control.faults().find((fault) => fault.id === watch)?.hits ?? 0;
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
  for (let i = 0; i < 20; i++) await call(bogusToken(), `192.0.2.${2 + i}`);
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

  // ---- the flood -------------------------------------------------------------------------------
  const statuses = new Map<number, number>();
  let requests = 0;
  let failures = 0;
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
  /** An agent's own calls during the flood, from their own address: status and latency. */
  const agentCalls: { status: number; ms: number }[] = [];

  const agent = (async () => {
    while (performance.now() < floodEnd) {
      const t = performance.now();
      const status = await call(agentToken, '192.0.2.200', memberPath).catch(() => 0);
      agentCalls.push({ status, ms: performance.now() - t });
      await sleep(1_000);
    }
  })();
  const sender = async (n: number) => {
    while (performance.now() < floodEnd) {
      const from =
        addresses === 'request' ? address(requests) : addresses === 'sender' ? address(n) : '198.18.0.1';
      requests += 1;
      const status = await call(bogusToken(), from).catch(() => 0);
      if (status === 0) failures += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  log(`flood: ${senders} senders of ${tokenBytes}-byte tokens, addresses per ${addresses}, ${seconds} s`);
  await Promise.all([...Array.from({ length: senders }, (_, n) => sender(n)), agent]);
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
    passed: growthMB <= limit && agentCalls.every((entry) => entry.status === 200),
    agentCalls: {
      count: agentCalls.length,
      ok: agentCalls.filter((entry) => entry.status === 200).length,
      latencyMs: agentLatency,
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
    `- the agent's own calls meanwhile: ${result.agentCalls.ok}/${result.agentCalls.count} answered 200, p50 ${agentLatency.p50.toFixed(0)} ms, max ${agentLatency.max.toFixed(0)} ms`,
  ];
  const name = String(values.out);
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
