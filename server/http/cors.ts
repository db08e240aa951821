/**
 * CORS for endpoints the widget calls from customers' own sites: any origin may call
 * them. They authenticate with a bearer token (a visitor session), never with cookies.
 */
import type { NextFunction, Request, Response } from 'express';

export function anyOrigin(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.method === 'OPTIONS') res.status(204).end();
  else next();
}
