/**
 * A contact's notes and attributes, edited in the console's profile: supervisors edit
 * those of contacts their teams see, admins any contact's, agents those of customers they
 * serve (they hold or held one of the contact's conversations). Attributes are short texts by key; `locale` is set by
 * the customer's channel and stays read-only here.
 */
import express from 'express';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import type { StaffAudit } from '../audit/log';
import { agentOf } from '../complaints/http';
import { objectId } from '../complaints/schemas';
import type { AgentDoc } from '../domain/agent';
import type { ContactDoc } from '../domain/contact';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole, type AuthedRequest } from '../http/auth';
import { parse, route } from '../http/errors';
import type { ContactNoteDoc } from './model';
import { assertSeesContact } from '../access/reads';

const RESERVED = new Set(['locale']);
const attributeKey = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u,
    'attribute names are 1–40 letters, digits, spaces, "_" or "-"',
  );
const Change = z
  .object({
    notes: z.string().max(5000, 'notes: at most 5000 characters').optional(),
    attributes: z
      .record(
        z.string(),
        z.string().trim().max(500, 'an attribute value has at most 500 characters').nullable(),
      )
      .optional(),
  })
  .strict()
  .refine((b) => b.notes !== undefined || b.attributes !== undefined, 'change notes or attributes');

const shownAttributes = (c: Pick<ContactDoc, 'attributes'>) =>
  Object.fromEntries(
    Object.entries(c.attributes ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  ) as Record<string, string | number>;

export function profileRouter(models: Models, access: AgentAccess, audit: StaffAudit) {
  const r = express.Router();
  r.use('/contacts/:id/details', requireRole(access, ['agent', 'supervisor', 'admin']));

  const mayEdit = async (me: AgentDoc, contactId: string) =>
    me.role !== 'agent' || (await models.Conversation.exists({ contactId, assigneeId: me._id })) !== null;

  const details = async (contact: Pick<ContactDoc, '_id' | 'attributes'>, me: AgentDoc) => {
    const note = await models.ContactNote.findOne({ contactId: contact._id }).lean<ContactNoteDoc>();
    const by = note?.updatedBy ? await models.Agent.findById(note.updatedBy, { name: 1 }).lean() : null;
    return {
      contactId: String(contact._id),
      notes: note?.text ?? '',
      notesUpdatedAt: note ? note.updatedAt.toISOString() : null,
      notesUpdatedBy: by?.name ?? null,
      attributes: shownAttributes(contact),
      readOnlyAttributes: [...RESERVED],
      editable: await mayEdit(me, String(contact._id)),
    };
  };

  r.get(
    '/contacts/:id/details',
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      await assertSeesContact(models, (req as AuthedRequest).agent, id);
      const contact = await models.Contact.findById(id, { attributes: 1 }).lean<ContactDoc>();
      if (!contact) throw new NotFound('Contact');
      res.json(await details(contact, await agentOf(models, req)));
    }),
  );

  r.patch(
    '/contacts/:id/details',
    route(async (req, res) => {
      const id = parse(objectId, req.params.id);
      const b = parse(Change, req.body ?? {});
      const set: Record<string, string> = {};
      const unset: Record<string, ''> = {};
      for (const [key, value] of Object.entries(b.attributes ?? {})) {
        parse(attributeKey, key);
        if (RESERVED.has(key))
          throw new InvalidInput(`attributes.${key}: set by the customer's channel; it cannot be edited.`);
        if (value === null || value === '') unset[`attributes.${key}`] = '';
        else set[`attributes.${key}`] = value;
      }
      const me = await agentOf(models, req);
      await assertSeesContact(models, (req as AuthedRequest).agent, id);
      if (!(await models.Contact.exists({ _id: id }))) throw new NotFound('Contact');
      if (!(await mayEdit(me, id))) throw new Forbidden('Agents edit the notes of customers they serve.');
      if (b.attributes) {
        const update: Record<string, unknown> = {};
        if (Object.keys(set).length) update.$set = set;
        if (Object.keys(unset).length) update.$unset = unset;
        if (Object.keys(update).length) await models.Contact.updateOne({ _id: id }, update);
      }
      if (b.notes !== undefined)
        await models.ContactNote.updateOne(
          { contactId: id },
          { $set: { text: b.notes.trim(), updatedBy: me._id, updatedAt: new Date() } },
          { upsert: true },
        );
      await audit.byRequest(req, {
        action: 'contact.details_changed',
        target: { kind: 'contact', id },
        details: { notes: b.notes !== undefined, attributes: Object.keys(b.attributes ?? {}) },
      });
      const contact = await models.Contact.findById(id, { attributes: 1 }).lean<ContactDoc>();
      if (!contact) throw new NotFound('Contact');
      res.json(await details(contact, me));
    }),
  );
  return r;
}
