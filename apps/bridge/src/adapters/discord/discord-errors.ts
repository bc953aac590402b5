import { DiscordAPIError, HTTPError } from 'discord.js';
import {
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '../../infrastructure/outbox/delivery-errors.ts';

/** Discord errors that no retry can fix. @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json */
const PERMANENT_DISCORD_CODES = new Set([10003, 10013, 50001, 50007, 50013, 50035, 40005]);

/** Discord's answer as a delivery outcome; discord.js has already waited out 429s. */
export function classifyDiscordError(error: unknown, what: string): Error {
  if (error instanceof PermanentDeliveryError || error instanceof RetryableDeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const detail = `${what}: Discord ${error.status} (${error.code}) ${error.message}`;
    if (typeof error.code === 'number' && PERMANENT_DISCORD_CODES.has(error.code)) {
      return new PermanentDeliveryError(detail, { cause: error });
    }
    if (error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 408) {
      return new PermanentDeliveryError(detail, { cause: error });
    }
    return new RetryableDeliveryError(detail, undefined, { cause: error });
  }
  if (error instanceof HTTPError) {
    return new RetryableDeliveryError(`${what}: HTTP ${error.status}`, undefined, { cause: error });
  }
  return new RetryableDeliveryError(
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    undefined,
    {
      cause: error,
    },
  );
}
