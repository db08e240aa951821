/** Agent uploads from the console: files to attach to a reply or a note. */
import express from 'express';
import type { Tokens } from '../auth/tokens';
import { UPLOAD_TYPES, acceptUpload, rawUpload, sendUploaded, type UploadTarget } from '../storage/uploads';
import { requireRole } from './auth';
import { route } from './errors';

export function uploadsRouter(tokens: Tokens, target: UploadTarget) {
  const r = express.Router();
  const staff = requireRole(tokens, ['agent', 'supervisor', 'admin']);
  r.post(
    '/uploads',
    staff,
    rawUpload(),
    route(async (req, res) => sendUploaded(res, await acceptUpload(req, target))),
  );
  r.get('/uploads/limits', staff, (_req, res) => {
    res.json({ maxBytes: target.maxBytes, types: UPLOAD_TYPES });
  });
  return r;
}
