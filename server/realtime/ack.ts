/**
 * Socket handlers: every inbound event is validated with its schema, every rejection is
 * turned into an error ack a client can show, and nothing a client sends can crash the
 * process.
 */
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Ack } from '../../shared/protocol';
import { DomainError } from '../domain/errors';

export function errorAck(err: unknown, logger: Logger, context: Record<string, unknown>): Ack<never> {
  if (err instanceof DomainError)
    return { ok: false, error: { ...err.details, code: err.code, message: err.message } };
  logger.error({ err, ...context }, 'socket handler failed');
  return { ok: false, error: { code: 'internal', message: 'Something went wrong; try again.' } };
}

/** Wraps a handler `(payload, ack)`: validates, runs, acknowledges. */
export function handler<I, O>(
  event: string,
  schema: ZodType<I>,
  run: (input: I) => Promise<O>,
  logger: Logger,
  context: Record<string, unknown>,
) {
  return (payload: unknown, ack?: unknown): void => {
    const reply = typeof ack === 'function' ? (ack as (a: Ack<O>) => void) : null;
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
        .join('; ');
      reply?.({ ok: false, error: { code: 'invalid_input', message: `Invalid ${event}: ${reason}` } });
      return;
    }
    run(parsed.data).then(
      (data) => reply?.({ ok: true, data }),
      (err: unknown) => reply?.(errorAck(err, logger, { event, ...context })),
    );
  };
}

/** Wraps a fire-and-forget event (no ack): invalid input is dropped, failures are logged. */
export function signal<I>(
  event: string,
  schema: ZodType<I>,
  run: (input: I) => Promise<void>,
  logger: Logger,
  context: Record<string, unknown>,
) {
  return (payload: unknown): void => {
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) return;
    run(parsed.data).catch((err: unknown) => logger.warn({ err, event, ...context }, 'socket signal failed'));
  };
}
