import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { SnowflakeSchema } from '@flexcord/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const snowflake = SnowflakeSchema;
const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'must be 1–64 letters, digits, ".", "_" or "-"');
const sourceName = z.string().trim().min(1).max(256);

/**
 * An RSS 2.0 or Atom feed, polled every `intervalSeconds` with conditional GETs.
 *
 * @see https://www.rssboard.org/rss-specification
 * @see https://www.rfc-editor.org/rfc/rfc4287
 */
export const FeedSourceSchema = z.object({
  id: sourceId,
  /** Shown in the embed footer; default: the feed's own title, else the id. */
  name: sourceName.optional(),
  type: z.literal('feed'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  intervalSeconds: z.number().int().min(5).max(86_400).default(300),
  /** Covers the whole request: connecting, headers and body. */
  timeoutSeconds: z.number().positive().max(120).default(10),
  /**
   * What to do with items published before the subscription (the first poll): `skip` records them
   * as seen; a number posts that many of the newest and records the rest.
   */
  backlog: z.union([z.literal('skip'), z.number().int().min(0).max(50)]).default('skip'),
});

/** A source that pushes items through `POST /ingest/announcements`: a name, or `{id, name}`. */
export const IngestSourceSchema = z
  .union([sourceId, z.object({ id: sourceId, name: sourceName.optional() })])
  .transform((source) => (typeof source === 'string' ? { id: source } : source));

export const AnnouncementsConfigSchema = z
  .object({
    /** The #announcements channel every item is posted in. */
    channel: snowflake,
    sources: z.array(FeedSourceSchema).default([]),
    ingest: z.object({ sources: z.array(IngestSourceSchema).default([]) }).default({ sources: [] }),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    const check = (id: string, path: (string | number)[]) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate source id "${id}"` });
      seen.add(id);
    };
    config.sources.forEach((source, index) => {
      check(source.id, ['sources', index, 'id']);
    });
    config.ingest.sources.forEach((source, index) => {
      check(source.id, ['ingest', 'sources', index]);
    });
  });

export type FeedSource = z.infer<typeof FeedSourceSchema>;
export type IngestSource = z.infer<typeof IngestSourceSchema>;
export type AnnouncementsConfig = z.infer<typeof AnnouncementsConfigSchema>;
/** The config as written in the file, before defaults. */
export type AnnouncementsConfigInput = z.input<typeof AnnouncementsConfigSchema>;

/** The announcements config file is missing, unreadable, or invalid; the message names each bad field. */
export class AnnouncementsConfigError extends Error {
  readonly code = 'ANNOUNCEMENTS_CONFIG_INVALID';
  constructor(
    message: string,
    readonly issues: { field: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnnouncementsConfigError';
  }
}

/** Validates an already-parsed config object, or throws an {@link AnnouncementsConfigError}. */
export function parseAnnouncementsConfig(
  input: unknown,
  origin = 'announcements config',
): AnnouncementsConfig {
  const result = AnnouncementsConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: fieldName(issue.path) || '(root)',
    message: issue.message,
  }));
  throw new AnnouncementsConfigError(
    `Invalid ${origin}:\n${issues.map((issue) => `  ${issue.field}: ${issue.message}`).join('\n')}`,
    issues,
  );
}

/**
 * Reads the announcements config file: JSON when it ends in `.json`, else YAML (1.2, of which JSON
 * is a subset). Throws an {@link AnnouncementsConfigError} naming the file and every bad field.
 */
export function loadAnnouncementsConfig(path: string): AnnouncementsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AnnouncementsConfigError(`cannot read announcements config ${path}: ${messageOf(error)}`, [], {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new AnnouncementsConfigError(`announcements config ${path} is not valid: ${messageOf(error)}`, [], {
      cause: error,
    });
  }
  return parseAnnouncementsConfig(data, `announcements config ${path}`);
}

/** `sources[0].url`, as a person would write it. */
function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
