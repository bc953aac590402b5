import { z } from 'zod';
import { jsonString, twilioSid } from './json-string.ts';

/**
 * TaskRouter workspace event callbacks (form POST to the workspace's Event Callback URL, signed
 * like every Twilio webhook). The bridge uses them as the dependable "agent joined/left" signal.
 *
 * @see https://www.twilio.com/docs/taskrouter/api/event
 */
export const TaskRouterEventSchema = z.object({
  AccountSid: twilioSid('AC'),
  WorkspaceSid: twilioSid('WS'),
  Sid: twilioSid('EV').optional(),
  EventType: z.string().min(1),
  EventDescription: z.string().optional(),
  ResourceType: z.string().optional(),
  ResourceSid: z.string().optional(),
  Timestamp: z.string().optional(),
  TaskSid: twilioSid('WT').optional(),
  TaskAttributes: jsonString(z.record(z.string(), z.unknown())).optional(),
  TaskAssignmentStatus: z.string().optional(),
  WorkerSid: twilioSid('WK').optional(),
  WorkerName: z.string().optional(),
  WorkerAttributes: jsonString(z.record(z.string(), z.unknown())).optional(),
  ReservationSid: twilioSid('WR').optional(),
});
export type TaskRouterEvent = z.infer<typeof TaskRouterEventSchema>;
