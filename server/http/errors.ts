/** HTTP edge: async handlers whose rejections become one JSON error shape, and the one error-to-status mapping. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z, ZodTypeAny } from 'zod';
import { DomainError, InvalidInput } from '../domain/errors';

export const route =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

export function parse<S extends ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  let r: ReturnType<S['safeParse']>;
  try {
    r = schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch {
    // A coercion that throws (a value whose conversion to text or number fails) is bad input too.
    throw new InvalidInput('The request has a value of the wrong kind.');
  }
  if (!r.success)
    throw new InvalidInput(
      r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return r.data as z.output<S>;
}

/**
 * Query parameters are plain text (or repeated plain text): `?limit[toString]=x` would
 * otherwise arrive as an object, which no endpoint takes.
 */
export const plainQuery: RequestHandler = (req, _res, next) => {
  for (const [key, value] of Object.entries(req.query)) {
    const plain =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!plain) {
      next(new InvalidInput(`${key}: must be a plain value, not a nested parameter`));
      return;
    }
  }
  next();
};

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof DomainError) {
      const retryAfterMs = err.details.retryAfterMs;
      if (typeof retryAfterMs === 'number') res.set('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
      res.status(err.status).json({ error: { ...err.details, code: err.code, message: err.message } });
      return;
    }
    const status = (err as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser: malformed JSON, payload too large, unsupported encoding.
      res.status(status).json({ error: { code: 'bad_request', message: (err as Error).message } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong; try again.' } });
  };
}
