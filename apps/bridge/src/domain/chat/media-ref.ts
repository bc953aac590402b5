import { z } from 'zod';

/**
 * A file to attach to a message, fetched at delivery time from where it lives now: a Conversation's
 * media (Twilio), a URL (a member's Discord attachment), or a member's data export kept in
 * `privacy_exports` until it is delivered.
 */
export const MediaRefSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('twilio'),
    mediaSid: z.string(),
    filename: z.string(),
    contentType: z.string(),
  }),
  z.object({ source: z.literal('url'), url: z.string(), filename: z.string(), contentType: z.string() }),
  z.object({
    source: z.literal('export'),
    exportId: z.number().int(),
    filename: z.string(),
    contentType: z.string(),
  }),
]);
export type MediaRef = z.infer<typeof MediaRefSchema>;
