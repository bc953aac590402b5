import { twilioClientOptions } from '@flexcord/twilio-client';
import { startTwilioEmulator, type TwilioEmulator } from '@flexcord/twilio-emulator';
import twilio, { type Twilio } from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectTwilioToBridge,
  DISCORD_INBOUND_FLOW,
  DISCORD_INBOUND_FLOW_NAME,
  renderFlowDefinition,
} from '../src/index.ts';

const BRIDGE = 'https://bridge.example.com/';

describe('the Discord inbound flow, deployed to a Twilio account', () => {
  let emulator: TwilioEmulator;
  let client: Twilio;

  beforeAll(async () => {
    emulator = await startTwilioEmulator();
    client = twilio(emulator.accountSid, emulator.authToken, twilioClientOptions(emulator.url));
  });
  afterAll(() => emulator?.stop());

  it('renders flows/discord-inbound.json with every placeholder filled, and names one left out', () => {
    const values = {
      FLEXCORD_BOT_URL: `${BRIDGE}webhooks/twilio/bot`,
      FLEX_WORKFLOW_SID: 'WW00000000000000000000000000000001',
      FLEX_CHAT_TASK_CHANNEL_SID: 'TC00000000000000000000000000000001',
    };
    const rendered = JSON.stringify(renderFlowDefinition(DISCORD_INBOUND_FLOW, values));
    expect(rendered).not.toMatch(/\$\{[A-Z0-9_]+\}/);
    for (const value of Object.values(values)) expect(rendered).toContain(value);

    const { FLEX_WORKFLOW_SID: _left, ...partial } = values;
    expect(() => renderFlowDefinition(DISCORD_INBOUND_FLOW, partial as typeof values)).toThrow(
      '${FLEX_WORKFLOW_SID}',
    );
  });

  it('connecting a bridge publishes the flow with its bot URL and sends TaskRouter events to it; again, nothing changes', async () => {
    const target = {
      publicBaseUrl: BRIDGE,
      workspaceSid: emulator.workspaceSid,
      workflowSid: emulator.workflowSid,
      chatTaskChannelSid: emulator.chatTaskChannelSid,
    };
    const first = await connectTwilioToBridge(client, target);
    expect(first.action).toBe('created');

    const flow = await client.studio.v2.flows(first.sid).fetch();
    expect(flow.friendlyName).toBe(DISCORD_INBOUND_FLOW_NAME);
    expect(flow.status).toBe('published');
    expect(JSON.stringify(flow.definition)).toContain('https://bridge.example.com/webhooks/twilio/bot');
    const workspace = await client.taskrouter.v1.workspaces(emulator.workspaceSid).fetch();
    expect(workspace.eventCallbackUrl).toBe('https://bridge.example.com/webhooks/twilio/taskrouter');

    const again = await connectTwilioToBridge(client, target);
    expect(again).toMatchObject({ sid: first.sid, revision: first.revision, action: 'unchanged' });

    const moved = await connectTwilioToBridge(client, {
      ...target,
      publicBaseUrl: 'https://moved.example.com',
    });
    expect(moved).toMatchObject({ sid: first.sid, action: 'updated' });
    expect(moved.revision).toBeGreaterThan(first.revision);
  });
});
