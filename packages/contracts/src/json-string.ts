import { z } from 'zod';

/**
 * A form field that carries JSON as a string (Twilio's `Attributes`, `Media`, `TaskAttributes`…):
 * parses the string, then validates the value with `schema`. Bad JSON is a validation issue, not a throw.
 */
export function jsonString<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((value, ctx): unknown => {
      try {
        return JSON.parse(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON string' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A Twilio SID: two-letter prefix and 32 hex characters; `what` names it in the error (`account SID`). */
export function twilioSid(prefix: string, what = 'SID') {
  // "an AC…", "a WW…": the article follows how the first letter is spoken.
  const article = /^[AEFHILMNORSX]/.test(prefix) ? 'an' : 'a';
  return z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be ${article} ${prefix}… ${what}`);
}

/**
 * A Discord snowflake id as it appears on the wire (a decimal string); a mismatch says
 * `must be <what>` (default `a Discord snowflake`).
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */
export function snowflake(what = 'a Discord snowflake') {
  return z.string().regex(/^\d{15,21}$/, `must be ${what}`);
}

/** A Discord snowflake id as it appears on the wire (a decimal string). */
export const SnowflakeSchema = snowflake();
