import { z } from 'zod';

const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** An announcement pushed by a signed sender (a status page, a social media relay…). */
export const IngestItemSchema = z.object({
  /** One of the config's `ingest.sources`. */
  source: z.string().min(1).max(64),
  /** The sender's id for the item: the same id twice is one post. */
  id: z.string().trim().min(1).max(1024),
  title: z.string().trim().min(1).max(1000),
  url: webUrl.optional(),
  /** Plain text or HTML (stripped before posting). */
  summary: z.string().max(20_000).optional(),
  imageUrl: webUrl.optional(),
  publishedAt: z.iso.datetime({ offset: true }).optional(),
});
export type IngestItem = z.infer<typeof IngestItemSchema>;

export type IngestOutcome = 'accepted' | 'duplicate' | 'unknown_source';
