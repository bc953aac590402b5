import { type Logger, pino } from 'pino';

/** Paths that may carry secrets anywhere in a log object; pino replaces them with `[redacted]`. */
const REDACT = [
  'token',
  'authToken',
  'password',
  'authorization',
  '*.token',
  '*.authToken',
  '*.password',
  '*.authorization',
  'headers.authorization',
  'headers["x-twilio-signature"]',
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-flexcord-signature"]',
  'ANNOUNCEMENTS_INGEST_SECRET',
  'config.ANNOUNCEMENTS_INGEST_SECRET',
  'config.DISCORD_TOKEN',
  'config.TWILIO_AUTH_TOKEN',
  'DISCORD_TOKEN',
  'TWILIO_AUTH_TOKEN',
];

export type { Logger };

/** The bridge's structured logger (JSON lines); secrets are redacted by path. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'flexcord-bridge' },
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
