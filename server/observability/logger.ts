/** Structured logging (pino). Secrets in known fields are redacted wherever they appear. */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'authToken',
  '*.authToken',
  'settings',
  '*.settings',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'switchboard' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}
