import { z } from 'zod';
import { twilioSid } from './json-string.ts';

/**
 * What `flows/discord-inbound.json`'s make-http-request widget POSTs to the bridge's bot endpoint
 * (`/webhooks/twilio/bot`, form-encoded and signed by Studio) for each message in a conversation.
 */
export const BotTurnRequestSchema = z.object({
  ConversationSid: twilioSid('CH'),
  MessageSid: twilioSid('IM'),
  Author: z.string(),
  Body: z.string().default(''),
  Source: z.string().optional(),
});
export type BotTurnRequest = z.infer<typeof BotTurnRequestSchema>;

/** Where the flow sends the conversation next: the bot answered, hand over to Flex, or stay quiet. */
export const BotRouteSchema = z.enum(['bot', 'agent', 'none']);
export type BotRoute = z.infer<typeof BotRouteSchema>;

/**
 * The bot endpoint's JSON answer. The flow splits on `route`; on `agent` its send-to-flex widget
 * reads the task fields from here so the flow needs no second lookup.
 */
export const BotTurnResponseSchema = z.object({
  route: BotRouteSchema,
  caseNumber: z.number().int().positive().optional(),
  task: z
    .object({
      discordUserId: z.string(),
      discordUsername: z.string(),
      discordAvatarUrl: z.string(),
      customerName: z.string(),
      /**
       * The identity of the agent who last had the case ('' when none): a TaskRouter workflow
       * offers the task to that worker first with a Known Agent Routing target
       * (`"known_worker_friendly_name": "task.lastAgent"`, with a timeout), then to the queue.
       * @see https://www.twilio.com/docs/taskrouter/workflow-configuration/known-agent-routing
       */
      lastAgent: z.string(),
      /**
       * The help topic's id ('' for none), the skills it needs and its priority: what the brand's
       * TaskRouter workflow filters read (`topic == "payments"`, `skills HAS "billing"`).
       * @see https://www.twilio.com/docs/taskrouter/workflow-configuration
       */
      topic: z.string().optional(),
      skills: z.array(z.string()).optional(),
      priority: z.number().int().min(0).optional(),
    })
    .optional(),
});
export type BotTurnResponse = z.infer<typeof BotTurnResponseSchema>;
