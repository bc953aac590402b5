import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseDetailResponseSchema } from '@flexcord/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSandboxConfig } from '../src/config.ts';
import { PortInUseError } from '../src/ports.ts';
import { type RunningSandbox, startSandbox } from '../src/sandbox.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'flexcord-sandbox-'));
const config = (extra: string[] = []) =>
  loadSandboxConfig(
    [
      '--port',
      '0',
      '--bridge-port',
      '0',
      '--discord-port',
      '0',
      '--twilio-port',
      '0',
      '--data-dir',
      dataDir,
      // /helpme greets at once (no help topic menu), as these stories expect.
      '--topics',
      'off',
      ...extra,
    ],
    { SANDBOX_LOG_LEVEL: 'silent' },
  );

let running: RunningSandbox | null = null;
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A case as the bridge has it, through the plugin API with Dana's Flex token. */
async function caseDetail(sandbox: RunningSandbox, caseNumber: number) {
  const { token } = sandbox.twilio.control.issueFlexToken('Dana');
  const response = await fetch(`${sandbox.bridgeUrl}/api/cases/${caseNumber}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return CaseDetailResponseSchema.parse(await response.json());
}

/** Pat asks for an agent: a case and an open chat in the bridge's database. */
async function patAsksForAnAgent(sandbox: RunningSandbox): Promise<string> {
  const { control } = sandbox.discord;
  await control.runCommand({ user: 'pixelpat', channel: 'help', name: 'helpme' });
  await control.waitForMessage({ dmWith: 'pixelpat', contains: 'support assistant' });
  control.sendMessage({ user: 'pixelpat', content: 'I want to talk to an agent' });
  const notice = await control.waitForMessage(
    { dmWith: 'pixelpat', contains: 'Connecting you to an agent' },
    10_000,
  );
  return /#(\d+)/.exec(notice.content)?.[1] ?? '';
}

describe('the sandbox across restarts', () => {
  it('when started again on the same data, cases survive, stale chats are closed and /helpme starts a new chat', async () => {
    running = await startSandbox(config());
    const caseNumber = await patAsksForAnAgent(running);
    expect(caseNumber).not.toBe('');
    await running.stop();

    running = await startSandbox(config());
    // The bridge closed the chat at start: its Conversation is gone from the new Twilio emulator.
    const closings = (await caseDetail(running, Number(caseNumber))).timeline.filter(
      (event) => event.type === 'conversation_ended',
    );
    expect(closings.map((event) => event.data.reason)).toEqual(['conversation no longer exists']);
    const { control } = running.discord;
    const answer = await control.runCommand({ user: 'pixelpat', channel: 'help', name: 'case' });
    const shown = answer.response && 'message' in answer.response ? answer.response.message : null;
    expect(JSON.stringify(shown?.embeds ?? shown?.content)).toContain(`#${caseNumber}`);

    // The new emulator's Conversation, linked to the case that is still open.
    await control.runCommand({ user: 'pixelpat', channel: 'help', name: 'helpme' });
    await control.waitForMessage(
      { dmWith: 'pixelpat', contains: `case #${caseNumber} is still open` },
      10_000,
    );
    expect(running.twilio.control.conversations()).toHaveLength(1);
    await running.stop();
    running = null;
  }, 90_000);

  it('--reset starts from an empty database', async () => {
    running = await startSandbox(config(['--reset']));
    const answer = await running.discord.control.runCommand({
      user: 'pixelpat',
      channel: 'help',
      name: 'case',
    });
    const shown = answer.response && 'message' in answer.response ? answer.response.message : null;
    expect(JSON.stringify(shown)).toContain("don't have any cases");
    await running.stop();
    running = null;
  }, 60_000);

  it('a taken port stops the start with a message naming the flag', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const error = await startSandbox(config(['--bridge-port', String(port)])).catch(
      (failure: unknown) => failure,
    );
    blocker.close();
    expect(error).toBeInstanceOf(PortInUseError);
    expect(String((error as Error).message)).toContain('--bridge-port or SANDBOX_BRIDGE_PORT');
  });
});
