#!/usr/bin/env tsx
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Fixture } from './fixture-types.ts';
import { startDiscordEmulator } from './index.ts';
import type { RateLimitPreset } from './rate-limits.ts';

const usage = `Usage: tsx src/cli.ts [options]

  --port <n>              port to listen on (default 4100; 0 picks one)
  --host <address>        interface (default 127.0.0.1)
  --fixture <file.json>   guilds, channels, roles and members to start with
  --shards <n>            shard count GET /gateway/bot recommends (default 1)
  --token <token>         bot token to accept
  --application-id <id>   application (and bot user) id
  --bot-name <name>       bot username (default Flexcord)
  --rate-limits <preset>  default | realistic
  --deadline-ms <n>       interaction response deadline (default 3000)
  --public-url <url>      base URL written into payloads, when behind a proxy
  --verbose               log diagnostics
  --help`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4100' },
    host: { type: 'string' },
    fixture: { type: 'string' },
    shards: { type: 'string' },
    token: { type: 'string' },
    'application-id': { type: 'string' },
    'bot-name': { type: 'string' },
    'rate-limits': { type: 'string' },
    'deadline-ms': { type: 'string' },
    'public-url': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const preset = values['rate-limits'];
if (preset !== undefined && preset !== 'default' && preset !== 'realistic') {
  console.error(`--rate-limits must be default or realistic, not ${preset}\n\n${usage}`);
  process.exit(2);
}

const fixture = values.fixture ? (JSON.parse(await readFile(values.fixture, 'utf8')) as Fixture) : undefined;
const emulator = await startDiscordEmulator({
  port: Number(values.port),
  ...(values.host ? { host: values.host } : {}),
  ...(fixture ? { fixture } : {}),
  ...(values.shards ? { shards: Number(values.shards) } : {}),
  ...(values.token ? { botToken: values.token } : {}),
  ...(values['application-id'] ? { applicationId: values['application-id'] } : {}),
  ...(values['bot-name'] ? { botUsername: values['bot-name'] } : {}),
  ...(preset ? { rateLimits: preset as RateLimitPreset } : {}),
  ...(values['deadline-ms'] ? { interactionDeadlineMs: Number(values['deadline-ms']) } : {}),
  ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
  ...(values.verbose ? { log: (line: string) => console.error(line) } : {}),
});

console.log(`Discord emulator listening
  url:            ${emulator.url}
  rest.api:       ${emulator.apiUrl}
  gateway:        ${emulator.gatewayUrl}
  control API:    ${emulator.url}/_emulator   (events: ${emulator.url}/_emulator/events)
  application id: ${emulator.applicationId}
  bot token:      ${emulator.botToken}`);

const shutdown = () => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
