/**
 * The baseline the bridge is measured against: the same two hops with nothing else — a discord.js
 * client on the gateway that posts each member DM into the member's Conversation, and an Express
 * endpoint that posts each agent message of a Conversations webhook into the member's DM. No
 * storage, no signature check, no outbox, no ordering, no retries beyond the SDKs' own. It answers
 * the Studio flow's bot call with `none`, so Twilio sends it the same webhooks it sends the bridge.
 *
 * Env: the bridge's variables (PORT, DISCORD_*, TWILIO_*) plus BASELINE_CHATS, a JSON array of
 * `{ userId, conversationSid }`.
 */
import { twilioClientOptions } from '@flexcord/twilio-client';
import { Client, Events, GatewayIntentBits, Partials, Routes } from 'discord.js';
import express from 'express';
import twilio from 'twilio';
import { liftDiscordGlobalLimit, serveHarness } from './ipc.ts';

interface BaselineChat {
  userId: string;
  conversationSid: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`baseline: ${name} is not set`);
  return value;
}

const chats = JSON.parse(required('BASELINE_CHATS')) as BaselineChat[];
const conversationOf = new Map(chats.map((chat) => [chat.userId, chat.conversationSid]));
const dmOf = new Map<string, string>();

const twilioClient = twilio(required('TWILIO_ACCOUNT_SID'), required('TWILIO_AUTH_TOKEN'), {
  ...twilioClientOptions(required('TWILIO_API_BASE_URL'), { autoRetry: true, maxRetries: 5 }),
});
const service = twilioClient.conversations.v1.services(required('TWILIO_CONVERSATIONS_SERVICE_SID'));

const discord = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
  partials: [Partials.Channel],
  rest: { api: required('DISCORD_API_URL') },
});
discord.on(Events.Error, (error) => console.error('baseline discord error', error));
discord.on(Events.MessageCreate, (message) => {
  if (message.author.bot) return;
  const conversationSid = conversationOf.get(message.author.id);
  if (!conversationSid) return;
  service
    .conversations(conversationSid)
    .messages.create({
      author: `discord:${message.author.id}`,
      body: message.content,
      attributes: JSON.stringify({ discord: { messageId: message.id, channelId: message.channelId } }),
      xTwilioWebhookEnabled: 'true',
    })
    .catch((error: unknown) => console.error('baseline: twilio post failed', error));
});

const app = express();
const form = express.urlencoded({ extended: false, limit: '256kb' });
app.post('/webhooks/twilio/conversations', form, (req, res) => {
  res.status(200).json({ outcome: 'ok' });
  const body = req.body as Record<string, string | undefined>;
  const author = body.Author ?? '';
  if (body.EventType !== 'onMessageAdded' || author.startsWith('discord:') || author === 'bot') return;
  const chat = chats.find((candidate) => candidate.conversationSid === body.ConversationSid);
  const channelId = chat ? dmOf.get(chat.userId) : undefined;
  if (!channelId || !body.Body) return;
  discord.rest
    .post(Routes.channelMessages(channelId), {
      body: { content: body.Body, allowed_mentions: { parse: [] } },
    })
    .catch((error: unknown) => console.error('baseline: discord post failed', error));
});
app.post('/webhooks/twilio/bot', form, (_req, res) => {
  res.status(200).json({ route: 'none' });
});
app.post('/webhooks/twilio/taskrouter', form, (_req, res) => {
  res.status(200).json({ outcome: 'ignored' });
});

liftDiscordGlobalLimit(discord.rest);
const ready = new Promise<void>((resolve) => discord.once(Events.ClientReady, () => resolve()));
await discord.login(required('DISCORD_TOKEN'));
await ready;
for (const chat of chats) dmOf.set(chat.userId, (await discord.users.createDM(chat.userId)).id);
const server = app.listen(Number(required('PORT')), required('HOST'));
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
serveHarness(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await discord.destroy();
});
