/** Agent uploads from the console: files to attach to a reply or a note. */
import express from 'express';
import type { AgentAccess } from '../auth/access';
import {
  UPLOAD_TYPES,
  acceptUpload,
  closeUnread,
  sendUploaded,
  uploadHead,
  type UploadTarget,
} from '../storage/uploads';
import { requireRole } from './auth';
import { route } from './errors';

export function uploadsRouter(access: AgentAccess, target: UploadTarget) {
  const r = express.Router();
  const staff = requireRole(access, ['agent', 'supervisor', 'admin']);
  r.post(
    '/uploads',
    staff,
    route(async (req, res) =>
      sendUploaded(res, await acceptUpload(req, target, uploadHead(req, target.maxBytes))),
    ),
    closeUnread,
  );
  r.get('/uploads/limits', staff, (_req, res) => {
    res.json({ maxBytes: target.maxBytes, types: UPLOAD_TYPES });
  });
  return r;
}
