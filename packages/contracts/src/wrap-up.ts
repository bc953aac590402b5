import { z } from 'zod';
import { CaseStatusSchema } from './cases.ts';
import { twilioSid } from './json-string.ts';

/** A way an agent can close their part in a chat (configured on the bridge), and what it does to the case. */
export const DispositionSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: z.string().min(1).max(60),
  /** The case's status after this wrap-up; `null` leaves it as it is. */
  status: CaseStatusSchema.nullable(),
});
export type Disposition = z.infer<typeof DispositionSchema>;

/** `GET /api/wrap-up`: the dispositions the case panel offers at wrap-up. */
export const WrapUpOptionsResponseSchema = z.object({ dispositions: z.array(DispositionSchema).min(1) });
export type WrapUpOptionsResponse = z.infer<typeof WrapUpOptionsResponseSchema>;

/**
 * `POST /api/cases/:number/wrap-up`: the agent's disposition and note for the chat's task (once the
 * chat has ended); the bridge records them on the case and completes the task.
 */
export const WrapUpRequestSchema = z
  .object({
    taskSid: twilioSid('WT', 'task SID').optional(),
    disposition: z.string().min(1).max(40),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type WrapUpRequest = z.infer<typeof WrapUpRequestSchema>;

/**
 * `GET /api/cases/:number/version`: an opaque token that changes whenever the case or its timeline
 * does. The case panel polls it (one cheap query) and reloads the case only when it changed.
 */
export const CaseVersionResponseSchema = z.object({
  number: z.number().int().positive(),
  version: z.string(),
});
export type CaseVersionResponse = z.infer<typeof CaseVersionResponseSchema>;

/**
 * `POST /api/cases/:number/transfer`: a cold transfer of the chat in `taskSid`, the way Flex does
 * it — an Interactions invite to another agent (`workerSid`) or a queue (`queueSid`), then the
 * transferring agent's part closed (their task completes).
 */
export const TransferRequestSchema = z
  .object({
    taskSid: twilioSid('WT', 'task SID'),
    to: z.union([
      z.object({ workerSid: twilioSid('WK', 'worker SID'), name: z.string().max(100).optional() }).strict(),
      z.object({ queueSid: twilioSid('WQ', 'queue SID'), name: z.string().max(100).optional() }).strict(),
    ]),
  })
  .strict();
export type TransferRequest = z.infer<typeof TransferRequestSchema>;
