import { z } from 'zod';

/**
 * How a member asked for a person when the bridge posts the request into the Conversation in their
 * name (so the flow hands the chat over): they pressed "Talk to an agent", or their request, kept
 * outside the support hours, was sent when the hours opened.
 */
export const HANDOVER_SOURCES = ['button', 'after_hours'] as const;
export type HandoverSource = (typeof HANDOVER_SOURCES)[number];

/**
 * The `handover` attribute of that message. The member did not type its body, so whoever shows the
 * chat (the agent's message list, the transcript) shows it as a notice, not as the member's words.
 */
export const HandoverRequestSchema = z.object({ source: z.enum(HANDOVER_SOURCES) });
export type HandoverRequest = z.infer<typeof HandoverRequestSchema>;

/**
 * The handover request a message's attributes carry, or null when it is an ordinary message.
 * `attributes` as the SDKs give them: an object, or the JSON string of one.
 */
export function handoverRequestOf(attributes: unknown): HandoverRequest | null {
  let value = attributes;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const parsed = HandoverRequestSchema.safeParse((value as { handover?: unknown }).handover);
  return parsed.success ? parsed.data : null;
}
