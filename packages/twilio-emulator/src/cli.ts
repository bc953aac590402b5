#!/usr/bin/env -S npx tsx
/**
 * Runs the Twilio emulator from a shell: `npx tsx src/cli.ts --port 4200`.
 * Prints the base URL, the credentials and the SIDs a bridge needs, then serves until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startTwilioEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    host: { type: 'string', default: '127.0.0.1' },
    'account-sid': { type: 'string' },
    'auth-token': { type: 'string' },
    'fault-seed': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    `Usage: npx tsx src/cli.ts [--port 4200] [--host 127.0.0.1] [--account-sid AC…] [--auth-token …] [--fault-seed N]`,
  );
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const emulator = await startTwilioEmulator({
  port,
  host: values.host,
  ...(values['account-sid'] ? { accountSid: values['account-sid'] } : {}),
  ...(values['auth-token'] ? { authToken: values['auth-token'] } : {}),
  ...(values['fault-seed'] ? { faults: { seed: Number(values['fault-seed']) } } : {}),
});

const agents = emulator.control.agents();
console.log(`Twilio emulator listening on ${emulator.url}

  Account SID            ${emulator.accountSid}
  Auth token             ${emulator.authToken}
  Conversations service  ${emulator.conversationsServiceSid}
  TaskRouter workspace   ${emulator.workspaceSid}
  Workflow               ${emulator.workflowSid}
  Chat task channel      ${emulator.chatTaskChannelSid}
  Agents                 ${agents.map((a) => `${a.name} <${a.email}> (${a.identity}, ${a.workerSid})`).join('\n                         ')}

  REST (twilio-node with twilioClientOptions('${emulator.url}')):
    ${emulator.url}/conversations/v1   ${emulator.url}/studio/v2   ${emulator.url}/flex-api/v1
    ${emulator.url}/taskrouter/v1      ${emulator.url}/iam/v1      ${emulator.url}/mcs/v1
  Control API:  ${emulator.url}/_emulator   (events: ${emulator.url}/_emulator/events)
`);

const shutdown = async () => {
  await emulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
