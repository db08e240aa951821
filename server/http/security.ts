/**
 * Security headers. Every answer: no MIME sniffing. The console and the demo page: a
 * Content-Security-Policy that runs only the gateway's own scripts, talks only to the
 * gateway, and may not be framed by another site (clickjacking), and no referrer, so the
 * capability links of attachments never leak to other sites.
 */
import type { RequestHandler } from 'express';

const policy = (styleSrc: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSrc}`,
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

export const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

/**
 * Headers of a page the gateway serves. `inlineStyles`: the page styles itself inline,
 * as the demo host page and the widget's shadow-root stylesheet do; scripts stay 'self'.
 */
export function pageHeaders(opts: { inlineStyles?: boolean } = {}): RequestHandler {
  const csp = policy(opts.inlineStyles ? "'self' 'unsafe-inline'" : "'self'");
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
}

/**
 * Headers of a page rendered on the server with inline styles and no script at all (the
 * rating page, the help centre): nothing loads but the page, forms post only to the
 * gateway, no framing and no referrer.
 */
export const plainPageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
